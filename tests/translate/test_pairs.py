import pytest

from rnn_models.errors import UserInputError
from rnn_models.translate.pairs import read_pairs

ROWS = [f"Satz {i} ist hier.\tSentence {i} is here." for i in range(30)]


def test_tsv_and_csv_with_header():
    pairs = read_pairs("\n".join(ROWS).encode())
    assert sum(len(v) for v in pairs.values()) == 30 and pairs["train"]
    csv = "source,target\n" + "\n".join(f'"Satz {i}, kurz.",Sentence {i}.' for i in range(12))
    got = read_pairs(csv.encode("utf-8-sig"))
    assert sum(len(v) for v in got.values()) == 12
    assert all(p.de.startswith("Satz") for v in got.values() for p in v)


@pytest.mark.parametrize("data, message", [
    ("\n".join(f"only one column {i}" for i in range(20)).encode(), "the file has one column"),
    (("\n".join(ROWS) + "\nthree\tcolumns\there\nmissing\t\n").encode(),
     r"2 row\(s\) do not have exactly two filled columns \(rows 31, 32\)"),
    ("Müde.\tTired.\n".encode() * 10 + "Grüße.\tGreetings.\n".encode("latin-1"),
     "mixes encodings .* line 11"),
    ("Grüße.\tGreetings.\n".encode("latin-1") * 10, "is not UTF-8: line 1"),
    (b"\x00\x01binary" * 100, "not a text file"),
    ("\n".join(ROWS[:3]).encode(), "at least 10 are needed"),
    (("Wort " * 10_000 + "\tword\n").encode() * 10, "longer than 1000 characters"),
])
def test_bad_pairs_files_say_what_is_wrong(data, message):
    with pytest.raises(UserInputError, match=message):
        read_pairs(data)
