"""What the page shows: the belief after every step, held-out results beside baselines, downloads."""

import streamlit as st

from ui.classify import charts
from ui.projector import KEY as PROJECTOR

PAGE = "sequence_classification"
POOL_NAMES = {"last": "final state", "mean": "mean of all steps", "max": "max of all steps"}


def _big(fig):
    if st.session_state.get(PROJECTOR):
        fig.update_layout(font=dict(size=17), legend=dict(font=dict(size=17)))
    return fig


def show_belief(clf, item, audio: bytes | None = None) -> dict:
    """Classify one sequence and draw its belief after every step; returns the package's answer."""
    from rnn_models.classify.features import frame_seconds
    from rnn_models.classify.model import prior
    from rnn_models.classify.pipeline import classify_item

    out = classify_item(clf, item)
    probs, labels = out["probabilities"], out["labels"]
    st.caption("It can only answer one of its classes: " + ", ".join(labels) + ".")
    top = sorted(range(len(labels)), key=lambda k: -probs[k])[:3]
    cols = st.columns(len(top))
    for c, k in zip(cols, top):
        c.metric(labels[k], f"{probs[k]:.1%}")
    if clf.kind == "text":
        k = labels.index(out["prediction"])
        st.html(charts.char_html(item, charts.moved(out["steps"], prior(clf), k), out["prediction"]))
        fig = charts.belief_chart(out["steps"], labels, list(item) if len(item) <= 60 else None,
                                  x_title="character read")
        st.plotly_chart(_big(fig), key="cl_belief")
    else:
        sec = frame_seconds()
        import numpy as np

        xs = (np.arange(len(item)) + 1) * sec
        st.plotly_chart(_big(charts.belief_chart(out["steps"], labels, x=xs, x_title="seconds")), key="cl_belief")
        st.plotly_chart(_big(charts.spectrogram_chart(item, sec)), key="cl_spec")
        if audio is not None:
            st.audio(audio)
    if clf.pool != "last":
        st.caption(f"This network answers from the {clf.pool} of every step's output, so each step's belief is "
                   f"the answer from the {clf.pool} of the outputs so far.")
    if clf.model.config.bidirectional:
        st.caption("This network also reads backwards, so each step's belief is what it answers for the sequence "
                   "cut off at that step (it is run once per prefix).")
    return out


def show_evaluation(ev, title: str) -> None:
    """Accuracy of every model and baseline on the same held-out examples, the verdict, confusion matrices."""
    st.markdown(f"**{title}** · {ev.n_test:,} held-out examples")
    verdict = ev.verdict()
    (st.warning if "baseline wins" in verdict else st.success)(verdict)
    st.plotly_chart(_big(charts.accuracy_chart(ev.accuracy, ev.baselines)), key=f"cl_acc_{title}")
    names = sorted(ev.accuracy, key=lambda n: -ev.accuracy[n])
    pick = st.selectbox("Confusion matrix of", names, key=f"cl_conf_pick_{title}")
    st.plotly_chart(_big(charts.confusion_chart(ev.confusion[pick], ev.labels, f"Confusion: {pick}")),
                    key=f"cl_conf_{title}")


def train_controls(setup, data_kind: str):
    """Cell, direction, size, steps and seed -> (ClassifierConfig, TrainConfig)."""
    from rnn_models.classify.model import ClassifierConfig
    from rnn_models.training import TrainConfig

    c1, c2, c3, c6, c4, c5 = st.columns(6)
    cell = setup.control(st.selectbox, "cl_cell", "Cell", ["rnn", "gru", "lstm"], format_func=str.upper,
                         container=c1)
    bi = setup.control(st.checkbox, "cl_bi", "Bidirectional", container=c2,
                       help="Also read the sequence backwards; the answer uses both final states.")
    hidden = setup.control(st.select_slider, "cl_hidden", "Hidden units", [16, 32, 64, 128], container=c3)
    pool = setup.control(st.selectbox, "cl_pool", "Answer from", list(POOL_NAMES), format_func=POOL_NAMES.get,
                         container=c6, help="The final state (the classic many-to-one), or every step's output "
                                            "averaged or max-pooled, so early steps reach the answer directly.")
    steps = setup.control(st.number_input, "cl_steps", "Training steps", container=c4, step=50)
    seed = setup.control(st.number_input, "cl_seed", "Seed", container=c5)
    config = ClassifierConfig(cell=cell, hidden_size=int(hidden), bidirectional=bool(bi),
                              dropout=0.1 if data_kind == "text" else 0.3, pool=pool)
    train = TrainConfig(steps=int(steps), batch_size=32, lr=3e-3, eval_every=max(10, int(steps) // 10),
                        eval_batches=2, seed=int(seed), time_budget_s=300)
    return config, train


def downloads(result: dict, setup_query: dict[str, str]) -> None:
    """The trained model (safetensors + JSON) and the experiment file (.zip)."""
    import tempfile
    from pathlib import Path

    from rnn_models.checkpoints import Checkpoint
    from rnn_models.classify.train import save_classifier
    from ui.experiment import build

    run, ev = result["run"], result["evaluation"]
    with tempfile.TemporaryDirectory() as tmp:
        weights, meta = save_classifier(run.classifier, Path(tmp) / "classifier", {"metrics": ev.to_json()})
        wb, jb = weights.read_bytes(), meta.read_bytes()
    c1, c2, c3 = st.columns(3)
    c1.download_button("Model weights (.safetensors)", wb, "classifier.safetensors", key="cl_dl_w")
    c2.download_button("Model config (.json)", jb, "classifier.json", key="cl_dl_j")
    ckpt = Checkpoint(run.classifier.model, {**run.classifier.meta(), "metrics": ev.to_json()})
    figures = {"accuracy": charts.accuracy_chart(ev.accuracy, ev.baselines)}
    metrics = {"evaluation": ev.to_json(), "steps": len(run.history), "stopped": run.stopped}
    c3.download_button("Experiment (.zip)", build(PAGE, setup_query, metrics, figures, checkpoint=ckpt),
                       "classify_experiment.zip", key="cl_dl_experiment")
