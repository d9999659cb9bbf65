"""Results belong to the inputs that made them.

Each page keeps, beside a result, a fingerprint of its data and the set-up that made it. When the data
change the result is cleared (it describes other data); when only settings change it stays, marked plainly
as made with the previous settings, with a one-click rerun.
"""

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st


def fingerprint(*parts) -> str:
    """A short digest of arrays, strings and numbers (e.g. a series' values and name)."""
    h = hashlib.sha1()
    for p in parts:
        if isinstance(p, np.ndarray):
            h.update(np.ascontiguousarray(p).tobytes())
            h.update(str(p.shape).encode())
        else:
            h.update(repr(p).encode())
        h.update(b"|")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Inputs:
    """What a result was made from."""

    data: str  # fingerprint of the data (series, primer)
    settings: dict  # the controls' values, as in the page's link


def changed_settings(made: Inputs, now: Inputs, labels: dict[str, str] | None = None) -> list[str]:
    """Names of the settings that differ between a result's inputs and the current ones."""
    labels = labels or {}
    keys = sorted(set(made.settings) | set(now.settings))
    return [labels.get(k, k.split("_", 1)[-1].replace("_", " ")) for k in keys
            if made.settings.get(k) != now.settings.get(k)]


def check(result_key: str, inputs_key: str, now: Inputs, what: str, labels: dict[str, str] | None = None,
          rerun_key: str | None = None) -> bool:
    """Clear the result under `result_key` if its data differ from `now`; if only settings differ, say so
    and offer a rerun. Returns True when the student asked for the rerun."""
    made = st.session_state.get(inputs_key)
    if st.session_state.get(result_key) is None or made is None:
        return False
    if made.data != now.data:
        st.session_state[result_key] = None
        st.session_state[inputs_key] = None
        st.info(f"The {what} changed, so the results made from the previous {what} were cleared.")
        return False
    changed = changed_settings(made, now, labels)
    if not changed:
        return False
    box = st.container(border=True, key=f"{result_key}_stale")
    box.warning(f"The results below are **for the previous settings** (changed since: {', '.join(changed)}).",
                icon=":material/history:")
    return box.button("Rerun with the current settings", key=rerun_key or f"{result_key}_rerun",
                      icon=":material/refresh:")
