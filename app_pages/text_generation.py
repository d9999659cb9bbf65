"""Text generation: sample a character-level RNN, read its probabilities, train your own."""

import json

import streamlit as st

from rnn_models.checkpoints import Checkpoint, CheckpointError
from rnn_models.errors import UserInputError
from rnn_models.text import CHECKPOINTS, MODELS_DIR
from ui import jobs, lessons, text_compute
from ui.cache import lesson, pretrained
from ui.charts import multi_loss_chart
from ui.share import Param, Setup
from ui.state import TEXT, init
from ui.text_export import PAGE, candidates_chart
from ui.text_render import SHOW, copied_html, surprisal_html
from ui.text_training import check_text_model, checkpoint_files, compare_chart, compare_job, train_chart, train_job
from ui.uploads import checkpoint_pair, read_upload, show_error

MAX_TEXT_UPLOAD = 5 * 1024 * 1024
MAX_CKPT_UPLOAD = 20 * 1024 * 1024
MAX_SCORED = 3000  # characters coloured in the surprisal view
TRAIN_JOB, COMPARE_JOB = "Training a text model", "Comparing RNN, GRU and LSTM"
USER = "Your model"
PROSE_CODE_PRIMES = ("ROMEO:\n", "def ")  # default primes of the Shakespeare and Python models
DEFAULT_CONTEXT = "ROMEO:\nBut soft, what light through yonder window br"
# the shareable controls: widget keys, also the URL's query parameters
PARAMS = [
    Param("text_model", "Shakespeare LSTM", choices=(*CHECKPOINTS, USER)),
    Param("text_prime", "ROMEO:\n"),
    Param("text_method", "sample", choices=("sample", "greedy", "beam")),
    Param("text_length", 400, lo=10, hi=2000),
    Param("text_temp", 0.8, lo=0.0, hi=2.0),
    Param("text_topk", 0, lo=0, hi=1000),
    Param("text_topp", 1.0, lo=0.05, hi=1.0),
    Param("text_beam", 4, lo=1, hi=16),
    Param("text_seed", 0, lo=0, hi=2**31 - 1),
    Param("text_samples_n", 1, lo=1, hi=4),
    Param("text_next_temp", 1.0, lo=0.05, hi=2.0),
    Param("text_next_k", 12, lo=5, hi=30),
    Param("text_next_context", DEFAULT_CONTEXT),
]


# ---------------------------------------------------------------- shared, read-only resources


@st.cache_resource(show_spinner="Reading the corpus…")
def corpus(name: str):
    from rnn_models.text.corpus import load_corpus

    return load_corpus(name)


@st.cache_resource(show_spinner="Indexing the training text for the memorisation meter…")
def corpus_copy_index(name: str):
    from rnn_models.text.analysis import CopyIndex

    return CopyIndex(corpus(name).train)


@st.cache_resource
def warm_up_training() -> None:
    """Once per server, in the background: torch's optimisers import torch._dynamo on first use,
    which takes seconds; doing it now keeps the first student's training budget for training."""
    import threading

    def warm():
        import torch

        torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])

    threading.Thread(target=warm, daemon=True, name="warm-up-optimiser").start()


@st.cache_data
def quality_table() -> dict:
    f = MODELS_DIR / "text_quality.json"
    return json.loads(f.read_text()) if f.is_file() else {}


def model_options() -> list[str]:
    names = [n for n in CHECKPOINTS if has_model(n)]
    if st.session_state["text_user_model"] is not None:
        names.append(USER)
    return names


def has_model(name: str) -> bool:
    return name in CHECKPOINTS and CHECKPOINTS[name].is_file()


def get_model(name: str) -> Checkpoint:
    if name == USER:
        return st.session_state["text_user_model"]
    return pretrained(str(CHECKPOINTS[name]))


def copy_index(name: str, ckpt: Checkpoint):
    """The training text index of a model, when we have its training text."""
    if name == USER:
        train = st.session_state["text_user_train"]
        if not train:
            return None
        from rnn_models.text.analysis import CopyIndex

        key = hash(train)
        cached = st.session_state.get("text_user_index")
        if cached is None or cached[0] != key:
            cached = (key, CopyIndex(train))
            st.session_state["text_user_index"] = cached
        return cached[1]
    data = ckpt.meta.get("data") or {}
    return corpus_copy_index(data["corpus"]) if data.get("corpus") else None


# ---------------------------------------------------------------- rendering helpers


