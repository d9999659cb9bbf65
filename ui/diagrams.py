"""Diagrams the app draws itself: how a recurrent network maps sequences."""

import plotly.graph_objects as go

from ui.charts import apply_theme

MAPPINGS = {  # name -> (which steps take an input, which give an output, example)
    "one-to-many": ((0,), (0, 1, 2, 3), "a seed note → a melody"),
    "many-to-one": ((0, 1, 2, 3), (3,), "a sentence → its mood"),
    "many-to-many": ((0, 1, 2, 3), (0, 1, 2, 3), "text → the next character at every step"),
    "bidirectional": ((0, 1, 2, 3), (0, 1, 2, 3), "fill in a blank using both sides"),
}
_BOX = {"x": "#9ecae1", "h": "#fdae6b", "y": "#a1d99b"}


def _refs(col: int) -> dict:
    """The axes of subplot `col` (1-based), for shapes and annotations placed in it."""
    x, y = ("x", "y") if col == 1 else (f"x{col}", f"y{col}")
    return {"xref": x, "yref": y}


def _box(shapes: list, notes: list, x, y, text, color, col) -> None:
    shapes.append(dict(type="rect", x0=x - 0.32, x1=x + 0.32, y0=y - 0.28, y1=y + 0.28, fillcolor=color,
                       line=dict(color="#444", width=1), **_refs(col)))
    notes.append(dict(x=x, y=y, text=text, showarrow=False, font=dict(size=14), **_refs(col)))


def _arrow(notes: list, x0, y0, x1, y1, col, color="#444") -> None:
    refs = _refs(col)
    notes.append(dict(x=x1, y=y1, ax=x0, ay=y0, axref=refs["xref"], ayref=refs["yref"], showarrow=True, arrowhead=2,
                      arrowsize=1.2, arrowwidth=1.6, arrowcolor=color, text="", **refs))


def sequence_mappings() -> go.Figure:
    """Four small unrolled networks: inputs at the bottom, hidden states fed along, outputs on top."""
    from plotly.subplots import make_subplots

    names = list(MAPPINGS)
    fig = make_subplots(rows=1, cols=len(names), horizontal_spacing=0.03,
                        subplot_titles=[f"<b>{n}</b><br><sup>{MAPPINGS[n][2]}</sup>" for n in names])
    # shapes and annotations collected and set at once: plotly re-validates every earlier one on each
    # add_shape/add_annotation, which made this figure cost seconds
    shapes, notes = [], []
    for col, name in enumerate(names, start=1):
        ins, outs, _ = MAPPINGS[name]
        bi = name == "bidirectional"
        for t in range(4):
            _box(shapes, notes, t, 1, f"h<sub>{t + 1}</sub>", _BOX["h"], col)
            if bi:
                _box(shapes, notes, t, 1.9, f"h'<sub>{t + 1}</sub>", "#fdd0a2", col)
            if t in ins:
                _box(shapes, notes, t, 0, f"x<sub>{t + 1}</sub>", _BOX["x"], col)
                _arrow(notes, t, 0.28, t, 0.72, col)
                if bi:
                    shapes.append(dict(type="line", x0=t + 0.36, x1=t + 0.36, y0=0.2, y1=1.75,
                                       line=dict(color="#999", dash="dot"), **_refs(col)))
            top = 2.9 if bi else 2
            if t in outs:
                _box(shapes, notes, t, top, f"y<sub>{t + 1}</sub>", _BOX["y"], col)
                _arrow(notes, t, (2.18 if bi else 1.28), t, top - 0.28, col)
            if t < 3:
                _arrow(notes, t + 0.32, 1, t + 0.68, 1, col, color="#d94801")
                if bi:
                    _arrow(notes, t + 0.68, 1.9, t + 0.32, 1.9, col, color="#8c6d31")
        fig.update_xaxes(visible=False, range=[-0.6, 3.6], row=1, col=col)
        fig.update_yaxes(visible=False, range=[-0.5, 3.4], row=1, col=col)
    fig.update_layout(shapes=shapes, annotations=[*fig.layout.annotations, *notes])
    apply_theme(fig, height=330)
    fig.update_layout(showlegend=False, margin=dict(l=5, r=5, t=70, b=5), dragmode=False)
    return fig
