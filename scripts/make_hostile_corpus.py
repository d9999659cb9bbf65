"""Write a corpus of hostile input files, and a manifest saying where each one is aimed.

    .venv/bin/python scripts/make_hostile_corpus.py --out /tmp/hostile

Every file is one a page or the CLI must refuse with a clear message: truncated files,
wrong content under a right extension, MIDI with absurd ticks or tempos, silent or very long
audio, a CSV with 100,000 columns, non-UTF-8 bytes, pickles renamed .safetensors (whose
payload would create a marker file if it were ever unpickled), absurd safetensors headers.
manifest.json lists, per case: its files, the page flow that uploads them (tests/hostile),
the CLI arguments that read them ("{file}" and "{tmp}" are filled in), and any marker file.
Deterministic: the same command writes the same bytes (except the absolute marker paths).
"""

import argparse
import io
import json
import random
import struct
import sys
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CSV_CLI = ["forecast", "--csv", "{file}", "--horizon", "5", "--steps", "10", "--no-arima"]
MIDI_CLI = ["continue", "--midi", "{file}", "--bars", "1", "--out", "{tmp}/out.mid"]
AUDIO_CLI = ["continue", "--audio", "{file}", "--bars", "1", "--out", "{tmp}/out.mid"]
TEXT_CLI = ["evaluate", "text", "--input", "{file}"]
TEXT_TRAIN_CLI = ["train", "text", "--input", "{file}", "--steps", "2", "--hidden", "8", "--out", "{tmp}"]
CKPT_CLI = ["generate", "--model", "{file}", "--length", "5"]
CLIP_CLI = ["classify", "--task", "voices", "--audio", "{file}", "--json"]
CLASS_CSV_CLI = ["train", "classify", "--csv", "{file}", "--steps", "2", "--hidden", "8", "--out", "{tmp}/m"]
PAIRS_CLI = ["train", "translate", "--pairs", "{file}", "--steps", "2", "--hidden", "8", "--embed", "8",
             "--attn-size", "8", "--out", "{tmp}/"]
MB = 1024 * 1024


class Corpus:
    def __init__(self, out: Path):
        self.out = out
        self.cases: list[dict] = []
        self.rng = random.Random(7)

    def add(self, name: str, files: dict[str, bytes], what: str, flow: str, cli: list[str] | None,
            cli_file: str | None = None, marker: str | None = None) -> None:
        for fname, data in files.items():
            (self.out / fname).write_bytes(data)
        self.cases.append({"name": name, "files": list(files), "what": what, "flow": flow, "cli": cli,
                           "cli_file": cli_file or next(iter(files)), "marker": marker})

    def noise(self, n: int) -> bytes:
        return self.rng.randbytes(n)


# ---------------------------------------------------------------- CSV -> forecasting page


def dated_rows(n: int, value=lambda i: f"{100 + i * 0.5:.2f}") -> list[str]:
    import datetime as dt

    start = dt.date(2020, 1, 1)
    return [f"{start + dt.timedelta(days=i)},{value(i)}" for i in range(n)]


