from rnn_models.text import corpus
from rnn_models.text.textio import decode_text_bytes
from rnn_models.text.vocab import build_vocab, decode, encode, map_unknown

BR = "  "  # Markdown's line break: two trailing spaces
PLAY = "\n".join([
    "# A Play", "", "## ACT I", "", "### SCENE I. A street.", "",
    "_Enter ROMEO and a Servant,", "with a letter_", "",
    "**ROMEO**" + BR, "What\\--shall I speak __\\[Aside]_ or stay?" + BR, "Ay me!", "",
    "**SERVANT**" + BR, "Good \u2014 sir.", "", "_Exeunt_", ""])


def test_normalise_play_keeps_speakers_and_lines_only():
    assert corpus.normalise_play(PLAY) == "ROMEO:\nWhat--shall I speak or stay?\nAy me!\n\nSERVANT:\nGood -- sir.\n\n"


def test_held_out_plays_exist_and_are_disjoint():
    stems = {f.stem for f in corpus.play_files()}
    assert set(corpus.SHAKESPEARE_TEST) <= stems and set(corpus.SHAKESPEARE_VAL) <= stems
    assert not set(corpus.SHAKESPEARE_TEST) & set(corpus.SHAKESPEARE_VAL)
    assert len(stems) == 38


def test_python_split_is_by_file_and_stable():
    assert corpus.python_bucket("json/decoder.py") == corpus.python_bucket("json/decoder.py")
    buckets = {corpus.python_bucket(f"pkg/mod{i}.py") for i in range(200)}
    assert buckets == {"train", "val", "test"}


def test_encode_decode_round_trip_and_unknown_characters():
    vocab = build_vocab("hello world'e")
    assert decode(encode("hello world", vocab), vocab) == "hello world"
    assert map_unknown("h\u00e9llo \u2019w\u00f6rld", vocab) == "hello 'world"  # accents and quotes
    assert map_unknown("h\U0001F600", vocab) == "h "  # no look-alike: the fallback (space)
    assert map_unknown("h\U0001F600o", vocab, unknown="drop") == "ho"


def test_decode_text_bytes_encodings():
    assert decode_text_bytes("caf\u00e9".encode("latin-1")) == "caf\u00e9"
    assert decode_text_bytes("\ufeffna\u00efve\r\n".encode("utf-8")) == "na\u00efve\n"
    assert decode_text_bytes("\u65e5\u672c\u8a9e \U0001F600".encode("utf-8")) == "\u65e5\u672c\u8a9e \U0001F600"



def test_held_out_start_is_the_test_splits_start_read_from_its_first_document_only():
    # load_corpus(name).test joins these documents; the page's default passage is its first 700 characters
    first = next(corpus._documents("shakespeare", only="test"))[2]
    assert len(first) > 700 and corpus.held_out_start("shakespeare", 700) == first[:700]
