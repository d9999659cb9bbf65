"""Text-page computations that a rerun must not repeat.

Pretrained models are the same for every student, so their results are cached once per server
(30 students opening the same link pay once). A student's own model is cached in that
student's session only, and forgotten when the model changes.
"""

from collections.abc import Callable
from typing import Any

import streamlit as st

import rnn_models.text as text_pkg
from ui.cache import pretrained

_MEMO, _MEMO_SIZE = "text_user_memo", 16


def _user_memo(ckpt, key: tuple, compute: Callable[[], Any]) -> Any:
    memo = st.session_state.get(_MEMO)
    if memo is None or memo["model"] is not ckpt:
        memo = {"model": ckpt, "items": {}}
        st.session_state[_MEMO] = memo
    items = memo["items"]
    if key not in items:
        if len(items) >= _MEMO_SIZE:
            items.pop(next(iter(items)))
        items[key] = compute()
    return items[key]


def _surprisal(ckpt, text: str, dynamic: bool = False):
    from rnn_models.text.analysis import surprisal

    return surprisal(ckpt.model, ckpt.meta["vocab"], text, dynamic)


def _next_probs(ckpt, context: str, temperature: float):
    from rnn_models.sampling import SamplingSettings
    from rnn_models.text.generate import next_char_distribution
    from rnn_models.text.vocab import map_unknown

    vocab = ckpt.meta["vocab"]
    return next_char_distribution(ckpt.model, vocab, map_unknown(context, vocab),
                                  SamplingSettings(temperature=temperature))


@st.cache_data(max_entries=256, show_spinner=False)
def _pretrained_surprisal(path: str, text: str, dynamic: bool = False):
    return _surprisal(pretrained(path), text, dynamic)


@st.cache_data(max_entries=1024, show_spinner=False)
def _pretrained_next_probs(path: str, context: str, temperature: float):
    return _next_probs(pretrained(path), context, temperature)


def surprisal(name: str, ckpt, text: str, dynamic: bool = False):
    """-log2 p of every character of `text` under the model (see rnn_models.text.analysis);
    dynamic: the model keeps learning while it reads."""
    if name in text_pkg.CHECKPOINTS:
        return _pretrained_surprisal(str(text_pkg.CHECKPOINTS[name]), text, dynamic)
    return _user_memo(ckpt, ("surprisal", text, dynamic), lambda: _surprisal(ckpt, text, dynamic))


def next_probs(name: str, ckpt, context: str, temperature: float):
    """P(next character | context) at this temperature, a (vocab,) tensor."""
    if name in text_pkg.CHECKPOINTS:
        return _pretrained_next_probs(str(text_pkg.CHECKPOINTS[name]), context, float(temperature))
    return _user_memo(ckpt, ("next", context, float(temperature)),
                      lambda: _next_probs(ckpt, context, temperature))
