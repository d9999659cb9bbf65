"""A page's set-up in the URL: controls restored from query parameters, written back, lockable.

A page lists its shareable controls as Params; widgets use the Param's key. Unknown or
out-of-range parameters are ignored with a small notice, never an error.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import streamlit as st

RESERVED = ("lock", "hide", "present", "lesson", "step")  # query parameters that are not controls
MAX_TEXT = 500  # longest text a link carries (a longer one is refused when read, so never written)


@dataclass(frozen=True)
class Param:
    key: str  # widget key in st.session_state and the query-parameter name
    default: Any  # value when the URL does not say
    lo: float | None = None  # numbers: smallest allowed
    hi: float | None = None  # numbers: largest allowed
    choices: tuple = ()  # strings: the allowed values (empty: any string up to 500 characters)
    step: float | None = None  # numbers: a slider's or number box's step (None: the widget's own)

    def widget_range(self) -> dict[str, Any]:
        """min_value/max_value/step for a slider or number box, in the default's type."""
        if isinstance(self.default, bool) or not isinstance(self.default, int | float):
            return {}
        kind = type(self.default)
        out = {"min_value": self.lo, "max_value": self.hi, "step": self.step}
        return {k: kind(v) for k, v in out.items() if v is not None}

    def parse(self, raw: str) -> Any:
        """The URL text as this parameter's type; raises ValueError when it does not fit."""
        d = self.default
        if isinstance(d, bool):
            if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                raise ValueError("expected true or false")
            return raw.lower() in ("1", "true", "yes")
        if isinstance(d, int) or isinstance(d, float):
            value = int(raw) if isinstance(d, int) else float(raw)
            if value != value or (self.lo is not None and value < self.lo) or \
                    (self.hi is not None and value > self.hi):
                raise ValueError(f"outside {self.lo}..{self.hi}")
            return value
        if self.choices and raw not in self.choices:
            raise ValueError(f"not one of {', '.join(map(str, self.choices))}")
        if len(raw) > MAX_TEXT:
            raise ValueError("too long")
        return raw

    def format(self, value: Any) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)


@dataclass(frozen=True)
class ChoiceParam(Param):
    """A number that must be one of `choices` (a select_slider's or radio's options)."""

    def parse(self, raw: str):
        value = super().parse(raw)
        if value not in self.choices:
            raise ValueError(f"not one of {', '.join(map(str, self.choices))}")
        return value


class Setup:
    """The shareable controls of one page."""

    def __init__(self, page: str, params: list[Param]):
        self.page = page
        self.params = {p.key: p for p in params}
        self._last = f"_share_last_{page}"  # what this session last wrote to the URL

    def restore(self) -> list[str]:
        """Apply URL values to the controls when the URL is new to this session; returns notices.

        A control missing from the session (Streamlit drops a widget's value after a run that did
        not draw it) takes the URL's value, not its default, so a link survives a run cut short.
        """
        url = {k: st.query_params.get(k) for k in st.query_params.keys()}
        fresh = url != st.session_state.get(self._last)
        missing = {k for k in self.params if k not in st.session_state}
        for k in missing:
            st.session_state[k] = self.params[k].default
        notices = []
        for k, raw in url.items():  # in the link's order, so the notice reads like the link
            if k in RESERVED:
                continue
            p = self.params.get(k)
            if p is None:
                notices.append(f"ignored unknown setting “{k}”")
            elif fresh or k in missing:
                try:
                    st.session_state[k] = p.parse(raw)
                except ValueError as e:
                    notices.append(f"ignored {k}={raw[:40]} ({e})")
        if not fresh:
            return []
        if notices:
            st.caption("Link settings: " + "; ".join(notices) + ".")
        st.session_state[self._last] = url
        return notices

    def values(self) -> dict[str, Any]:
        return {k: st.session_state.get(k, p.default) for k, p in self.params.items()}

    def query(self) -> dict[str, str]:
        """The set-up as query parameters (controls, then locks and lesson state)."""
        q = {k: self.params[k].format(v) for k, v in self.values().items()}
        q = {k: v for k, v in q.items() if len(v) <= MAX_TEXT}  # a pasted page stays out of the URL
        for k in RESERVED:
            if k in st.query_params:
                q[k] = st.query_params[k]
        return q

    def sync(self) -> None:
        """Write the current controls to the URL (call after the widgets are drawn)."""
        q = self.query()
        current = {k: st.query_params.get(k) for k in st.query_params.keys()}
        if q != current:
            st.query_params.from_dict(q)
        st.session_state[self._last] = q

    def _listed(self, name: str) -> set[str]:
        return {s.strip() for s in st.query_params.get(name, "").split(",") if s.strip()}

    def locked(self, key: str) -> bool:
        return key in self._listed("lock") or key in self._listed("hide")

    def hidden(self, key: str) -> bool:
        return key in self._listed("hide")

    def control(self, widget: Callable, key: str, label: str, *args, container=None, **kwargs) -> Any:
        """Draw a widget bound to Param `key`, disabled if locked, not drawn if hidden.

        A slider or number box without positional bounds takes min, max and step from the Param
        (a keyword such as max_value=... narrows it for this drawing)."""
        if self.hidden(key):
            return st.session_state.get(key, self.params[key].default)
        if widget.__name__ in ("slider", "number_input") and not args:
            kwargs = self.params[key].widget_range() | kwargs
        if widget.__name__ in ("segmented_control", "pills"):  # clicking the chosen one must not unset it
            kwargs.setdefault("required", True)
        if self.locked(key):
            kwargs["disabled"] = True
            kwargs["help"] = (kwargs.get("help") or "") + " (locked by the teacher's link)"
        target = container or st
        return getattr(target, widget.__name__)(label, *args, key=key, **kwargs)

    def link(self) -> str:
        base = ""
        try:
            base = (st.context.url or "").split("?")[0]
        except Exception:  # older Streamlit or no browser context (AppTest)
            base = ""
        return f"{base}?{urlencode(self.query())}"

    def share_button(self) -> None:
        """A popover with this set-up's link, ready to copy (the code box has a copy button)."""
        with st.popover("Copy link to this set-up", icon=":material/link:"):
            st.caption("Anyone who opens this link sees the same controls, seeds included. Add "
                       "`&lock=name,name` to disable controls or `&hide=name` to hide them.")
            st.code(self.link(), language=None, wrap_lines=True)
            left = [k for k, v in self.values().items() if len(self.params[k].format(v)) > MAX_TEXT]
            if left:
                st.caption(f"Left out of the link (longer than {MAX_TEXT} characters): {', '.join(left)}.")


