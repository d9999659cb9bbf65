"""Text sources: surnames by language (faker), human-rated sentences (vaderSentiment), a text,label CSV."""

import csv
import importlib
import io
import tarfile
from collections import defaultdict
from pathlib import Path

import numpy as np

from rnn_models.classify.dataset import MAX_CLASSES, Examples, check_labels, stratified_split
from rnn_models.errors import UserInputError

# One Latin-script locale per language (non-Latin scripts would make the task a script detector),
# each with at least 200 surnames in faker; German merges de_DE and de_AT.
NAME_LOCALES = {
    "Czech": ("cs_CZ",), "Dutch": ("nl_NL",), "English": ("en_US",), "Estonian": ("et_EE",),
    "Finnish": ("fi_FI",), "French": ("fr_FR",), "German": ("de_DE", "de_AT"), "Croatian": ("hr_HR",),
    "Irish": ("ga_IE",), "Italian": ("it_IT",), "Slovak": ("sk_SK",), "Spanish": ("es_ES",),
    "Swedish": ("sv_SE",), "Zulu": ("zu_ZA",),
}
MAX_NAMES_PER_LANGUAGE = 600  # cap so the biggest lists (Irish 2,379) do not swamp the small ones
VADER_ARCHIVE = Path(__file__).resolve().parents[2] / ".cache" / "data" / "vaderSentiment-3.3.2.tar.gz"
VADER_INNER = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
NEUTRAL_BAND = 0.5  # sentences rated within +-0.5 (of -4..+4) are left out: too close to call
MAX_TEXT_CHARS = 200  # longer texts are refused (what a student types) or cut (a CSV's rows)
MAX_REVIEW_CHARS = 120  # the rated sentences are cut here: reading time grows with the longest text
CSV_MAX_ROWS = 20_000
CSV_MAX_BYTES = 5_000_000


def _surnames(locale: str) -> list[str]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    names = provider.last_names
    return [str(n).strip() for n in (names.keys() if isinstance(names, dict) else names)]


def load_names(seed: int = 0, test_fraction: float = 0.2) -> Examples:
    """Surnames -> language. Names listed under two languages are dropped (their label is ambiguous)."""
    langs = defaultdict(set)
    for lang, locales in NAME_LOCALES.items():
        for loc in locales:
            for name in _surnames(loc):
                if name and " " not in name and len(name) <= 24:
                    langs[name].add(lang)
    rng = np.random.default_rng(12345)  # which names are kept does not depend on the training seed
    items, labels = [], []
    shared = sum(1 for v in langs.values() if len(v) > 1)
    for lang in NAME_LOCALES:
        own = sorted(n for n, v in langs.items() if v == {lang})
        if len(own) > MAX_NAMES_PER_LANGUAGE:
            own = sorted(rng.choice(own, MAX_NAMES_PER_LANGUAGE, replace=False).tolist())
        items += own
        labels += [lang] * len(own)
    return _split_text(items, labels, "The names", seed, test_fraction, lambda classes, test: [
        f"{len(classes)} languages, one Latin-script faker locale each (German: de_DE + de_AT); "
        "Greek, Russian, Georgian and other scripts are left out, or the task would be 'which alphabet'.",
        f"{shared} surnames appear under two or more languages and are dropped; at most "
        f"{MAX_NAMES_PER_LANGUAGE} per language are kept.",
        f"Held out by name: {len(test)} names never seen in training ({test_fraction:.0%} of each language)."])


def _split_text(items: list[str], labels: list[str], what: str, seed: int, test_fraction: float,
                notes) -> Examples:
    """Text examples with their labels checked and a stratified held-out split; notes(classes, test)."""
    ids, classes = check_labels(labels, what)
    train, test = stratified_split(ids, test_fraction, seed)
    return Examples(items, ids, classes, "text", train, test, notes(classes, test))