# ---------------------------------------------------------------- generate


def generation_controls(setup: Setup, ckpt: Checkpoint) -> dict:
    n_vocab = len(ckpt.meta["vocab"])
    if st.session_state["text_topk"] > n_vocab:  # a link's top-k beyond this model's vocabulary
        st.session_state["text_topk"] = n_vocab
    c1, c2 = st.columns([3, 2])
    prime = setup.control(st.text_area, "text_prime", "Prime text (the model continues it)", height=110,
                          max_chars=5000, container=c1)
    up = c1.file_uploader("…or prime from a .txt file (its last 1,000 characters)",
                          key="text_prime_file")
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

    length = ctl(st.slider, "text_length", "Length (characters)", 10, 2000, step=10)
    temperature = ctl(st.slider, "text_temp", "Temperature", 0.0, 2.0, step=0.05, off=method != "sample")
    k1, k2, k3 = c2.columns(3)
    top_k = ctl(st.number_input, "text_topk", "Top-k (0 off)", 0, n_vocab, container=k1, off=method != "sample")
    top_p = ctl(st.number_input, "text_topp", "Top-p", 0.05, 1.0, step=0.05, container=k2,
                off=method != "sample")
    beam = ctl(st.number_input, "text_beam", "Beam width", 1, 16, container=k3, off=method != "beam")
    s1, s2 = c2.columns(2)
    seed = ctl(st.number_input, "text_seed", "Seed", 0, 2**31 - 1, container=s1)
    samples = ctl(st.number_input, "text_samples_n", "Samples", 1, 4, container=s2, off=method != "sample")
    return dict(prime=prime, method=method, length=int(length), temperature=float(temperature),
                top_k=int(top_k), top_p=float(top_p), beam=int(beam), seed=int(seed),
                samples=int(samples) if method == "sample" else 1)


def run_generation(name: str, ckpt: Checkpoint, cfg: dict, slot) -> dict:
    """Stream each sample into its placeholder, then return the finished texts."""
    from rnn_models.text.generate import GenerationSettings, beam_search, stream
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
        s = GenerationSettings(length=cfg["length"], temperature=cfg["temperature"], top_k=cfg["top_k"],
                               top_p=cfg["top_p"], greedy=cfg["method"] == "greedy", seed=cfg["seed"] + i)
        out = []
        for j, ch in enumerate(stream(ckpt.model, vocab, prime, s)):
            out.append(ch)
            if j % 8 == 0:
                box.code(prime + "".join(out), language=None, wrap_lines=True)
        box.empty()
        texts.append("".join(out))
    return {"model": name, "prime": prime, "texts": texts, "unknown": "".join(missing), "cfg": cfg}


def show_samples(name: str, ckpt: Checkpoint) -> None:
    res = st.session_state["text_samples"]
    if not res or res["model"] != name:
        return
    if res["unknown"]:
        st.caption(f"Characters this model does not know were replaced in the prime: {res['unknown']!r}")
    index = copy_index(name, ckpt)
    for i, text in enumerate(res["texts"]):
        body, summary = copied_html(text, res["prime"], index, 22 if st.session_state.get("present") else 15)
        if len(res["texts"]) > 1:
            st.markdown(f"**Sample {i + 1}** (seed {res['cfg']['seed'] + i})")
        st.html(body)
        st.caption(summary + " Highlighted: copied.")


def side_by_side(cfg: dict) -> None:
    """The same prime and seed through the pretrained RNN, GRU and LSTM."""
    from rnn_models.text.generate import GenerationSettings, generate
    from rnn_models.text.vocab import map_unknown

    names = [n for n in ("Shakespeare vanilla RNN", "Shakespeare GRU", "Shakespeare LSTM") if has_model(n)]
    table = {r["model"]: r for r in quality_table().get("shakespeare", {}).get("rows", [])}
    cols = st.columns(len(names))
    for col, n in zip(cols, names):
        ck = get_model(n)
        s = GenerationSettings(length=min(cfg["length"], 600), temperature=cfg["temperature"],
                               top_k=cfg["top_k"], top_p=cfg["top_p"], greedy=cfg["method"] == "greedy",
                               seed=cfg["seed"])
        prime = map_unknown(cfg["prime"], ck.meta["vocab"])
        row = table.get(CHECKPOINTS[n].stem, {})
        col.markdown(f"**{n}**  \n{ck.model.config.hidden_size} units, "
                     f"test {row['test_bpc']:.3f} bpc" if row else f"**{n}**")
        col.code(prime + generate(ck.model, ck.meta["vocab"], prime, s), language=None, wrap_lines=True)


