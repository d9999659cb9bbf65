"""Sequence classification: a many-to-one RNN reads a name, a sentence or a voice and gives one answer."""

from functools import partial

import streamlit as st

from ui.cache import lesson
from ui.classify import compare, results
from ui.classify.inputs import audio_item, text_item, upload_classifier
from ui.classify.jobs import evaluate_job, train_job
from ui.classify.own import own_audio_data, own_text_data
from ui.share import ChoiceParam, Param, Setup, import_panel, open_page, read_experiment
from ui.state import CLASSIFY

PAGE = "sequence_classification"
TASKS = {"names": "Names → language", "reviews": "Review → mood", "voices": "Voice → speaker",
         "own": "Your own classes"}
PARAMS = [
    Param("cl_task", "names", choices=tuple(TASKS)),
    Param("cl_own_kind", "text", choices=("text", "audio")),
    Param("cl_model", "shipped", choices=("shipped", "trained", "uploaded")),
    Param("cl_cell", "gru", choices=("rnn", "gru", "lstm")),
    Param("cl_bi", True),
    Param("cl_pool", "last", choices=("last", "mean", "max")),
    ChoiceParam("cl_hidden", 64, choices=(16, 32, 64, 128)),
    Param("cl_steps", 300, lo=10, hi=3000),
    Param("cl_seed", 0, lo=0, hi=10_000),
]


@st.cache_resource(show_spinner="Loading the pretrained classifier…")
def shipped(task: str):
    from rnn_models.classify.pipeline import load_pretrained

    return load_pretrained(task)


@st.cache_data(show_spinner=False)
def notes(task: str) -> list[str]:
    from rnn_models.classify.pipeline import task_notes

    return task_notes(task)


def own_data(seed: int):
    """The student's own examples (None until there are some)."""
    kind = st.session_state["cl_own_kind"]
    return own_text_data(seed) if kind == "text" else own_audio_data(seed)


def about(task: str, data) -> None:
    """Where the data comes from and how the classes were chosen."""
    with st.expander("About the data: where it comes from and how the classes were chosen"):
        lines = data.notes if data is not None else notes(task) if task != "own" else [
            "Your own examples: upload a text,label CSV or add clips per class above; a quarter of each class "
            "(at least one example) is held out."]
        st.markdown("\n".join(f"- {n}" for n in lines))
        if task == "voices":
            from rnn_models.classify.voice_data import INSTALL_HINT, voices_available

            if not voices_available():
                st.warning(INSTALL_HINT + " (the other tasks work without them).")
        if data is not None:
            counts = data.counts()
            st.dataframe({"class": list(counts), "training": [v[0] for v in counts.values()],
                          "held out": [v[1] for v in counts.values()]}, hide_index=True)


MODEL_NAMES = {"shipped": "shipped checkpoint", "trained": "the one you trained", "uploaded": "uploaded"}


def pick_model(setup: Setup, task: str):
    """The classifier to try: the shipped one, the one this student trained for this task, or an upload."""
    trained = st.session_state["cl_result"] if st.session_state["cl_result_task"] == task else None
    options = (["shipped"] if task != "own" else []) + (["trained"] if trained else []) + \
        (["uploaded"] if st.session_state["cl_uploaded"] is not None else [])
    if not options:
        return None
    if st.session_state["cl_model"] not in options:
        st.session_state["cl_model"] = options[0]
    choice = setup.control(st.radio, "cl_model", "Model", options, horizontal=True, format_func=MODEL_NAMES.get)
    if choice == "trained":
        return trained["run"].classifier
    if choice == "uploaded":
        return st.session_state["cl_uploaded"]
    try:
        return shipped(task)
    except FileNotFoundError as exc:
        st.error(str(exc))
        return None


def try_it(clf, task: str) -> None:
    from rnn_models.classify.text_data import MAX_TEXT_CHARS

    if clf.kind == "text":
        text = text_item(task, MAX_TEXT_CHARS)
        if text:
            results.show_belief(clf, text)
    else:
        got = audio_item(task)
        if got:
            results.show_belief(clf, got[0], audio=got[1])


