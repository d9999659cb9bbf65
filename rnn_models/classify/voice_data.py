"""Voices: Fish Fillets NG's recorded dialogue (Debian fillets-ng-data-cs/-nl) and folders of clips.

Each clip's file name says which character speaks: <level>-m-<line>.ogg is the small fish,
<level>-v-<line>.ogg the big fish. Each character has one actor per language, so training on the
Czech recordings and testing on the Dutch ones asks whether the network learned the characters'
voice types (the same parts, cast again) or only the two Czech actors.
"""

import hashlib
from pathlib import Path

import numpy as np
import soundfile as sf

from rnn_models.classify.dataset import Examples, check_labels
from rnn_models.classify.features import FeatureConfig, log_mel
from rnn_models.errors import UserInputError

FILLETS = Path("/usr/share/games/fillets-ng/sound")
SPEAKERS = {"m": "small fish", "v": "big fish"}  # file-name code -> character
TRAIN_LANG, TEST_LANG = "cs", "nl"
MAX_CLIPS = 300  # per character and language, so features compute in seconds
MAX_FRAMES = 250  # 5 s: longer clips are cut for training (reading the rest adds little)
CACHE = Path(__file__).resolve().parents[2] / ".cache" / "classify"  # log-mel features, never in git
INSTALL_HINT = ("The voice task needs Debian's Fish Fillets voice packages: "
                "sudo apt-get install fillets-ng-data-cs fillets-ng-data-nl")
AUDIO_SUFFIXES = (".wav", ".flac", ".ogg", ".oga", ".mp3")


def fillets_clips(lang: str, root: Path = FILLETS) -> list[tuple[Path, str]]:
    """(clip, character) for every small-fish and big-fish line in one language."""
    out = []
    for path in sorted(root.glob(f"*/{lang}/*.ogg")):
        parts = path.stem.split("-")
        if len(parts) >= 3 and parts[1] in SPEAKERS:
            out.append((path, SPEAKERS[parts[1]]))
    return out


def voices_available(root: Path = FILLETS) -> bool:
    return bool(fillets_clips(TRAIN_LANG, root)) and bool(fillets_clips(TEST_LANG, root))


def _pick(clips: list[tuple[Path, str]], seed: int) -> list[tuple[Path, str]]:
    rng = np.random.default_rng(seed)
    out = []
    for speaker in SPEAKERS.values():
        mine = [c for c in clips if c[1] == speaker]
        idx = np.sort(rng.permutation(len(mine))[:MAX_CLIPS])
        out += [mine[i] for i in idx]
    return out


def _features(clips: list[tuple[Path, str]], config: FeatureConfig) -> list[np.ndarray | None]:
    """Log-mel frames per clip (None for the few empty or unreadable ones), cached under .cache/."""
    key = hashlib.sha1(repr(([str(p) for p, _ in clips], config, MAX_FRAMES)).encode()).hexdigest()[:16]
    cache = CACHE / f"voices_{key}.npz"
    if cache.is_file():
        with np.load(cache) as z:
            flat, lengths = z["flat"], z["lengths"]
        parts = np.split(flat.astype(np.float32), np.cumsum(lengths)[:-1])
        return [p if len(p) else None for p in parts]
    feats = []
    for path, _ in clips:
        try:
            audio, sr = sf.read(path, dtype="float32", always_2d=True)
            feats.append(log_mel(audio.mean(axis=1), sr, config)[:MAX_FRAMES])
        except (UserInputError, RuntimeError, sf.LibsndfileError):  # a few of the game's lines are empty
            feats.append(np.zeros((0, config.n_mels), np.float32))
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(cache, flat=np.concatenate(feats).astype(np.float16), lengths=np.array([len(f) for f in feats]))
    return [f if len(f) else None for f in feats]


def load_voices(seed: int = 0, root: Path = FILLETS, config: FeatureConfig = FeatureConfig()) -> Examples:
    """Small fish vs big fish: Czech actors to learn from, Dutch actors held out."""
    if not voices_available(root):
        raise FileNotFoundError(INSTALL_HINT)
    train = _pick(fillets_clips(TRAIN_LANG, root), seed=12345)
    test = _pick(fillets_clips(TEST_LANG, root), seed=12345)
    feats = _features(train + test, config)
    keep = [i for i, f in enumerate(feats) if f is not None]
    n_train = sum(1 for i in keep if i < len(train))
    ids, classes = check_labels([(train + test)[i][1] for i in keep], "The voice clips")
    feats = [feats[i] for i in keep]
    tr = np.arange(n_train)
    notes = ["Labels are characters, not people: 'small fish' and 'big fish' of the game Fish Fillets NG. "
             "Each is voiced by one actor in the Czech recording and by a different actor in the Dutch one.",
             f"Trained on {n_train} Czech clips, tested on {len(feats) - n_train} Dutch clips: held-out accuracy "
             "measures whether the network recognises the parts in new voices, not just the Czech actors.",
             f"At most {MAX_CLIPS} clips per character and language, cut at "
             f"{MAX_FRAMES * config.hop / config.sample_rate:.0f} s."]
    return Examples(feats, ids, classes, "audio", tr, np.arange(n_train, len(feats)), notes)


def read_audio_dir(folder: Path, seed: int = 0, test_fraction: float = 0.2,
                   config: FeatureConfig = FeatureConfig()) -> Examples:
    """A folder with one subfolder of clips per class -> Examples (held out per class)."""
    from rnn_models.classify.dataset import stratified_split
    from rnn_models.classify.features import clip_features

    folder = Path(folder)
    if not folder.is_dir():
        raise UserInputError(f"{folder} is not a folder; give a folder with one subfolder of clips per class.")
    feats, labels, skipped = [], [], []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        for f in sorted(sub.iterdir()):
            if f.is_file() and f.suffix.lower() in AUDIO_SUFFIXES:
                try:
                    feats.append(clip_features(f.read_bytes(), f.name, config)[0])
                    labels.append(sub.name)
                except UserInputError as e:
                    skipped.append(f"{sub.name}/{f.name}: {e}")
    if not feats:
        raise UserInputError(f"No usable audio clips in subfolders of {folder} (one subfolder per class).")
    ids, classes = check_labels(labels, "The audio folder")
    train, test = stratified_split(ids, test_fraction, seed)
    notes = [f"{len(feats)} clips in {len(classes)} classes; {len(test)} held out."]
    notes += [f"skipped {s}" for s in skipped[:10]]
    return Examples(feats, ids, classes, "audio", train, test, notes)