def apply_values(params, values: dict[str, str]) -> list[str]:
    """Set each known control from text values (an imported set-up); returns the ignored ones."""
    by_key = {p.key: p for p in params}
    ignored = []
    for key, raw in values.items():
        if key not in by_key:
            continue  # lock/hide/lesson state of the link it came from
        try:
            st.session_state[key] = by_key[key].parse(raw)
        except ValueError as e:
            ignored.append(f"{key}={raw[:40]} ({e})")
    return ignored


def read_experiment(prefix: str, page: str, params, check: Callable | None = None):
    """Uploader callback core for `<prefix>_import`: read the experiment file and restore the controls.

    Returns (experiment, ignored settings); on a bad file it leaves an error in `<prefix>_import_msg`
    for show_import_message and returns None. `check(experiment)` may refuse it with a clear error.
    """
    from rnn_models.checkpoints import CheckpointError
    from rnn_models.errors import UserInputError
    from ui.experiment import MAX_ZIP_BYTES, read
    from ui.uploads import read_upload

    uploaded = st.session_state.get(f"{prefix}_import")
    if uploaded is None:
        return None
    try:
        exp = read(read_upload(uploaded, max_bytes=MAX_ZIP_BYTES, what="experiment file"), page=page)
        if check is not None:
            check(exp)
    except (UserInputError, CheckpointError, ValueError) as exc:
        st.session_state[f"{prefix}_import_msg"] = ("error", f"That experiment file could not be used: {exc}")
        return None
    return exp, apply_values(params, exp.setup)


def open_page(page: str, params, state_keys: dict, prefix: str, title: str, intro: str) -> "Setup":
    """The top of a page in the house order: its session keys, kept controls, the set-up from the URL,
    title and intro, the lesson panel and the last import's message. Returns the page's Setup."""
    from ui import heading, lessons
    from ui.state import init

    init(state_keys)
    keep_values(params)
    setup = Setup(page, params)
    heading.title(title)
    st.markdown(intro)
    setup.restore()
    lessons.panel()
    show_import_message(prefix)
    return setup


def import_panel(prefix: str, on_import: Callable[[], None], where: str = "this page") -> None:
    """The one "Import an experiment (.zip)" panel of every page: an uploader under `<prefix>_import`
    whose callback (built on read_experiment) restores the page before it is drawn."""
    with st.expander("Import an experiment (.zip)", icon=":material/upload_file:"):
        st.file_uploader(f"An experiment file downloaded from {where} (max 25 MB)", key=f"{prefix}_import",
                         max_upload_size=25, on_change=on_import)


def report_import(prefix: str, ignored: list[str], model_sentence: str = "", detail: str = "") -> None:
    """Leave the success message of an import for show_import_message: which file set the controls,
    what came with it (`model_sentence`, e.g. " and its model is loaded as ..."), `detail`, what was ignored."""
    name = getattr(st.session_state.get(f"{prefix}_import"), "name", "the file")
    text = f"Experiment imported: the controls are set as in **{name}**{model_sentence}."
    text += f" {detail}" if detail else ""
    text += (" Ignored: " + "; ".join(ignored) + ".") if ignored else ""
    st.session_state[f"{prefix}_import_msg"] = ("success", text)


def show_import_message(prefix: str) -> None:
    """The result of the last import on this page, shown once."""
    if st.session_state.get(f"{prefix}_import_msg") is not None:
        kind, text = st.session_state[f"{prefix}_import_msg"]
        (st.error if kind == "error" else st.success)(text)
        st.session_state[f"{prefix}_import_msg"] = None


def keep_values(params) -> None:
    """Streamlit forgets a widget's value in a run that does not draw it; re-assigning keeps it."""
    for p in params:
        if p.key in st.session_state:
            st.session_state[p.key] = st.session_state[p.key]
