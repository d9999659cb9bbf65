import json

from rnn_models.cli import main


def test_generate_json_same_seed_same_text(toy_checkpoint, capsys):
    args = ["generate", "--model", str(toy_checkpoint), "--prime", "the ", "--length", "30",
            "--temperature", "0.9", "--top-k", "5", "--seed", "3", "--json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert len(first["text"]) == 30 and first["text"] == again["text"]


def test_generate_beam_and_bad_arguments(toy_checkpoint, capsys):
    assert main(["generate", "--model", str(toy_checkpoint), "--prime", "the", "--length", "10",
                 "--beam", "3", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["text"]) == 10
    assert main(["generate", "--model", str(toy_checkpoint), "--top-p", "0", "--length", "5"]) == 2
    assert "top-p must be in (0, 1]" in capsys.readouterr().err
    assert main(["generate", "--model", str(toy_checkpoint.with_name("nope.json"))]) == 2
    assert "missing checkpoint file" in capsys.readouterr().err


def test_evaluate_text_reports_bpc(toy_checkpoint, tmp_path, capsys):
    f = tmp_path / "sample.txt"
    f.write_text("the cat sat on the mat. ünïcode too\n", encoding="utf-8")
    assert main(["evaluate", "text", "--model", str(toy_checkpoint), "--input", str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert 0 < out["bpc"] < 20 and "ü" in out["unknown_characters"] and out["evaluation"] == "static"
    repeated = tmp_path / "repeated.txt"
    repeated.write_text("the cat sat on the mat.\n" * 60, encoding="utf-8")
    scores = {}
    for flags in ([], ["--dynamic"]):
        args = ["evaluate", "text", "--model", str(toy_checkpoint), "--input", str(repeated), "--json"]
        assert main(args + flags) == 0
        scores[tuple(flags)] = json.loads(capsys.readouterr().out)
    assert scores[("--dynamic",)]["evaluation"] == "dynamic evaluation"
    assert scores[("--dynamic",)]["bpc"] < scores[()]["bpc"]  # it learned the repeated line while reading
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main(["evaluate", "text", "--model", str(toy_checkpoint), "--input", str(empty)]) == 2
    assert "is empty" in capsys.readouterr().err
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert main(["evaluate", "text", "--model", str(toy_checkpoint), "--input", str(binary)]) == 2
    assert "looks like a PNG image" in capsys.readouterr().err


def test_train_text_writes_a_checkpoint_with_command_and_metrics(tmp_path, capsys):
    from rnn_models.checkpoints import load

    f = tmp_path / "mine.txt"
    f.write_text("to be or not to be, that is the question.\n" * 40, encoding="latin-1")
    out = tmp_path / "out"
    assert main(["train", "text", "--input", str(f), "--hidden", "8", "--steps", "3", "--seq-len", "16",
                 "--batch-size", "4", "--seed", "1", "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    ckpt = load(summary["checkpoint"])
    assert ckpt.meta["command"].startswith("python -m rnn_models train text --input")
    assert "--steps 3" in ckpt.meta["command"]
    assert ckpt.meta["vocab"] == sorted(set(f.read_text(encoding="latin-1")))
    assert ckpt.meta["metrics"]["steps_done"] == 3 and ckpt.meta["metrics"]["val_bpc"] > 0


def test_train_text_refuses_one_distinct_character(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("a" * 500)
    assert main(["train", "text", "--input", str(f), "--steps", "1", "--out", str(tmp_path)]) == 2
    assert "at least 2 distinct characters" in capsys.readouterr().err