def generate_tab(setup: Setup, name: str, ckpt: Checkpoint) -> None:
    cfg = generation_controls(setup, ckpt)
    present = bool(st.session_state.get("present"))  # projector mode: big fonts, so fewer per row
    b1, b2, b3 = st.columns([1, 2] if present else [1, 3, 2], vertical_alignment="center") + (
        [st.container()] if present else [])
    go_clicked = b1.button("Generate", type="primary", key="text_generate")
    with b3:
        setup.share_button()
    compare = b2.toggle("Side by side: RNN vs GRU vs LSTM (pretrained, same prime and seed)",
                        key="text_side", disabled=not has_model("Shakespeare GRU"))
    slot = st.container()
    if go_clicked:
        try:
            st.session_state["text_samples"] = run_generation(name, ckpt, cfg, slot)
            st.session_state["text_run_setup"] = {k: v for k, v in setup.query().items() if k in setup.params}
        except (UserInputError, CheckpointError) as e:
            show_error(e, what="These settings")
    show_samples(name, ckpt)
    if compare and go_clicked:
        side_by_side(cfg)
    res = st.session_state["text_samples"]
    if res and res["model"] == name:
        experiment_download(res, ckpt)
    import_panel()


# ---------------------------------------------------------------- experiment files


def quality_row(name: str) -> dict | None:
    if name == USER or name not in CHECKPOINTS:
        return None
    for t in quality_table().values():
        for r in t.get("rows", []) if isinstance(t, dict) else []:
            if r.get("model") in (CHECKPOINTS[name].stem, name):
                return r
    return None


def experiment_download(res: dict, ckpt: Checkpoint) -> None:
    from ui.text_export import experiment_zip

    setup = st.session_state["text_run_setup"] or {}
    mine = st.session_state["text_user_model"]
    st.download_button("Download experiment (.zip)",
                       lambda: experiment_zip(res, setup, ckpt, mine, quality_row(res["model"])),
                       "experiment_text.zip", "application/zip", key="text_dl_experiment",
                       icon=":material/folder_zip:", on_click="ignore")
    st.caption("The set-up of these samples (as in its link), the texts with their bits per character, "
               "charts of each character's surprisal as HTML files and, when you have trained or loaded "
               "one, your own model. Import it below to restore the set-up.")


def import_experiment() -> None:
    """Uploader callback (runs before the page is drawn): restore the controls and any model."""
    from ui.export import read

    uploaded = st.session_state.get("text_import")
    if uploaded is None:
        return
    try:
        exp = read(read_upload(uploaded, max_bytes=25 * 2**20, what="experiment file"), page=PAGE)
        if exp.checkpoint is not None:
            check_text_model(exp.checkpoint)
    except (UserInputError, CheckpointError, ValueError) as exc:
        st.session_state["text_import_msg"] = ("error", f"That experiment file could not be used: {exc}")
        return
    from ui.share import apply_values

    ignored = apply_values(PARAMS, exp.setup)
    if exp.checkpoint is not None:
        st.session_state["text_user_model"] = exp.checkpoint
        st.session_state["text_user_train"] = None
    msg = f"Experiment imported: the controls are set as in **{uploaded.name}**"
    msg += f" and its model is loaded as “{USER}”." if exp.checkpoint is not None else "."
    first = (exp.metrics.get("samples") or [{}])[0]
    if isinstance(first, dict) and isinstance(first.get("bpc"), float):
        msg += (f" Its first sample scored {first['bpc']:.3f} bits per character; press **Generate** to "
                "write it again (same seed, same text).")
    if ignored:
        msg += " Ignored: " + "; ".join(ignored) + "."
    st.session_state["text_import_msg"] = ("success", msg)


def import_panel() -> None:
    with st.expander("Import an experiment (.zip)", icon=":material/upload_file:"):
        st.file_uploader("An experiment file downloaded from this page", key="text_import",
                         on_change=import_experiment)


# ---------------------------------------------------------------- next character and surprisal


def _append_char(ch: str) -> None:
    st.session_state["text_next_context"] += ch


def _continue_from_context(name: str) -> None:
    st.session_state["text_next_continue"] = name