def csv_cases(c: Corpus) -> None:
    png = b"\x89PNG\r\n\x1a\n" + c.noise(4000)
    wide_header = ",".join(f"c{i}" for i in range(100_000))
    wide_row = ",".join(str(i % 7) for i in range(100_000))
    cases = {
        "csv_empty": (b"", "an empty file"),
        "csv_header_only": (b"date,close\n", "a header and no rows"),
        "csv_100k_columns": (f"{wide_header}\n{wide_row}\n{wide_row}\n{wide_row}\n".encode(),
                             "100,000 columns"),
        "csv_random_bytes": (c.noise(20_000), "random non-UTF-8 bytes"),
        "csv_png_renamed": (png, "a PNG image renamed .csv"),
        "csv_zip_renamed": (b"PK\x03\x04" + c.noise(3000), "a zip (xlsx-like) renamed .csv"),
        "csv_gzip_renamed": (b"\x1f\x8b\x08\x00" + c.noise(3000), "a gzip stream renamed .csv"),
        "csv_html_page": (b"<!DOCTYPE html><html><head><title>Stocks</title></head><body>"
                          + b"<table><tr><td>x</td></tr></table>" * 200 + b"</body></html>",
                          "an HTML page saved as .csv"),
        "csv_truncated_3_rows": (("date,close\n" + "\n".join(dated_rows(300))).encode()[:60],
                                 "a CSV cut after three rows"),
        "csv_all_missing": (("date,close\n" + "\n".join(dated_rows(300, lambda i: ""))).encode(),
                            "a value column that is empty in every row"),
        "csv_all_inf": (("date,close\n" + "\n".join(dated_rows(300, lambda i: "inf"))).encode(),
                        "a value column of infinities"),
        "csv_text_only": (("name,colour\n" + "\n".join(f"item{i},red" for i in range(300))).encode(),
                          "no numeric column and no dates"),
        "csv_constant": (("date,close\n" + "\n".join(dated_rows(300, lambda i: "42"))).encode(),
                         "a constant series"),
        "csv_nul_laced": (("date,close\n" + "\n".join(dated_rows(300))).encode().replace(b",", b",\x00"),
                          "NUL bytes inside every row"),
        "csv_unclosed_quote": (b'date,close\n"2020-01-01,' + b"1" * 2_000_000 + b"\n", "an unclosed quote"),
        "csv_one_giant_line": (b"9" * 4_000_000, "one 4 MB line with no separator or newline"),
        "csv_200k_rows": (("date,close\n" + "\n".join(f"{i},{i % 13}" for i in range(200_000))).encode(),
                          "200,000 rows (the limit is 100,000)"),
        "csv_12mb": (("date,close\n" + "\n".join(dated_rows(1))).encode() + b"\n" + b"#" * (12 * MB),
                     "12 MB (over every CSV cap)"),
    }
    for name, (data, what) in cases.items():
        cli = None if name == "csv_200k_rows" else CSV_CLI  # the CLI has no row cap
        c.add(name, {f"{name}.csv": data}, what, "forecast_csv", cli if name != "csv_12mb" else None)


# ---------------------------------------------------------------- MIDI -> music page


def vlq(n: int) -> bytes:
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def midi(events: bytes, division: int = 480, ntracks: int = 1, fmt: int = 0, track_len: int | None = None) -> bytes:
    body = events + b"\x00\xff\x2f\x00"
    head = b"MThd" + struct.pack(">IHHH", 6, fmt, ntracks, division)
    return head + b"MTrk" + struct.pack(">I", len(body) if track_len is None else track_len) + body


def notes(pitches, dt: int = 240, channel: int = 0) -> bytes:
    return b"".join(vlq(0) + bytes([0x90 | channel, p, 90]) + vlq(dt) + bytes([0x80 | channel, p, 0])
                    for p in pitches)


def tempo(us_per_beat: int) -> bytes:
    return vlq(0) + b"\xff\x51\x03" + us_per_beat.to_bytes(3, "big")