def vader_rows(archive: Path = VADER_ARCHIVE) -> list[tuple[str, float, str]]:
    """(text, mean rating -4..4, source) for the 23,703 rated sentences, read inside the cached tar."""
    if not archive.is_file():
        raise FileNotFoundError(f"{archive} is missing; run scripts/setup_data.sh (it caches the "
                                "vaderSentiment 3.3.2 source archive with pip download)")
    rows = []
    with tarfile.open(archive) as outer:
        inner = tarfile.open(fileobj=io.BytesIO(outer.extractfile(VADER_INNER).read()))
        for m in inner.getmembers():
            if not m.name.endswith("_GroundTruth.txt"):
                continue
            source = Path(m.name).name.split("_")[0]
            for line in inner.extractfile(m).read().decode("utf-8", "replace").splitlines():
                parts = line.split("\t", 2)
                if len(parts) == 3:
                    rows.append((parts[2].strip(), float(parts[1]), source))
    return rows


def load_reviews(seed: int = 0, test_fraction: float = 0.2, archive: Path = VADER_ARCHIVE) -> Examples:
    """Sentence -> negative / positive by the mean of 20 people's ratings; the neutral band is left out."""
    rows = vader_rows(archive)
    kept = [(t[:MAX_REVIEW_CHARS], r) for t, r, _ in rows if abs(r) >= NEUTRAL_BAND and t]
    labels = ["positive" if r > 0 else "negative" for _, r in kept]
    return _split_text([t for t, _ in kept], labels, "The reviews", seed, test_fraction, lambda _c, test: [
        f"{len(rows):,} sentences (tweets, movie and product review snippets, NYT editorials), each "
        "rated -4..+4 by 20 people; the label is the sign of the mean rating.",
        f"Two classes; the neutral band |mean| < {NEUTRAL_BAND} is left out ({len(rows) - len(kept):,} "
        f"sentences), so {len(kept):,} remain. Texts are cut at {MAX_REVIEW_CHARS} characters.",
        f"Held out: {len(test):,} sentences ({test_fraction:.0%} of each class)."])


def read_text_csv(data: bytes, seed: int = 0, test_fraction: float = 0.2) -> Examples:
    """`text,label` rows (a header row is optional) -> Examples, refusing what cannot be learned."""
    from rnn_models.forecast.text_decode import decode  # the one encoding detector for CSV uploads

    if not data.strip():
        raise UserInputError("The file is empty. Upload a CSV of text,label rows, e.g. I loved it,positive")
    if len(data) > CSV_MAX_BYTES:
        raise UserInputError(f"The file is {len(data) / 1e6:.1f} MB; the limit is {CSV_MAX_BYTES / 1e6:g} MB.")
    if b"\x00" in data[:8192]:
        raise UserInputError("This file contains binary bytes, so it is not a CSV text file. Save your rows as "
                             "CSV (text,label) and upload that.")
    text, _ = decode(data)
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["text", "label"]:
        rows = rows[1:]
    if not rows:
        raise UserInputError("The CSV has no data rows. Add rows like: I loved it,positive")
    bad = [i + 1 for i, r in enumerate(rows) if len(r) < 2]
    if bad:
        raise UserInputError(f"Row {bad[0]} has no label: every row needs two fields, text,label "
                             "(quote texts that contain commas).")
    if len({r[1].strip() for r in rows}) > MAX_CLASSES:
        check_labels([r[1] for r in rows], "The CSV")  # says how many labels and the limit
    if len(rows) > CSV_MAX_ROWS:
        raise UserInputError(f"The CSV has {len(rows):,} rows; the limit is {CSV_MAX_ROWS:,}.")
    texts = [r[0].strip()[:MAX_TEXT_CHARS] for r in rows]
    empty = [i + 1 for i, t in enumerate(texts) if not t]
    if empty:
        raise UserInputError(f"Row {empty[0]} has an empty text; give every row some text.")
    ids, classes = check_labels([r[1] for r in rows], "The CSV")
    train, test = stratified_split(ids, test_fraction, seed)
    notes = [f"{len(rows)} rows, {len(classes)} classes; {len(test)} held out ({test_fraction:.0%} of each class)."]
    return Examples(texts, ids, classes, "text", train, test, notes)