def next_char_tab(setup: Setup, name: str, ckpt: Checkpoint) -> None:
    from rnn_models.text.analysis import top_candidates
    from rnn_models.text.generate import GenerationSettings, generate
    from rnn_models.text.vocab import map_unknown

    vocab = ckpt.meta["vocab"]
    c1, c2 = st.columns([3, 2])
    context = setup.control(st.text_area, "text_next_context", "Context", height=120, max_chars=5000,
                            container=c1)
    temperature = setup.control(st.slider, "text_next_temp", "Temperature", 0.05, 2.0, step=0.05,
                                container=c2)
    top_k = setup.control(st.slider, "text_next_k", "Show top", 5, 30, container=c2)
    probs = text_compute.next_probs(name, ckpt, context, temperature)
    top = top_candidates(probs, vocab, top_k)
    st.plotly_chart(candidates_chart(top, temperature), key="text_next_chart")
    st.markdown("**Pick the next character yourself** (the model then carries on from your choice):")
    cols = st.columns(8)
    for i, (ch, p) in enumerate(top[:8]):
        cols[i].button(f"{SHOW.get(ch, ch)}  {p:.0%}", key=f"text_pick_{i}", on_click=_append_char,
                       args=(ch,), use_container_width=True)
    if st.button("Let the model continue from here (200 characters)", key="text_next_go"):
        s = GenerationSettings(length=200, temperature=temperature, seed=0)
        ctx = map_unknown(context, vocab)
        st.code(ctx + generate(ckpt.model, vocab, ctx, s), language=None, wrap_lines=True)


def surprisal_tab(name: str, ckpt: Checkpoint) -> None:
    data = (ckpt.meta.get("data") or {}).get("corpus")
    key = f"text_surprisal_{name}"
    if key not in st.session_state:
        st.session_state[key] = corpus(data).test[:700] if data else ""
    text = st.text_area("Text to score (any text; held-out test text by default)", key=key, height=150,
                        max_chars=20000)
    if not text.strip():
        st.info("Type or paste some text to see how surprised the model is by each character.")
        return
    if len(text) > MAX_SCORED:
        st.caption(f"Colouring the first {MAX_SCORED:,} characters.")
        text = text[:MAX_SCORED]
    s = text_compute.surprisal(name, ckpt, text)
    st.metric("Bits per character on this text", f"{s.bpc:.3f}",
              help="The mean of -log2 p(character | everything before it). Lower: less surprised.")
    st.html(surprisal_html(s.text, s.bits))
    st.caption("White: expected (0 bits). Deep red: a surprise (8+ bits). Hover a character for its value.")


# ---------------------------------------------------------------- training your own


def training_text() -> str | None:
    """The text a student trains on: uploaded .txt or pasted; None with the reason shown."""
    from rnn_models.text.textio import decode_text_bytes

    src = st.segmented_control("Training text", ["Upload a .txt", "Paste text"], default="Upload a .txt",
                               key="text_train_source") or "Upload a .txt"
    if src == "Paste text":
        text = st.text_area("Paste at least a few thousand characters", key="text_train_paste", height=150,
                            max_chars=MAX_TEXT_UPLOAD)
        return text if text.strip() else None
    up = st.file_uploader("A plain-text file (.txt, .md, .py, …), UTF-8 or latin-1, up to 5 MB",
                          key="text_train_file")
    if up is None:
        return None
    try:
        return decode_text_bytes(read_upload(up, max_bytes=MAX_TEXT_UPLOAD, what="text file"), up.name)
    except (UserInputError, CheckpointError) as e:
        show_error(e, what="That file")
        return None


def train_controls():
    from rnn_models.text.train import TextTrainSpec

    c = st.columns(4)
    cell = c[0].selectbox("Cell", ["lstm", "gru", "rnn"], key="text_tr_cell")
    layers = c[1].selectbox("Layers", [1, 2, 3], key="text_tr_layers")
    hidden = c[2].select_slider("Hidden size", [16, 32, 64, 128, 256, 512], 128, key="text_tr_hidden")
    seq_len = c[3].select_slider("Sequence length", [16, 32, 64, 100, 128, 200], 64, key="text_tr_seq")
    c = st.columns(4)
    lr = c[0].select_slider("Learning rate", [3e-4, 1e-3, 2e-3, 3e-3, 1e-2], 3e-3, key="text_tr_lr")
    budget = c[1].segmented_control("Budget", ["steps", "seconds"], default="seconds",
                                    key="text_tr_budget") or "seconds"
    amount = c[2].number_input("Steps" if budget == "steps" else "Seconds", 1, 100_000 if budget == "steps"
                               else 600, 300 if budget == "steps" else 60, key=f"text_tr_{budget}")
    seed = c[3].number_input("Seed", 0, 2**31 - 1, 0, key="text_tr_seed")
    steps = int(amount) if budget == "steps" else 1_000_000
    return TextTrainSpec(cell=cell, hidden_size=hidden, num_layers=layers, embed_size=32, seq_len=seq_len,
                         batch_size=32, lr=lr, steps=steps, seed=int(seed),
                         time_budget_s=float(amount) if budget == "seconds" else None,
                         eval_every=25, eval_batches=4)


