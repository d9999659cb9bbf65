"""The hidden-state section's tabs: gates over the text, the PCA trajectory, and the cell's equations with numbers."""

import numpy as np
import streamlit as st

from ui.explore import charts as xc
from ui.explore.states import PCA_COLOURS, chart, lesson_part


def gates_tab(setup, trace, layer: int, rows: list[int]) -> None:
    from rnn_models.explore.traces import saturation, saturation_summary

    st.markdown(lesson_part("Gates"))
    if not trace.gates[layer]:
        st.info("A vanilla RNN has no gates: its whole update is h_t = tanh(W_ih x_t + W_hh h_{t-1} + b). "
                "Pick an LSTM or GRU model to see gates.")
        return
    gates = list(trace.gates[layer])
    if st.session_state["ex_gate"] not in gates:  # "" (the first gate) or a gate of another cell
        st.session_state["ex_gate"] = gates[0]
    gate = setup.control(st.radio, "ex_gate", "Gate", gates, horizontal=True)
    vals = trace.gates[layer][gate]
    tanh_gate = gate in ("cell_candidate", "candidate")
    rows = [u for u in rows if u < vals.shape[1]]
    fig = xc.activation_heatmap(vals[:, rows], trace.text, title=f"{gate} gate × characters",
                                zmin=-1.0 if tanh_gate else 0.0, zmax=1.0,
                                colorscale="RdBu_r" if tanh_gate else "Viridis")
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(rows))), ticktext=[str(u) for u in rows],
                     type="category", autorange="reversed")
    chart(fig, key="ex_gate_heatmap")
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(xc.saturation_scatter(saturation(trace)[layer], title=f"Gate saturation, layer {layer + 1}"),
                    key="ex_sat")
    table = [r for r in saturation_summary(trace) if r["layer"] == layer + 1]
    c2.markdown("**Share of (unit, step) pairs**")
    c2.dataframe([{"gate": r["gate"], "left < 0.1": f"{r['left_saturated']:.1%}",
                   "right > 0.9": f"{r['right_saturated']:.1%}", "in between": f"{r['unsaturated']:.1%}"}
                  for r in table], hide_index=True)
    c2.caption("Candidate gates use tanh (−1..1); for them 'left' means below −0.8 and 'right' above 0.8.")


@st.cache_data(max_entries=64, show_spinner=False)
def _pca(hidden: np.ndarray, dims: int):
    """PCA of a trajectory, once per server for the same states (an SVD costs about a second)."""
    from rnn_models.explore.projection import pca

    return pca(hidden, dims)


def pca_tab(setup, trace, hidden: np.ndarray, values) -> None:
    from rnn_models.explore.units import position_in_line

    st.markdown(lesson_part("Trajectory"))
    c1, c2 = st.columns(2)
    dims = setup.control(st.radio, "ex_pca_dims", "Dimensions", [2, 3], format_func=lambda d: f"{d}D",
                         horizontal=True, container=c1)
    colour_by = setup.control(st.radio, "ex_pca_colour", "Colour by", list(PCA_COLOURS), horizontal=True,
                              container=c2)
    proj = _pca(hidden, dims)
    kinds = {"letter": 0, "space": 1, "punctuation": 2, "newline": 3, "digit": 4}

    def kind(ch):
        return "newline" if ch == "\n" else "space" if ch == " " else "letter" if ch.isalpha() else \
            "digit" if ch.isdigit() else "punctuation"

    colour = {"position": np.arange(len(trace.text)), "position in line": position_in_line(trace.text),
              "character kind": np.array([kinds[kind(c)] for c in trace.text]),
              "search property": values if values is not None else np.zeros(len(trace.text))}[colour_by]
    hover = [f"t={i + 1} {xc.shown_char(c)!r} ({kind(c)})" for i, c in enumerate(trace.text)]
    chart(xc.trajectory_chart(proj.coords, colour, hover, title="Hidden-state trajectory",
                                        colour_title=colour_by, explained=proj.explained), key="ex_pca")
    if colour_by == "character kind":
        st.caption("Colour codes: " + ", ".join(f"{v} = {k}" for k, v in kinds.items()))


def math_tab(model, vocab, trace, layer: int, unit: int) -> None:
    from rnn_models.explore.math_view import step_math

    st.markdown(lesson_part("Show the math"))
    T = len(trace.text)
    c1, c2 = st.columns([3, 1])
    t = c1.slider("Time step t", 1, T, min(T, 12), key="ex_math_t")
    unit = c2.number_input("Unit", 0, model.config.hidden_size - 1, min(unit, model.config.hidden_size - 1),
                           key="ex_math_unit")
    m = step_math(model, vocab, trace, t - 1, int(unit), layer)
    ctx = trace.text[max(0, t - 21):t - 1]
    st.markdown(f"Reading character **{xc.shown_char(m.char)!r}** at step {t} "
                f"(after `{ctx.replace(chr(10), '⏎')[-20:]}`), layer {layer + 1}, unit {unit}.")
    a, b = st.columns([2, 3])
    a.markdown("**For the whole vector**")
    b.markdown(f"**For unit {unit}: input part + recurrent part**")
    for sym, num in zip(m.symbolic, m.numeric):
        a.latex(sym)
        b.latex(num)
    probs = trace.next_probs[t - 1]
    top = np.argsort(-probs)[:5]
    st.caption("The model's guess for the next character: "
               + ", ".join(f"{xc.shown_char(vocab[i])!r} {probs[i]:.0%}" for i in top))
