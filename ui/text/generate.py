"""The text page's "Generate" tab pieces: decoding controls, streamed samples, side by side, experiment download."""

import streamlit as st

import rnn_models.text as text_pkg
from rnn_models.checkpoints import Checkpoint, CheckpointError
from rnn_models.errors import UserInputError
from ui.share import Setup
from ui.text.models import copy_index, get_model, has_model, quality_row, quality_table
from ui.text.render import copied_html
from ui.uploads import read_upload, show_error

MAX_TEXT_UPLOAD = 5 * 1024 * 1024
HISTORY = 8  # samples kept to compare


def generation_controls(setup: Setup, ckpt: Checkpoint) -> dict:
    n_vocab = len(ckpt.meta["vocab"])
    if st.session_state["text_topk"] > n_vocab:  # a link's top-k beyond this model's vocabulary
        st.session_state["text_topk"] = n_vocab
    c1, c2 = st.columns([3, 2])
    prime = setup.control(st.text_area, "text_prime", "Prime text (the model continues it)", height=110,
                          max_chars=5000, container=c1)
    up = c1.file_uploader("…or prime from a text file (.txt, .md, …, max 5 MB; its last 1,000 characters)",
                          key="text_prime_file", max_upload_size=MAX_TEXT_UPLOAD // 2**20)
    if up is not None:
        try:
            from rnn_models.text.textio import decode_text_bytes

            prime = decode_text_bytes(read_upload(up, max_bytes=MAX_TEXT_UPLOAD, what="prime file"),
                                      up.name)[-1000:]
            c1.caption(f"Priming with the end of {up.name} ({len(prime)} characters).")
        except (UserInputError, CheckpointError) as e:
            show_error(e, what="The prime file")
    method = setup.control(st.segmented_control, "text_method", "Decoding", ["sample", "greedy", "beam"],
                           required=True, container=c2) or "sample"

    def ctl(widget, key, label, *args, container=c2, off=False, **kw):
        if off and not setup.locked(key):  # greyed out when the decoding method does not use it
            kw["disabled"] = True
        return setup.control(widget, key, label, *args, container=container, **kw)

    length = ctl(st.slider, "text_length", "Length (characters)")
    temperature = ctl(st.slider, "text_temp", "Temperature", off=method != "sample")
    k1, k2, k3 = c2.columns(3)
    top_k = ctl(st.number_input, "text_topk", "Top-k (0 off)", max_value=n_vocab, container=k1,
                off=method != "sample")  # the Param's range, narrowed to this model's vocabulary
    top_p = ctl(st.number_input, "text_topp", "Top-p", container=k2, off=method != "sample")
    beam = ctl(st.number_input, "text_beam", "Beam width", container=k3, off=method != "beam")
    s1, s2 = c2.columns(2)
    seed = ctl(st.number_input, "text_seed", "Seed", container=s1)
    samples = ctl(st.number_input, "text_samples_n", "Samples", container=s2, off=method != "sample")
    return dict(prime=prime, method=method, length=int(length), temperature=float(temperature),
                top_k=int(top_k), top_p=float(top_p), beam=int(beam), seed=int(seed),
                samples=int(samples) if method == "sample" else 1)


def generation_settings(cfg: dict, *, length: int | None = None, seed_offset: int = 0):
    """The package's settings for these controls: one SamplingSettings for the sampler."""
    from rnn_models.sampling import SamplingSettings
    from rnn_models.text.generate import GenerationSettings

    sampling = SamplingSettings(cfg["temperature"], cfg["top_k"], cfg["top_p"], greedy=cfg["method"] == "greedy")
    return GenerationSettings(length=cfg["length"] if length is None else length, sampling=sampling,
                              seed=cfg["seed"] + seed_offset)


def run_generation(name: str, ckpt: Checkpoint, cfg: dict, slot) -> dict:
    """Stream each sample into its placeholder, then return the finished texts."""
    from rnn_models.text.generate import beam_search, stream
    from rnn_models.text.vocab import map_unknown, unknown_chars

    vocab = ckpt.meta["vocab"]
    missing = unknown_chars(cfg["prime"], vocab)
    prime = map_unknown(cfg["prime"], vocab)
    texts = []
    for i in range(cfg["samples"]):
        box = slot.empty()
        if cfg["method"] == "beam":
            with st.spinner("Beam search…"):
                texts.append(beam_search(ckpt.model, vocab, prime, cfg["length"], cfg["beam"]))
            continue
        s = generation_settings(cfg, seed_offset=i)
        out = []
        for j, ch in enumerate(stream(ckpt.model, vocab, prime, s)):
            out.append(ch)
            if j % 8 == 0:
                box.code(prime + "".join(out), language=None, wrap_lines=True)
        box.empty()
        texts.append("".join(out))
    return {"model": name, "prime": prime, "texts": texts, "unknown": "".join(missing), "cfg": cfg}


def settings_label(cfg: dict, seed: int) -> str:
    """The settings a sample was made with, in a few words."""
    if cfg["method"] == "greedy":
        return f"greedy · seed {seed}"
    if cfg["method"] == "beam":
        return f"beam width {cfg['beam']}"
    k = cfg["top_k"] or "off"
    p = "off" if cfg["top_p"] >= 1 else f"{cfg['top_p']:g}"
    return f"temperature {cfg['temperature']:g} · top-k {k} · top-p {p} · seed {seed}"


def remember(res: dict) -> None:
    """Put the new samples at the front of this student's short history."""
    new = [{"model": res["model"], "prime": res["prime"], "text": t,
            "label": settings_label(res["cfg"], res["cfg"]["seed"] + i)} for i, t in enumerate(res["texts"])]
    st.session_state["text_history"] = (new + (st.session_state.get("text_history") or []))[:HISTORY]


def scroll_to(key: str) -> None:
    """Bring an element into view (the newest sample, just after Generate)."""
    st.html(f"<script>setTimeout(() => document.querySelector('.st-key-{key}')?.scrollIntoView("
            "{behavior: 'smooth', block: 'start'}), 300);</script>", unsafe_allow_javascript=True)


def show_history(newest: int) -> None:
    """Earlier samples beside each other, labelled with their settings, to compare temperatures."""
    earlier = (st.session_state.get("text_history") or [])[newest:]
    if not earlier:
        return
    head, clear = st.columns([4, 1], vertical_alignment="center")
    head.markdown(f"**Earlier samples** (the last {len(earlier)}, newest first): compare them with the one above.")
    if clear.button("Clear history", key="text_history_clear"):
        st.session_state["text_history"] = None
        st.rerun()
    cols = st.columns(2)
    for i, h in enumerate(earlier):
        with cols[i % 2].container(border=True):
            st.markdown(f"**{h['label']}**  \n{h['model']}")
            st.code(h["prime"] + h["text"], language=None, wrap_lines=True, height=220)


def show_samples(name: str, ckpt: Checkpoint) -> None:
    res = st.session_state["text_samples"]
    if not res or res["model"] != name:
        return
    if res["unknown"]:
        st.caption(f"Characters this model does not know were replaced in the prime: {res['unknown']!r}")
    index = copy_index(name, ckpt)
    for i, text in enumerate(res["texts"]):
        body, summary = copied_html(text, res["prime"], index, 22 if st.session_state.get("present") else 15)
        number = f"Sample {i + 1}: " if len(res["texts"]) > 1 else "Newest sample: "
        st.markdown(f"**{number}{settings_label(res['cfg'], res['cfg']['seed'] + i)}**")
        st.html(body)
        st.caption(summary + " Highlighted: copied.")


def side_by_side(cfg: dict) -> None:
    """The same prime and seed through the pretrained RNN, GRU and LSTM."""
    from rnn_models.text.generate import generate
    from rnn_models.text.vocab import map_unknown

    names = [n for n in ("Shakespeare vanilla RNN", "Shakespeare GRU", "Shakespeare LSTM") if has_model(n)]
    table = {r["model"]: r for r in quality_table().get("shakespeare", {}).get("rows", [])}
    cols = st.columns(len(names))
    for col, n in zip(cols, names):
        ck = get_model(n)
        s = generation_settings(cfg, length=min(cfg["length"], 600))
        prime = map_unknown(cfg["prime"], ck.meta["vocab"])
        row = table.get(text_pkg.CHECKPOINTS[n].stem, {})
        col.markdown(f"**{n}**  \n{ck.model.config.hidden_size} units, "
                     f"test {row['test_bpc']:.3f} bpc" if row else f"**{n}**")
        col.code(prime + generate(ck.model, ck.meta["vocab"], prime, s), language=None, wrap_lines=True)


def experiment_download(res: dict, ckpt: Checkpoint) -> None:
    from ui.text.export import experiment_zip

    setup = st.session_state["text_run_setup"] or {}
    mine = st.session_state["text_user_model"]
    st.download_button("Download experiment (.zip)",
                       lambda: experiment_zip(res, setup, ckpt, mine, quality_row(res["model"])),
                       "experiment_text.zip", "application/zip", key="text_dl_experiment",
                       icon=":material/folder_zip:", on_click="ignore")
    st.caption("The set-up of these samples (as in its link), the texts with their bits per character, "
               "charts of each character's surprisal as HTML files and, when you have trained or loaded "
               "one, your own model. Import it below to restore the set-up.")