def load_uploaded_checkpoint(files) -> None:
    from rnn_models import checkpoints

    ckpt = checkpoints.load_bytes(*checkpoint_pair(files, max_weights=MAX_CKPT_UPLOAD))
    check_text_model(ckpt)
    st.session_state["text_user_model"] = ckpt
    st.session_state["text_user_train"] = None


def train_tab() -> None:
    text = training_text()
    if text is not None:
        st.caption(f"{len(text):,} characters, {len(set(text))} distinct. The last 10% is held out "
                   "for validation.")
    spec = train_controls()
    b1, b2 = st.columns(2)
    if b1.button("Train", type="primary", key="text_train_go", disabled=text is None):
        try:
            from rnn_models.text.vocab import build_vocab

            build_vocab(text)  # refuse one-character texts before queueing anything
            if len(text) < 200:
                raise UserInputError(f"the text is too short to train on: {len(text)} characters (need 200+)")
            jobs.start(TRAIN_JOB, train_job(text, spec, "your_text.txt"), time_budget_s=spec.time_budget_s)
        except UserInputError as e:
            show_error(e, what="That text")
    if b2.button("Compare cells: RNN, GRU and LSTM with the same budget", key="text_compare_go",
                 disabled=text is None):
        try:
            from rnn_models.text.vocab import build_vocab

            build_vocab(text)
            if len(text) < 200:
                raise UserInputError(f"the text is too short to train on: {len(text)} characters (need 200+)")
            jobs.start(COMPARE_JOB, compare_job(text, spec), time_budget_s=spec.time_budget_s)
        except UserInputError as e:
            show_error(e, what="That text")
    done = jobs.live_panel(TRAIN_JOB, train_chart)
    if done is not None and done.result and st.session_state["text_job_id"] != done.id:
        st.session_state["text_job_id"] = done.id
        st.session_state["text_user_model"] = done.result["checkpoint"]
        st.session_state["text_user_train"] = done.result["train_text"]
        st.rerun()
    cmp_done = jobs.live_panel(COMPARE_JOB, compare_chart)
    if cmp_done is not None and cmp_done.result and st.session_state["text_job_id"] != cmp_done.id:
        st.session_state["text_job_id"] = cmp_done.id
        st.session_state["text_compare"] = cmp_done.result
    if st.session_state["text_compare"]:
        res = st.session_state["text_compare"]
        if cmp_done is None:  # the live panel is not showing the curves: draw them from the result
            st.plotly_chart(multi_loss_chart({c.upper(): r["history"] for c, r in res.items()}, "val_bpc",
                                             title="Validation bits per character (last comparison)",
                                             y_title="bits per character"), key="text_compare_chart")
        st.dataframe([{"cell": c.upper(), "hidden": r["hidden"], "parameters": r["parameters"],
                       "final validation bpc": r["val_bpc"]} for c, r in res.items()], hide_index=True)
    user_model_panel()


def user_model_panel() -> None:
    ckpt = st.session_state["text_user_model"]
    st.subheader("Your model")
    if ckpt is not None:
        m = ckpt.meta.get("metrics", {})
        cfg = ckpt.model.config
        st.success(f"Ready: a {cfg.num_layers}-layer {cfg.cell.upper()} with {cfg.hidden_size} units, "
                   f"{len(ckpt.meta['vocab'])} characters"
                   + (f", validation {m['val_bpc']:.3f} bpc" if isinstance(m.get("val_bpc"), float) else "")
                   + f". Pick “{USER}” at the top of the page to sample from it; the RNN explorer page can "
                   "use it too.")
        w, j = checkpoint_files(ckpt)
        d1, d2 = st.columns(2)
        d1.download_button("Download weights (.safetensors)", w, "my_text_model.safetensors",
                           key="text_dl_w")
        d2.download_button("Download config + vocabulary (.json)", j, "my_text_model.json",
                           mime="application/json", key="text_dl_j")
    files = st.file_uploader("Load a model saved earlier: both the .safetensors and the .json",
                             accept_multiple_files=True, key="text_ckpt_upload")
    if files and st.button("Load this model", key="text_ckpt_go"):
        try:
            load_uploaded_checkpoint(files)
            st.rerun()
        except (UserInputError, CheckpointError, ValueError) as e:
            show_error(e, what="That checkpoint")


