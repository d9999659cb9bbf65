"""What the browser is sent: long lines thinned with their peaks kept, wide heat maps averaged, markers left."""

import numpy as np
import plotly.graph_objects as go

from ui.charts import MAX_HEAT_COLUMNS, MAX_LINE_POINTS, apply_theme, peaks_kept


def test_a_long_line_is_thinned_in_order_and_keeps_its_spikes():
    y = np.sin(np.arange(20_000) / 300.0)
    y[12_345], y[777] = 50.0, -40.0
    fig = apply_theme(go.Figure(go.Scatter(x=np.arange(20_000), y=y, mode="lines")))
    tr = fig.data[0]
    assert len(tr.y) <= MAX_LINE_POINTS and np.all(np.diff(tr.x) > 0)
    assert 12_345 in tr.x and 777 in tr.x and tr.y.max() == 50.0 and tr.y.min() == -40.0
    assert tr.x[0] == 0 and tr.x[-1] == 19_999


def test_nan_gaps_survive_and_short_lines_and_markers_are_left_alone():
    y = np.arange(3000, dtype=float)
    y[100:200] = np.nan
    idx = peaks_kept(3000, y, 1000)
    assert len(idx) <= 1000 and np.isnan(y[idx]).any()
    short = go.Scatter(y=np.arange(50.0), mode="lines")
    dots = go.Scatter(y=np.arange(5000.0), mode="markers")
    fig = apply_theme(go.Figure([short, dots]))
    assert len(fig.data[0].y) == 50 and len(fig.data[1].y) == 5000


def test_a_wide_heat_map_is_averaged_to_the_columns_shown():
    z = np.random.default_rng(0).normal(size=(64, 1000))
    fig = apply_theme(go.Figure(go.Heatmap(z=z, x=np.arange(1000) * 0.01)))
    tr = fig.data[0]
    assert np.shape(tr.z) == (64, MAX_HEAT_COLUMNS) and len(tr.x) == MAX_HEAT_COLUMNS
    assert abs(float(np.mean(tr.z)) - float(z.mean())) < 1e-3
