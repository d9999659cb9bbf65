"""Diagrams the app draws itself: how a recurrent network maps sequences.

Drawn as plain SVG, not a plotly chart: the home page is every student's first page, and a plotly chart there
made the browser load and run plotly.js (seconds on a classroom laptop) before the first click could count.
"""

from html import escape

MAPPINGS = {  # name -> (which steps take an input, which give an output, example)
    "one-to-many": ((0,), (0, 1, 2, 3), "a seed note → a melody"),
    "many-to-one": ((0, 1, 2, 3), (3,), "a sentence → its mood"),
    "many-to-many": ((0, 1, 2, 3), (0, 1, 2, 3), "text → the next character at every step"),
    "bidirectional": ((0, 1, 2, 3), (0, 1, 2, 3), "fill in a blank using both sides"),
}
_BOX = {"x": "#9ecae1", "h": "#fdae6b", "h'": "#fdd0a2", "y": "#a1d99b"}
_ARROWS = {"#444": "a-grey", "#d94801": "a-fwd", "#8c6d31": "a-back"}  # colour -> arrowhead marker id
PANEL_W, PANEL_H, TOP = 300, 260, 62  # one panel's drawing area (px of the viewBox), and the titles above it
X_RANGE, Y_RANGE = (-0.6, 3.6), (-0.5, 3.4)  # each panel's coordinates: steps left to right, layers upwards


def _px(col: int, x: float, y: float) -> tuple[float, float]:
    """Panel `col`'s (step, layer) coordinates -> viewBox pixels (y grows downwards in SVG)."""
    px = col * PANEL_W + (x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]) * PANEL_W
    py = TOP + (Y_RANGE[1] - y) / (Y_RANGE[1] - Y_RANGE[0]) * PANEL_H
    return round(px, 1), round(py, 1)


def _box(out: list, col: int, x: float, y: float, kind: str, step: int) -> None:
    (x0, y1), (x1, y0) = _px(col, x - 0.32, y - 0.28), _px(col, x + 0.32, y + 0.28)
    cx, cy = _px(col, x, y)
    out.append(f'<rect class="box" x="{x0}" y="{y0}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
               f'fill="{_BOX[kind]}" stroke="#444"/>')
    out.append(f'<text x="{cx}" y="{cy + 5}" text-anchor="middle" font-size="16">{escape(kind)}'
               f'<tspan font-size="11" dy="4">{step + 1}</tspan></text>')


def _arrow(out: list, col: int, x0, y0, x1, y1, color: str = "#444") -> None:
    (a, b), (c, d) = _px(col, x0, y0), _px(col, x1, y1)
    out.append(f'<line class="arrow" x1="{a}" y1="{b}" x2="{c}" y2="{d}" stroke="{color}" stroke-width="1.6" '
               f'marker-end="url(#{_ARROWS[color]})"/>')


def _panel(out: list, col: int, name: str) -> None:
    ins, outs, example = MAPPINGS[name]
    bi = name == "bidirectional"
    cx = col * PANEL_W + PANEL_W / 2
    out.append(f'<text class="title" x="{cx}" y="22" text-anchor="middle" font-size="19" font-weight="bold">'
               f'{escape(name)}</text>')
    out.append(f'<text x="{cx}" y="44" text-anchor="middle" font-size="15" fill="#444">{escape(example)}</text>')
    for t in range(4):
        _box(out, col, t, 1, "h", t)
        if bi:
            _box(out, col, t, 1.9, "h'", t)
        if t in ins:
            _box(out, col, t, 0, "x", t)
            _arrow(out, col, t, 0.28, t, 0.72)
            if bi:
                (a, b), (c, d) = _px(col, t + 0.36, 0.2), _px(col, t + 0.36, 1.75)
                out.append(f'<line x1="{a}" y1="{b}" x2="{c}" y2="{d}" stroke="#999" stroke-dasharray="2 3"/>')
        top = 2.9 if bi else 2
        if t in outs:
            _box(out, col, t, top, "y", t)
            _arrow(out, col, t, 2.18 if bi else 1.28, t, top - 0.28)
        if t < 3:
            _arrow(out, col, t + 0.32, 1, t + 0.68, 1, color="#d94801")
            if bi:
                _arrow(out, col, t + 0.68, 1.9, t + 0.32, 1.9, color="#8c6d31")


def sequence_mappings() -> str:
    """Four small unrolled networks, as one SVG: inputs at the bottom, hidden states fed along, outputs on top."""
    width, height = PANEL_W * len(MAPPINGS), TOP + PANEL_H
    markers = "".join(f'<marker id="{mid}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                      f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
                      for color, mid in _ARROWS.items())
    out: list[str] = []
    for col, name in enumerate(MAPPINGS):
        _panel(out, col, name)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'role="img" aria-label="Sequence mappings: {", ".join(MAPPINGS)}" '
            f'style="max-width:{width * 1.25:.0f}px; font-family: sans-serif">'
            f'<defs>{markers}</defs>{"".join(out)}</svg>')