# ---------------------------------------------------------------- how good is it


def quality_tab(name: str, ckpt: Checkpoint) -> None:
    doc = quality_table()
    for corpus_name, title in (("shakespeare", "Shakespeare (held-out plays)"), ("python", "Python (held-out files)")):
        t = doc.get(corpus_name)
        if not t:
            continue
        st.markdown(f"**{title}**: bits per character on {t['test_characters']:,} test characters "
                    f"({', '.join(t['test_documents'][:5])}{'…' if len(t['test_documents']) > 5 else ''})")
        st.dataframe([{"model": r["model"], "parameters": r["parameters"], "training steps": r.get("steps"),
                       "training minutes": round(r["train_seconds"] / 60) if r.get("train_seconds") else None,
                       "test bpc": round(r["test_bpc"], 3), "vs best n-gram": f"{r['vs_ngram']:+.1%}"}
                      for r in t["rows"]], hide_index=True)
    if doc:
        st.caption(f"Measured by `{doc.get('command', 'python benchmarks/text_quality.py')}`.")
    st.markdown("**This model**")
    cfg = ckpt.model.config
    st.json({"cell": cfg.cell, "layers": cfg.num_layers, "hidden": cfg.hidden_size,
             "metrics": {k: v for k, v in (ckpt.meta.get("metrics") or {}).items() if k != "history"},
             "command": ckpt.meta.get("command"), "data": ckpt.meta.get("data")}, expanded=False)


# ---------------------------------------------------------------- page


def _model_changed() -> None:
    """A student switching between the Shakespeare and Python models gets a fitting default prime."""
    prime = st.session_state.get("text_prime")
    if prime not in PROSE_CODE_PRIMES:
        return  # the student's own prime stays
    try:
        data = (get_model(st.session_state["text_model"]).meta.get("data") or {}).get("corpus")
    except (CheckpointError, UserInputError):
        return
    st.session_state["text_prime"] = PROSE_CODE_PRIMES[1] if data == "python" else PROSE_CODE_PRIMES[0]


def keep_controls() -> None:
    """Keep every control's value, drawn or not, so the URL never loses settings."""
    from ui.share import keep_values

    keep_values(PARAMS)


def main() -> None:
    init(TEXT)
    keep_controls()
    warm_up_training()
    setup = Setup(PAGE, PARAMS)
    st.title("Text generation")
    setup.restore()
    lessons.panel()
    if st.session_state["text_import_msg"] is not None:
        kind, msg = st.session_state["text_import_msg"]
        (st.error if kind == "error" else st.success)(msg)
        st.session_state["text_import_msg"] = None
    text = lesson("text_generation")
    intro, _, more = text.partition("\n## ")
    st.markdown(intro)
    if more:
        with st.expander("How it works"):
            st.markdown("## " + more)
    options = model_options()
    if not options:
        st.error("No text model found in assets/models. Train one: `python -m rnn_models train text "
                 "--corpus shakespeare --out assets/models`.")
        return
    if st.session_state["text_model"] not in options:
        if st.session_state["text_model"] == USER:
            st.warning("This link uses a model its author trained; it is not in your session, so the "
                       f"{options[0]} is used. Train your own in “Train your own”, or import the experiment file.")
        st.session_state["text_model"] = options[0]
    name = setup.control(st.selectbox, "text_model", "Model", options, on_change=_model_changed)
    try:
        ckpt = get_model(name)
    except (CheckpointError, UserInputError) as e:
        show_error(e, what="That model")
        return
    tabs = st.tabs(["Generate", "Next character", "Surprisal", "Train your own", "How good is it?"])
    with tabs[0]:
        generate_tab(setup, name, ckpt)
    with tabs[1]:
        next_char_tab(setup, name, ckpt)
    with tabs[2]:
        surprisal_tab(name, ckpt)
    with tabs[3]:
        train_tab()
    with tabs[4]:
        quality_tab(name, ckpt)
    setup.sync()


main()