def start(kind: str, task: str, fn, setup: Setup) -> None:
    from ui.jobs import pool

    if pool.start(f"classify-{kind}", fn) is not None:
        st.session_state["cl_pending"] = (kind, task, {k: v for k, v in setup.query().items() if k in setup.params})
        st.rerun()  # the live panel is drawn above the buttons: a new run draws it, with its progress and Stop


def take_results() -> None:
    """Move a finished job's result into this session's state (once)."""
    from ui.charts import loss_chart
    from ui.jobs import pool

    def chart(hist):
        return results._big(loss_chart(hist[:: max(1, len(hist) // 150)], title="Training loss"))

    for kind in ("train", "measure"):
        job = pool.live_panel(f"classify-{kind}", chart=None if kind == "measure" else chart)
        if job is None or job.result is None or job.id == st.session_state["cl_job_id"]:
            continue
        st.session_state["cl_job_id"] = job.id
        _, task, _ = st.session_state["cl_pending"]
        if kind == "train":
            st.session_state["cl_result"], st.session_state["cl_result_task"] = job.result, task
        else:
            st.session_state["cl_eval"] = {**st.session_state["cl_eval"], task: job.result}
        st.rerun()  # draw "Try it" (above) with the new model too


def import_experiment() -> None:
    done = read_experiment("cl", PAGE, PARAMS)
    if done is not None:
        exp, ignored = done
        ev = (exp.metrics or {}).get("evaluation") or {}
        text = "Experiment imported: the controls are set as in that file."
        if ev.get("verdict"):
            text += f" It reported: {ev['verdict']} Press **Train** to reproduce it (same seed, same result)."
        if ignored:
            text += " Ignored: " + "; ".join(ignored) + "."
        st.session_state["cl_import_msg"] = ("success", text)


def main() -> None:
    setup = open_page(PAGE, PARAMS, CLASSIFY, "cl", "Sequence classification",
                      "An RNN reads a sequence one step at a time (a name letter by letter, a review character by "
                      "character, a voice 50 frames a second) and gives **one** answer at the end. Watch its belief "
                      "change after every step, and check honestly whether it beats simple baselines.")
    with st.expander("Lesson: many-to-one, reading a whole sequence", expanded=False):
        st.markdown(lesson("sequence_classification"))
    task = setup.control(st.radio, "cl_task", "Task", list(TASKS), format_func=TASKS.get, horizontal=True)
    if task == "own":
        setup.control(st.radio, "cl_own_kind", "Your data", ["text", "audio"], horizontal=True,
                      format_func=lambda k: "text (CSV of text,label)" if k == "text" else "audio clips per class")
    seed = int(st.session_state["cl_seed"])
    data = own_data(seed) if task == "own" else None
    about(task, data)
    st.header("Try it")
    clf = pick_model(setup, task)
    if clf is not None:
        try_it(clf, task)
    elif task == "own":
        st.info("Train a model on your classes below, then try new clips or sentences here.")
    st.header("Held-out results and training")
    if task != "own":
        compare.show(task)
    take_results()
    if task != "own" and st.button("Measure the shipped model against the baselines", key="cl_measure"):
        start("measure", task, partial(evaluate_job, task=task, seed=seed), setup)
    if task in st.session_state["cl_eval"]:
        results.show_evaluation(st.session_state["cl_eval"][task]["evaluation"], "Shipped model vs baselines")
    if task != "own" or data is not None:
        from rnn_models.classify.pipeline import KINDS

        config, train = results.train_controls(setup, data.kind if data is not None else KINDS[task])
        if st.button("Train", type="primary", key="cl_train"):
            inputs = dict(data=data) if task == "own" else dict(task=task)
            start("train", task, partial(train_job, config=config, train=train, **inputs), setup)
    res = st.session_state["cl_result"]
    if res is not None and st.session_state["cl_result_task"] == task:
        results.show_evaluation(res["evaluation"], "Your trained model vs baselines (same split, same run)")
        results.downloads(res, st.session_state["cl_pending"][2])
    upload_classifier()
    setup.share_button()
    import_panel("cl", import_experiment)
    setup.sync()


main()
