"""Parse music21's bundled corpus once into compact melody arrays (assets/music/melodies.npz).

Essen folk songs (monophonic ABC) and the soprano lines of the Bach chorales, quantised to a
16th-note grid. Parsing is slow (~0.2 s a piece), so each corpus file is cached under
--work as it is done and a re-run resumes; --limit takes a subset of the Essen files.

    nice -n 5 .venv/bin/python scripts/prepare_music.py [--limit N] [--out assets/music/melodies.npz]
"""

import argparse
import json
import sys
import time
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_models.music.encoding import notes_to_events  # noqa: E402

MAX_STEPS = 2048  # longer pieces are skipped
MIN_NOTES = 8


def part_to_record(part, name: str, source: str) -> dict | None:
    """One music21 part -> {'events', 'ts', 'name', 'source'}, or None when unusable."""
    flat = part.stripTies(inPlace=False).flatten()
    notes = []
    for n in flat.notes:
        ql = float(n.quarterLength)
        if ql <= 0:  # grace notes carry no time
            continue
        start = round(float(n.offset) * 4)
        end = max(start + 1, round((float(n.offset) + ql) * 4))
        pitch = max(p.midi for p in n.pitches)  # a chord keeps its top note
        notes.append((pitch, start, end))
    if len(notes) < MIN_NOTES:
        return None
    # monophonic: a note ends where the next begins
    notes.sort(key=lambda t: t[1])
    clean = []
    for i, (p, s, e) in enumerate(notes):
        if clean and clean[-1][1] == s:
            continue
        nxt = notes[i + 1][1] if i + 1 < len(notes) else e
        clean.append((p, s, min(e, nxt) if nxt > s else e))
    events = notes_to_events(clean)
    if len(events) > MAX_STEPS:
        return None
    ts = flat.getElementsByClass("TimeSignature")
    num, den = (ts[0].numerator, ts[0].denominator) if len(ts) else (4, 4)
    return {"events": events.tolist(), "ts": [int(num), int(den)], "name": name, "source": source}


def parse_chorales(work: Path) -> list[dict]:
    from music21 import corpus

    cache = work / "chorales.json"
    if cache.exists():
        return json.loads(cache.read_text())
    records = []
    for i, score in enumerate(corpus.chorales.Iterator(numberingSystem="riemenschneider")):
        try:
            title = score.metadata.title or ""
            bwv = score.metadata.corpusFilePath or ""
            name = f"Bach chorale {Path(bwv).stem} {title}".strip()
            rec = part_to_record(score.parts[0], name, "chorale")
            if rec:
                records.append(rec)
        except Exception as exc:  # a broken file is skipped, not fatal
            print(f"chorale {i}: {exc}", file=sys.stderr)
    cache.write_text(json.dumps(records))
    return records


def parse_essen_file(path: Path, work: Path) -> list[dict]:
    from music21 import converter

    cache = work / f"essen_{path.stem}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    records = []
    opus = converter.parse(str(path))
    scores = opus.scores if hasattr(opus, "scores") else [opus]
    for j, score in enumerate(scores):
        try:
            title = (score.metadata.title if score.metadata else "") or f"song {j + 1}"
            number = score.metadata.number if score.metadata else None
            name = f"Essen {path.stem} #{number or j + 1}: {title}"
            part = score.parts[0] if score.parts else score
            rec = part_to_record(part, name, "essen")
            if rec:
                records.append(rec)
        except Exception as exc:
            print(f"{path.name} {j}: {exc}", file=sys.stderr)
    cache.write_text(json.dumps(records))
    return records


def split_of(name: str) -> int:
    """A fixed split by piece: 0 train (90%), 1 validation (5%), 2 test (5%), from a hash of the name."""
    h = zlib.crc32(name.encode()) % 100
    return 0 if h < 90 else (1 if h < 95 else 2)


def write_arrays(records: list[dict], out: Path) -> None:
    lengths = np.array([len(r["events"]) for r in records], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    events = np.concatenate([np.asarray(r["events"], dtype=np.uint8) for r in records])
    names = np.array([r["name"] for r in records])
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        events=events,
        offsets=offsets,
        names=names,
        sources=np.array([r["source"] for r in records]),
        time_signatures=np.array([r["ts"] for r in records], dtype=np.int16),
        splits=np.array([split_of(r["name"]) for r in records], dtype=np.int8),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="assets/music/melodies.npz")
    ap.add_argument("--work", default="/tmp/music_prep", help="per-file cache so runs can resume")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N Essen files")
    ap.add_argument("--no-chorales", action="store_true")
    args = ap.parse_args()
    from music21 import corpus

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    records = [] if args.no_chorales else parse_chorales(work)
    print(f"chorales: {len(records)} sopranos in {time.time() - t0:.0f}s", flush=True)
    files = sorted(Path(p) for p in corpus.getComposer("essenFolksong"))
    skip = ("test", "variant")  # music21's own parser test files, not folk songs
    files = [p for p in files if p.suffix == ".abc" and not p.stem.startswith(skip)][: args.limit]
    for i, path in enumerate(files):
        recs = parse_essen_file(path, work)
        records += recs
        print(f"[{i + 1}/{len(files)}] {path.name}: {len(recs)} songs, total {len(records)}, "
              f"{time.time() - t0:.0f}s", flush=True)
        write_arrays(records, Path(args.out))  # usable after every file
    write_arrays(records, Path(args.out))
    print(f"done: {len(records)} melodies -> {args.out} in {time.time() - t0:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
