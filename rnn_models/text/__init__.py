"""Character-level text: corpora, vocabulary, sampling, generation, n-gram baseline."""

from pathlib import Path

from .vocab import build_vocab, decode, encode

ASSETS = Path(__file__).resolve().parents[2] / "assets"
MODELS_DIR = ASSETS / "models"
DEFAULT_CHECKPOINT = MODELS_DIR / "text_shakespeare_lstm.json"  # the page's and CLI's default model
CHECKPOINTS = {  # name shown to people -> checkpoint JSON path
    "Shakespeare LSTM": DEFAULT_CHECKPOINT,
    "Shakespeare GRU": MODELS_DIR / "text_shakespeare_gru.json",
    "Shakespeare vanilla RNN": MODELS_DIR / "text_shakespeare_rnn.json",
    "Python code LSTM": MODELS_DIR / "text_python_lstm.json",
}

__all__ = ["DEFAULT_CHECKPOINT", "CHECKPOINTS", "MODELS_DIR", "build_vocab", "encode", "decode"]
