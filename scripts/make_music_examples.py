"""Write small example uploads for the music page into assets/examples/ (made from the corpus).

    .venv/bin/python scripts/make_music_examples.py
Files: music_folk_melody.mid (one held-out Essen tune), music_chorale_with_chords.mid (a held-out chorale
soprano over block chords + a drum track: tests track pick and highest-note reduction),
music_drums_only.mid (a bad input), music_folk_melody.wav (the tune rendered by the project's synth, for
the audio input), music_not_midi.mid (text bytes: a bad input).
"""

import sys
from pathlib import Path

import pretty_midi

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.music.corpus import load_corpus  # noqa: E402
from rnn_models.music.encoding import events_to_notes  # noqa: E402
from rnn_models.music.midi_io import melody_seconds, melody_to_midi  # noqa: E402
from rnn_models.music.synth import render_notes, wav_bytes  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "assets" / "examples"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    c = load_corpus()
    essen = c.melody(int(c.indices("test", "essen")[3]))
    (OUT / "music_folk_melody.mid").write_bytes(melody_to_midi(essen))
    notes = melody_seconds(essen)
    end = min(12.0, notes[-1][2])
    audio, sr = render_notes([(p, s, e) for p, s, e in notes if e <= end], sr=16000)
    (OUT / "music_folk_melody.wav").write_bytes(wav_bytes(audio, sr))

    chorale = c.melody(int(c.indices("test", "chorale")[0]))
    pm = pretty_midi.PrettyMIDI(initial_tempo=chorale.tempo_bpm)
    pm.time_signature_changes.append(pretty_midi.TimeSignature(*chorale.time_signature, 0.0))
    dt = chorale.step_seconds
    sop = pretty_midi.Instrument(73, name="Soprano (flute)")
    chords = pretty_midi.Instrument(0, name="Chords (piano)")
    drums = pretty_midi.Instrument(0, is_drum=True, name="Drums")
    for p, s, e in events_to_notes(chorale.events):
        sop.notes.append(pretty_midi.Note(90, p, s * dt, e * dt))
    bar = chorale.steps_per_bar
    for b in range(0, len(chorale.events), bar):
        for off in (-12, -8, -5):  # a chord below the soprano's first note in the bar
            first = next((p for p, s, _ in events_to_notes(chorale.events) if s >= b), 60)
            chords.notes.append(pretty_midi.Note(60, first + off, b * dt, (b + bar) * dt))
        for beat in range(0, bar, 4):
            drums.notes.append(pretty_midi.Note(100, 36 if beat == 0 else 42, (b + beat) * dt,
                                                (b + beat + 1) * dt))
    pm.instruments += [chords, sop, drums]
    pm.write(str(OUT / "music_chorale_with_chords.mid"))

    dr = pretty_midi.PrettyMIDI(initial_tempo=110)
    kit = pretty_midi.Instrument(0, is_drum=True, name="Drums")
    kit.notes = [pretty_midi.Note(100, 36 + (i % 3) * 2, i * 0.25, i * 0.25 + 0.1) for i in range(32)]
    dr.instruments.append(kit)
    dr.write(str(OUT / "music_drums_only.mid"))
    (OUT / "music_not_midi.mid").write_bytes(b"This is a text file with a .mid name, not MIDI.\n")
    for f in sorted(OUT.glob("*")):
        if f.name.startswith("music_"):
            print(f"{f.relative_to(OUT.parent.parent)}: {f.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
