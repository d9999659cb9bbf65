"""The page's "Which network?" chart: cells x directions as grouped bars, every baseline as a line."""

from ui.classify.charts import variants_chart

VARIANTS = {f"{'bidirectional' if bi else 'forward'} {c.upper()} 8": {"cell": c, "bidirectional": bi, "seconds": 1.0}
            for c in ("rnn", "gru", "lstm") for bi in (False, True)}


def test_variants_chart_groups_cells_by_direction_and_draws_each_baseline():
    acc = {name: 0.5 + 0.05 * k for k, name in enumerate(VARIANTS)} | {"majority": 0.3, "char n-gram LR": 0.7}
    fig = variants_chart(VARIANTS, acc, ["majority", "char n-gram LR"])
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(bars) == {"forward only", "bidirectional"}
    assert list(bars["forward only"].x) == ["RNN", "GRU", "LSTM"]
    assert list(bars["bidirectional"].y) == [acc["bidirectional RNN 8"], acc["bidirectional GRU 8"],
                                             acc["bidirectional LSTM 8"]]
    lines = sorted(s.y0 for s in fig.layout.shapes)
    assert lines == [0.3, 0.7]
    assert [t.name for t in fig.data if t.type == "scatter"] == ["char n-gram LR 70.0%", "majority 30.0%"]
