import json

from rnn_models.cli import main
from rnn_models.translate import dictionary, evaluation

from .conftest import toy_pairs


def test_translate_json_contract(toy_translators, capsys):
    args = ["translate", "--model", str(toy_translators["attention"]), "--text", "Ich sehe den Hund.", "--json"]
    assert main(args + ["--beam", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"translation", "source_tokens", "target_tokens", "attention", "alternatives"} <= set(out)
    assert out["source_tokens"] == ["ich", "sehe", "den", "hund", "."]
    assert len(out["attention"]) == len(out["target_tokens"])
    assert all(abs(sum(r) - 1) < 1e-4 and len(r) == 5 for r in out["attention"])
    assert main(["translate", "--model", str(toy_translators["attention"]), "--text", " "]) == 2
    assert "nothing to translate" in capsys.readouterr().err
    assert main(["translate", "--model", str(toy_translators["attention"]), "--text", "Wort " * 10_000]) == 2
    assert "the limit is 2000" in capsys.readouterr().err


def test_train_translate_from_a_pairs_file(tmp_path, capsys):
    f = tmp_path / "pairs.tsv"
    f.write_text("\n".join(f"{p.de}\t{p.en}" for v in toy_pairs().values() for p in v), encoding="utf-8")
    args = ["train", "translate", "--pairs", str(f), "--hidden", "8", "--embed", "8", "--attn-size", "8",
            "--steps", "2", "--out", str(tmp_path) + "/", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    meta = json.loads((tmp_path / "translate_additive.json").read_text())
    assert out["metrics"]["steps"] == 2 and meta["kind"] == "seq2seq" and "--pairs" in meta["command"]
    bad = tmp_path / "one.csv"
    bad.write_text("\n".join(f"just one column {i}" for i in range(20)))
    assert main(["train", "translate", "--pairs", str(bad), "--out", str(tmp_path)]) == 2
    assert "the file has one column" in capsys.readouterr().err


def test_evaluate_json_contract(toy_translators, monkeypatch, capsys):
    monkeypatch.setattr(evaluation, "load_pairs", toy_pairs)
    monkeypatch.setattr(dictionary, "load_dictionary", lambda: dictionary.Dictionary({"hund": "dog", "ich": "i"}))
    assert main(["evaluate", "translate", "--attention-model", str(toy_translators["attention"]),
                 "--no-attention-model", str(toy_translators["no_attention"]), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for metric in ("bleu", "chrf"):
        assert set(out[metric]) == {"attention", "no_attention", "dictionary"}
    assert [b["bucket"] for b in out["by_length"]] == ["1-5", "6-10", "11+"]
    assert all({"attention", "no_attention", "dictionary"} <= set(b) for b in out["by_length"])
    assert out["sentences"] == 5 and out["chrf"]["dictionary"] > 0
    assert [b["bucket"] for b in out["chrf_by_length"]] == ["1-5", "6-10", "11+"]  # chrF by length, same buckets
    assert all({"attention", "no_attention", "dictionary"} <= set(b) for b in out["chrf_by_length"])
    assert out["training"]["attention"]["steps"] == 2 and out["training"]["attention"]["command"] == "test"


def test_verdict_needs_both_wins_and_a_growing_lead():
    def report(att, no, dic, leads):
        rows = [{"bucket": f"b{i}", "n": 5, "attention": 3 + lead, "no_attention": 3, "dictionary": 1}
                for i, lead in enumerate(leads)] + [{"bucket": "21+", "n": 0, "attention": 0, "no_attention": 0,
                                                     "dictionary": 0}]
        return {"bleu": {"attention": att, "no_attention": no, "dictionary": dic}, "by_length": rows}

    good = evaluation.verdict(report(5, 4, 3, [0.1, 0.5, 1.0]))
    assert good["met"] and good["leads"] == {"b0": 0.1, "b1": 0.5, "b2": 1.0}  # the empty bucket is left out
    assert not evaluation.verdict(report(5, 4, 6, [0.1, 0.5, 1.0]))["met"]  # the dictionary wins
    assert not evaluation.verdict(report(5, 4, 3, [1.0, 0.5, 0.1]))["met"]  # the lead shrinks
    assert not evaluation.verdict(report(4, 4, 3, [0.1, 0.5, 1.0]))["beats_no_attention"]
    shrinking_chrf = report(5, 4, 3, [0.1, 0.5, 1.0])
    shrinking_chrf["chrf_by_length"] = [dict(b, attention=b["no_attention"] + 3 - i)
                                        for i, b in enumerate(shrinking_chrf["by_length"])]
    v = evaluation.verdict(shrinking_chrf)
    assert v["met"] and v["chrf"] == {"leads": {"b0": 3, "b1": 2, "b2": 1}, "lead_grows": False}  # said, not judged
