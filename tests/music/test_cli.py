import json

import pretty_midi
import pytest

from rnn_models.cli import main
from rnn_models.music.synth import render_notes, wav_bytes


def _write_midi(path, pitches, tempo=110.0):
    pm = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    inst = pretty_midi.Instrument(0)
    q = 60 / tempo
    inst.notes = [pretty_midi.Note(90, p, i * q, (i + 1) * q) for i, p in enumerate(pitches)]
    pm.instruments.append(inst)
    pm.write(str(path))
    return path


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    d = tmp_path_factory.mktemp("m")
    files = [str(_write_midi(d / f"t{i}.mid", [60, 62, 64, 65, 67, 65, 64, 62] * 3)) for i in range(2)]
    rc = main(["train", "melody", "--midi", *files, "--out", str(d), "--name", "tiny", "--hidden", "8",
               "--layers", "1", "--embed", "8", "--steps", "2", "--batch-size", "2", "--seq-len", "16"])
    assert rc == 0
    meta = json.loads((d / "tiny.json").read_text())
    assert meta["task"] == "melody" and "train melody --midi" in meta["command"]
    assert set(meta["metrics"]["heldout"]) == {"lstm", "markov3", "repeat"}
    return d / "tiny.json"


def test_continue_midi_json(tiny_model, tmp_path, capsys):
    src = _write_midi(tmp_path / "in.mid", [60, 64, 67, 72])
    out = tmp_path / "out.mid"
    rc = main(["continue", "--midi", str(src), "--bars", "2", "--seed", "3", "--model", str(tiny_model),
               "--out", str(out), "--wav", str(tmp_path / "out.wav"), "--json"])
    assert rc == 0
    info = json.loads(capsys.readouterr().out)
    q = 60 / 110
    assert abs(info["primer_end"] - 4 * q) < 1e-3
    assert info["notes"][:4] == [[p, round(i * q, 4), round((i + 1) * q, 4)] for i, p in
                                 enumerate([60, 64, 67, 72])]
    assert all(n[1] >= 0 for n in info["notes"])
    assert out.read_bytes()[:4] == b"MThd" and (tmp_path / "out.wav").read_bytes()[:4] == b"RIFF"
    # same seed -> same notes
    main(["continue", "--midi", str(src), "--bars", "2", "--seed", "3", "--model", str(tiny_model),
          "--out", str(out), "--json"])
    assert json.loads(capsys.readouterr().out)["notes"] == info["notes"]


def test_continue_audio(tiny_model, tmp_path, capsys):
    audio, sr = render_notes([(60, 0.1, 0.6), (64, 0.6, 1.1), (67, 1.1, 1.6)])
    wav = tmp_path / "in.wav"
    wav.write_bytes(wav_bytes(audio, sr))
    rc = main(["continue", "--audio", str(wav), "--bpm", "120", "--bars", "1", "--model", str(tiny_model),
               "--out", str(tmp_path / "o.mid"), "--no-primer", "--json"])
    assert rc == 0
    info = json.loads(capsys.readouterr().out)
    assert 1.4 <= info["primer_end"] <= 1.8  # three half-second notes (the last one rings on)
    assert all(0 <= n[1] < 2.0 for n in info["notes"])  # --no-primer: only the added bar, from 0 s


def test_evaluate_and_errors(tiny_model, tmp_path, capsys):
    src = _write_midi(tmp_path / "in.mid", [60, 62, 64, 65, 67, 69, 71, 72])
    assert main(["evaluate", "melody", "--model", str(tiny_model), "--midi", str(src), "--json"]) == 0
    table = json.loads(capsys.readouterr().out)["table"]
    assert set(table) == {"lstm", "markov3", "repeat"}
    bad = tmp_path / "bad.mid"
    bad.write_bytes(b"not midi at all")
    assert main(["continue", "--midi", str(bad), "--bars", "1", "--model", str(tiny_model),
                 "--out", str(tmp_path / "x.mid")]) == 2
    assert "not a MIDI file" in capsys.readouterr().err
