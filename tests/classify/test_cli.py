import json

import numpy as np
import soundfile as sf

from rnn_models.cli import main


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_classify_a_name(capsys):
    assert main(["classify", "--task", "names", "--text", "Kowalski", "--seed", "0", "--json"]) == 0
    out = _json(capsys)
    assert len(out["labels"]) >= 10 and out["prediction"] in out["labels"]
    assert abs(sum(out["probabilities"]) - 1) < 1e-6
    assert len(out["steps"]) == len("Kowalski") and all(abs(sum(s) - 1) < 1e-4 for s in out["steps"])
    assert main(["classify", "--task", "names", "--text", "Kowalski", "--seed", "0", "--json"]) == 0
    assert _json(capsys) == out  # same input, same answer


def test_classify_a_clip_one_step_per_frame(tmp_path, capsys):
    t = np.arange(3 * 16000) / 16000
    path = tmp_path / "clip.wav"
    sf.write(path, (0.3 * np.sin(2 * np.pi * 150 * t)).astype(np.float32), 16000)
    assert main(["classify", "--task", "voices", "--audio", str(path), "--json"]) == 0
    out = _json(capsys)
    assert out["labels"] == ["big fish", "small fish"]
    assert abs(len(out["steps"]) - 151) <= 1  # 50 frames a second


def test_train_on_a_csv_then_classify_with_it(tmp_path, capsys):
    rows = [f"{w} day,happy" for w in ("lovely", "great", "sunny", "fine")] + \
        [f"{w} day,sad" for w in ("awful", "grey", "cold", "bad")]
    csv = tmp_path / "mood.csv"
    csv.write_text("text,label\n" + "\n".join(rows) + "\n")
    rc = main(["train", "classify", "--csv", str(csv), "--steps", "2", "--hidden", "8", "--seed", "0",
               "--pool", "mean", "--out", str(tmp_path / "m"), "--json"])
    assert rc == 0
    info = _json(capsys)
    assert info["labels"] == ["happy", "sad"] and 0 <= info["accuracy"] <= 1
    meta = json.loads((tmp_path / "m.json").read_text())
    assert "train classify --csv" in meta["command"] and "--pool mean" in meta["command"]
    assert meta["pool"] == "mean" and meta["metrics"]["wall_s"] >= info["seconds"] >= 0
    assert meta["metrics"]["threads"] == 1 and len(meta["metrics"]["load_average"]) == 2
    assert main(["classify", "--model", str(tmp_path / "m.json"), "--text", "sunny day", "--json"]) == 0
    assert _json(capsys)["labels"] == ["happy", "sad"]


def test_bad_input_exits_2_with_one_line(tmp_path, capsys):
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(16000, np.float32), 16000)
    assert main(["classify", "--task", "voices", "--audio", str(silent)]) == 2
    assert "silent" in capsys.readouterr().err
    assert main(["classify", "--task", "names", "--audio", str(silent)]) == 2
    assert "this model classifies text" in capsys.readouterr().err


def test_evaluate_names_json_contract(capsys):
    assert main(["evaluate", "classify", "--task", "names", "--json"]) == 0
    out = _json(capsys)
    assert set(out) >= {"accuracy", "baselines", "labels", "confusion"}
    assert set(out["baselines"]) == {"majority class", "char n-grams + logistic regression"}
    assert len(out["accuracy"]) == 3 and all(0 <= v <= 1 for v in out["accuracy"].values())
    n = len(out["labels"])
    for name, m in out["confusion"].items():
        assert np.asarray(m).shape == (n, n)
        assert np.trace(m) / np.sum(m) == out["accuracy"][name]