def midi_cases(c: Corpus) -> None:
    good = midi(tempo(500_000) + notes([60, 62, 64, 65, 67, 69, 71, 72] * 4))
    huge_ticks = vlq(0) + b"\x90\x3c\x5a" + vlq(0x0FFFFFFF) + b"\x80\x3c\x00"
    huge_ticks += b"".join(vlq(0x0FFFFFFF) + b"\x90\x3e\x5a" + vlq(0x0FFFFFFF) + b"\x80\x3e\x00" for _ in range(50))
    cases = {
        "midi_empty": (b"", "an empty file"),
        "midi_truncated": (good[: len(good) // 2], "a valid MIDI file cut in half"),
        "midi_header_only": (good[:14], "only the MThd header"),
        "midi_text_renamed": (b"This is not a MIDI file, it is a shopping list.\n" * 20, "text renamed .mid"),
        "midi_wav_renamed": (b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + c.noise(400), "a WAV renamed .mid"),
        "midi_huge_ticks": (midi(tempo(500_000) + huge_ticks), "notes 2^28 ticks apart (weeks long)"),
        "midi_huge_tempo": (midi(tempo(0xFFFFFF) + notes([60, 62, 64] * 40, dt=100_000)),
                            "the slowest tempo (16.7 s a beat) with notes 200 beats apart (days long)"),
        "midi_tempo_zero": (midi(tempo(0) + notes([60, 62, 64, 65] * 8)), "a tempo of 0 microseconds a beat"),
        "midi_division_zero": (midi(tempo(500_000) + notes([60, 62, 64]), division=0), "0 ticks per beat"),
        "midi_drums_only": (midi(notes([36, 38, 42, 46] * 16, channel=9)), "only drums (channel 10)"),
        "midi_no_notes": (midi(tempo(500_000)), "a valid file with no notes"),
        "midi_track_len_lie": (midi(notes([60, 62]), track_len=0x7FFFFFFF), "a track claiming 2 GB"),
        "midi_65535_tracks": (midi(notes([60, 62, 64]), fmt=1, ntracks=65535), "a header claiming 65,535 tracks"),
        "midi_garbage_events": (midi(c.noise(3000)), "random bytes as track events"),
        "midi_3mb": (midi(notes([60, 62, 64, 65] * 100_000, dt=1)), "3 MB (over the 2 MB cap)"),
    }
    for name, (data, what) in cases.items():
        c.add(name, {f"{name}.mid": data}, what, "music_midi", MIDI_CLI)
    # several MIDI files for "train on your own": one good and one hostile
    c.add("midi_train_truncated", {"midi_train_good.mid": good, "midi_train_truncated.mid": good[:40]},
          "a training set with one truncated file", "music_train", None)


# ---------------------------------------------------------------- audio -> music page


def wav_bytes(samples: np.ndarray, sr: int, sampwidth: int = 2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(sampwidth)
        w.setframerate(sr)
        if sampwidth == 1:
            w.writeframes(((np.clip(samples, -1, 1) * 127) + 128).astype(np.uint8).tobytes())
        else:
            w.writeframes((np.clip(samples, -1, 1) * 32000).astype("<i2").tobytes())
    return buf.getvalue()


def wav_header(sr: int, channels: int, bits: int, data_len: int, fmt_tag: int = 1) -> bytes:
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, sr, sr * block, block, bits)
    return b"RIFF" + struct.pack("<I", 36 + data_len) + b"WAVEfmt " + struct.pack("<I", 16) + fmt \
        + b"data" + struct.pack("<I", data_len)


def audio_cases(c: Corpus) -> None:
    sr = 16000
    t = np.arange(sr * 2) / sr
    tone = 0.5 * np.sin(2 * np.pi * 440 * t)
    good = wav_bytes(tone, sr)
    nan = np.full(sr * 3, np.nan, dtype="<f4").tobytes()
    cases = {
        "audio_empty.wav": (b"", "an empty file"),
        "audio_truncated.wav": (good[:200], "a WAV cut after 200 bytes"),
        "audio_text_renamed.wav": (b"not audio at all\n" * 100, "text renamed .wav"),
        "audio_silent.wav": (wav_bytes(np.zeros(sr * 10), sr), "10 s of digital silence"),
        "audio_dc_offset.wav": (wav_bytes(np.full(sr * 5, 0.3), sr), "5 s of a constant (DC) level"),
        "audio_ten_minutes.wav": (wav_bytes(np.tile(tone, 300)[: 8000 * 600], 8000, sampwidth=1),
                                  "10 minutes of 8 kHz 8-bit audio (over the 60 s cap)"),
        "audio_header_lies.wav": (wav_header(192000, 2, 32, 0x7FFFFFF0) + good[44:2044],
                                  "a header claiming 2 GB of samples"),
        "audio_nan_samples.wav": (wav_header(sr, 1, 32, len(nan), fmt_tag=3) + nan, "float samples that are all NaN"),
        "audio_rate_zero.wav": (wav_header(0, 1, 16, 32000) + good[44:32044], "a sample rate of 0 Hz"),
        "audio_zero_channels.wav": (wav_header(sr, 0, 16, 32000) + good[44:32044], "zero channels"),
        "audio_tiny.wav": (wav_bytes(tone[:10], sr), "ten samples (under a millisecond)"),
        "audio_mp3_garbage.mp3": (b"ID3\x04\x00\x00\x00\x00\x00\x00" + c.noise(20_000), "an ID3 tag then noise"),
        "audio_ogg_garbage.ogg": (b"OggS" + c.noise(20_000), "an Ogg signature then noise"),
        "audio_flac_garbage.flac": (b"fLaC" + c.noise(20_000), "a FLAC signature then noise"),
        "audio_21mb.wav": (wav_header(44100, 1, 16, 21 * MB) + bytes(21 * MB), "21 MB (over the 20 MB cap)"),
    }
    for fname, (data, what) in cases.items():
        name = fname.rsplit(".", 1)[0]
        c.add(name, {fname: data}, what, "music_audio", AUDIO_CLI)


def classify_cases(c: Corpus) -> None:
    """Clips for the classifier (try it) and text,label CSVs for training your own classes."""
    sr = 16000
    tone = 0.4 * np.sin(2 * np.pi * 200 * np.arange(sr * 3) / sr)
    clips = {
        "clip_silent.wav": (wav_bytes(np.zeros(sr * 3), sr), "3 s of digital silence"),
        "clip_short.wav": (wav_bytes(tone[: sr // 5], sr), "a 0.2 s clip (under 0.3 s)"),
        "clip_61s.wav": (wav_bytes(np.tile(tone, 21)[: 8000 * 61], 8000), "61 s (over the 60 s cap)"),
        "clip_rate_2000.wav": (wav_bytes(tone[:4000], 2000), "a 2 kHz sample rate"),
        "clip_corrupt.ogg": (b"OggS" + c.noise(30_000), "an Ogg signature then noise"),
        "clip_png_renamed.wav": (b"\x89PNG\r\n\x1a\n" + c.noise(4000), "a PNG renamed .wav"),
    }
    for fname, (data, what) in clips.items():
        c.add(fname.rsplit(".", 1)[0], {fname: data}, what, "classify_clip", CLIP_CLI)
    many = "text,label\n" + "".join(f"row {i},class{i}\n" for i in range(100_000))
    csvs = {
        "classcsv_one_class": ("text,label\nhello,a\nhi,a\nhey,a\n", "a CSV with one class"),
        "classcsv_empty_labels": ("text,label\nhello,\nhi,\ngood,b\nfine,b\n", "rows with empty labels"),
        "classcsv_one_per_class": ("text,label\nhello,a\nbye,b\nmaybe,c\n", "one example per class"),
        "classcsv_100k_classes": (many, "100,000 rows, each its own class"),
    }
    for name, (text, what) in csvs.items():
        c.add(name, {f"{name}.csv": text.encode()}, what, "classify_csv", CLASS_CSV_CLI)


# ---------------------------------------------------------------- text -> text page


def text_cases(c: Corpus) -> None:
    cases = {
        "text_empty": (b"", "an empty file", TEXT_CLI),
        "text_png_renamed": (b"\x89PNG\r\n\x1a\n" + c.noise(5000), "a PNG renamed .txt", TEXT_CLI),
        "text_pdf_renamed": (b"%PDF-1.4\n" + c.noise(5000), "a PDF renamed .txt", TEXT_CLI),
        "text_gzip_renamed": (b"\x1f\x8b\x08\x00" + c.noise(5000), "gzip bytes renamed .txt", TEXT_CLI),
        "text_random_bytes": (bytes(b % 32 for b in c.noise(8000)), "control bytes, not UTF-8", TEXT_CLI),
        "text_nul_bytes": (b"\x00" * 10_000, "ten thousand NUL bytes", TEXT_CLI),
        "text_utf16": ("ROMEO: But soft, what light\n".encode("utf-16") * 100, "UTF-16 (NUL-laced)", TEXT_CLI),
        "text_whitespace_only": (b" \n\t" * 5000, "only whitespace", TEXT_CLI),
        "text_one_character": (b"a" * 10_000, "one distinct character (nothing to learn)", TEXT_TRAIN_CLI),
        "text_too_short": (b"To be.", "six characters (too short to train on)", TEXT_TRAIN_CLI),
        "text_6mb": (b"All the world's a stage.\n" * (6 * MB // 25 + 1), "6 MB (over the 5 MB cap)", None),
    }
    for name, (data, what, cli) in cases.items():
        c.add(name, {f"{name}.txt": data}, what, "text_train", cli)
    c.add("text_prime_png", {"text_prime_png.txt": b"\x89PNG\r\n\x1a\n" + c.noise(2000)},
          "a PNG renamed .txt, as a prime file", "text_prime", None)


# ---------------------------------------------------------------- sentence pairs, text -> translation page


def translate_cases(c: Corpus) -> None:
    rows = [f"Das ist Satz {i}.\tThis is sentence {i}." for i in range(40)]
    good = "\n".join(rows).encode()
    cases = {
        "pairs_one_column.csv": ("\n".join(f"Das ist Satz {i}." for i in range(40)).encode(),
                                 "a pairs file with one column"),
        "pairs_mismatched_rows.tsv": (good + b"\nnur deutsch\n\tonly english\na\tb\tc\n",
                                      "rows with one, empty or three columns"),
        "pairs_mixed_encodings.tsv": (good + "\nGrüße aus Köln.\tGreetings from Cologne.\n".encode("latin-1"),
                                      "UTF-8 lines, then a Latin-1 line"),
        "pairs_latin1.tsv": ("\n".join(f"Grüße {i}.\tGreetings {i}." for i in range(20)).encode("latin-1"),
                             "Latin-1, not UTF-8"),
        "pairs_png_renamed.csv": (b"\x89PNG\r\n\x1a\n\x00" + c.noise(4000), "a PNG renamed .csv"),
        "pairs_empty.tsv": (b"", "an empty file"),
        "pairs_too_few.tsv": (b"Hallo.\tHello.\n", "one pair (too few to train on)"),
        "pairs_6mb.tsv": (good * (6 * MB // len(good) + 1), "6 MB (over the 5 MB cap)"),
    }
    for fname, (data, what) in cases.items():
        name = fname.rsplit(".", 1)[0]
        c.add(name, {fname: data}, what, "translate_pairs", PAIRS_CLI if "6mb" not in name else None)
    texts = {"translate_text_empty.txt": (b"   \n", "an empty sentence"),
             "translate_text_10000_words.txt": (" ".join(["Wort"] * 10_000).encode(), "a 10,000-word paste")}
    for fname, (data, what) in texts.items():
        c.add(fname[:-4], {fname: data}, what, "translate_text", None)


# ---------------------------------------------------------------- checkpoints -> text page


class _Payload:
    """Pickles to a call of open(marker, 'w'): unpickling it would create the marker file."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def checkpoint_cases(c: Corpus) -> None:
    import pickle

    import torch
    from safetensors.torch import save as st_save

    from rnn_models.checkpoints import save
    from rnn_models.network import ModelConfig, SequenceModel

    vocab = list("\n !',.:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    cfg = ModelConfig(cell="gru", input_size=len(vocab), input_kind="embedding", embed_size=8, hidden_size=8,
                      num_layers=1, dropout=0.0, bidirectional=False, output_size=len(vocab))
    torch.manual_seed(0)
    tmp = c.out / "_base"
    w_path, j_path = save(SequenceModel(cfg), tmp, {"vocab": vocab, "task": "text"})
    weights, meta = w_path.read_bytes(), j_path.read_bytes()
    w_path.unlink()
    j_path.unlink()
    meta_doc = json.loads(meta)

    def header(h: dict) -> bytes:
        raw = json.dumps(h).encode()
        return struct.pack("<Q", len(raw)) + raw

    def add(name, w: bytes | None, j: bytes | None, what, marker=None):
        files = {}
        if w is not None:
            files[f"{name}.safetensors"] = w
        if j is not None:
            files[f"{name}.json"] = j
        cli_file = f"{name}.json" if j is not None else f"{name}.safetensors"
        c.add(name, files, what, "text_checkpoint", CKPT_CLI, cli_file=cli_file, marker=marker)

    m1 = str((c.out / "PAYLOAD_RAN_ckpt_pickle_payload").resolve())
    add("ckpt_pickle_payload", pickle.dumps({"weights": _Payload(m1)}, protocol=2), meta,
        "a pickle whose payload creates a marker file, renamed .safetensors", m1)
    m2 = str((c.out / "PAYLOAD_RAN_ckpt_torch_save").resolve())
    buf = io.BytesIO()
    torch.save({"state": _Payload(m2)}, buf)
    add("ckpt_torch_save", buf.getvalue(), meta, "a torch.save zip with a payload, renamed .safetensors", m2)
    m3 = str((c.out / "PAYLOAD_RAN_ckpt_pickle_as_json").resolve())
    add("ckpt_pickle_as_json", weights, pickle.dumps(_Payload(m3), protocol=4),
        "a pickle with a payload renamed .json", m3)
    add("ckpt_header_absurd", struct.pack("<Q", 2**63 - 1) + b"{}", meta, "a safetensors header of 2^63 bytes")
    add("ckpt_header_100mb", struct.pack("<Q", 100 * MB) + b'{"a":' + b" " * 1000, meta,
        "a header claiming 100 MB in a 1 kB file")
    add("ckpt_header_not_json", struct.pack("<Q", 64) + c.noise(64) + weights[200:], meta, "a header of random bytes")
    add("ckpt_truncated", weights[: len(weights) // 2], meta, "valid weights cut in half")
    add("ckpt_weights_empty", b"", meta, "an empty .safetensors file")
    int_w = st_save({k: torch.zeros(v.shape, dtype=torch.int64) for k, v in SequenceModel(cfg).state_dict().items()})
    add("ckpt_int_tensors", int_w, meta, "int64 tensors instead of floats")
    (n,) = struct.unpack("<Q", weights[:8])
    h = json.loads(weights[8:8 + n])
    first = next(k for k in h if k != "__metadata__")
    h[first]["data_offsets"] = [0, 10**12]
    add("ckpt_offsets_outside", header(h) + weights[8 + n:], meta, "tensor offsets pointing 1 TB past the end")
    big = dict(meta_doc, config=dict(meta_doc["config"], hidden_size=1_000_000_000, embed_size=1_000_000_000))
    add("ckpt_config_huge", weights, json.dumps(big).encode(), "a config asking for a 10^9-unit model")
    wrong = dict(meta_doc, config=dict(meta_doc["config"], hidden_size=16))
    add("ckpt_shape_mismatch", weights, json.dumps(wrong).encode(), "weights that do not fit the config")
    add("ckpt_json_garbage", weights, c.noise(500), "random bytes as the .json")
    add("ckpt_json_deep", weights, b"[" * 200_000 + b"]" * 200_000, "JSON nested 200,000 levels deep")
    add("ckpt_json_no_config", weights, json.dumps({"vocab": vocab}).encode(), "a .json without 'config'")
    bad_cell = dict(meta_doc, config=dict(meta_doc["config"], cell="transformer"))
    add("ckpt_bad_cell", weights, json.dumps(bad_cell).encode(), "a config naming an unknown cell")
    no_vocab = {k: v for k, v in meta_doc.items() if k != "vocab"}
    add("ckpt_no_vocab", weights, json.dumps(no_vocab).encode(), "a text model without its vocabulary")
    add("ckpt_weights_only", weights, None, "the weights without their .json")


# ---------------------------------------------------------------- experiment zips -> explorer and forecast pages


def experiment_cases(c: Corpus) -> None:
    import pickle
    import zipfile

    def zbytes(members: dict[str, bytes], compress: int = zipfile.ZIP_DEFLATED) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compress) as z:
            for name, data in members.items():
                z.writestr(name, data)
        return buf.getvalue()

    def setup(page: str) -> bytes:
        return json.dumps({"format": "rnn-studio-experiment/1", "page": page, "setup": {}}).encode()

    # a member whose local header claims 10 bytes while it inflates to 50 MB
    liar = bytearray(zbytes({"setup.json": setup("rnn_explorer"), "metrics.json": b" " * (50 * MB)}))
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        start = 0
        while (i := liar.find(sig, start)) >= 0:
            name_at = i + (30 if sig == b"PK\x03\x04" else 46)
            size_at = i + (22 if sig == b"PK\x03\x04" else 24)
            if liar[name_at:name_at + 12] == b"metrics.json":
                liar[size_at:size_at + 4] = struct.pack("<I", 10)
            start = i + 4
    marker = str((c.out / "PAYLOAD_RAN_zip_pickle_model").resolve())
    for page, flow in (("rnn_explorer", "explorer_experiment"), ("stock_forecasting", "forecast_experiment")):
        good = setup(page)
        cases = {
            "not_zip": (b"just some text, not a zip\n" * 40, "text renamed .zip"),
            "truncated": (zbytes({"setup.json": good, "metrics.json": b"{}" * 500})[:120], "a zip cut short"),
            "traversal": (zbytes({"setup.json": good, "../../evil.json": b"{}"}), "a member named ../../evil.json"),
            "bomb": (zbytes({"setup.json": good, "metrics.json": b"0" * (100 * MB)}),
                     "100 MB of zeros deflated to 100 kB (a zip bomb)"),
            "size_liar": (bytes(liar), "a member that claims 10 bytes and inflates to 50 MB"),
            "many_members": (zbytes({"setup.json": good, **{f"figures/f{i}.html": b"x" for i in range(5000)}},
                                    zipfile.ZIP_STORED), "5,000 members"),
            "other_page": (zbytes({"setup.json": setup("music_continuation")}), "an experiment of another page"),
            "deep_json": (zbytes({"setup.json": b"[" * 100_000 + b"]" * 100_000}), "setup.json nested 100,000 deep"),
            "pickle_model": (zbytes({"setup.json": good, "model.safetensors": pickle.dumps(_Payload(marker)),
                                     "model.json": b'{"config": {}}'}), "a pickled payload as model.safetensors"),
        }
        prefix = "zip_ex" if page == "rnn_explorer" else "zip_fc"
        if page == "rnn_explorer":  # the same reader (ui/experiment.py) serves both pages; the explorer page
            # is the slower one to run, so it gets the cases that reach furthest into the reader
            cases = {k: v for k, v in cases.items() if k in ("not_zip", "size_liar", "deep_json", "pickle_model")}
        for name, (data, what) in cases.items():
            c.add(f"{prefix}_{name}", {f"{prefix}_{name}.zip": data}, what, flow, None,
                  marker=marker if name == "pickle_model" else None)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Write the hostile-input corpus and its manifest.")
    ap.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    c = Corpus(args.out)
    csv_cases(c)
    midi_cases(c)
    audio_cases(c)
    classify_cases(c)
    text_cases(c)
    translate_cases(c)
    checkpoint_cases(c)
    experiment_cases(c)
    from scripts.forecast_exports import export_cases  # real exports that must forecast (expect: forecast)

    export_cases(c)
    (args.out / "manifest.json").write_text(json.dumps({"cases": c.cases}, indent=1))
    n_files = sum(len(k["files"]) for k in c.cases)
    print(f"{len(c.cases)} cases, {n_files} files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
