import numpy as np

from ui.music.charts import piano_roll, quality_table, spectrogram_with_notes


def test_piano_roll_colours_primer_and_continuation_with_probabilities():
    notes = [(60, 0.0, 0.5, float("nan"), True), (62, 0.5, 1.0, 0.25, False), (64, 1.0, 1.5, 0.9, False)]
    fig = piano_roll(notes, primer_end=0.5)
    names = [t.name for t in fig.data]
    assert names == ["primer", "continuation"]
    assert fig.data[0].marker.color != fig.data[1].marker.color
    assert "probability 25.0%" in fig.data[1].hovertext[0]
    assert "probability" not in fig.data[0].hovertext[0]
    assert list(fig.data[1].base) == [0.5, 1.0]


def test_spectrogram_and_quality_table():
    t = np.arange(10) * 0.01
    fig = spectrogram_with_notes(t, np.arange(36, 97, 0.5), np.zeros((122, 10)), np.full(10, 60.0),
                                 [(60, 0.0, 0.1)], [0.0])
    assert fig.data[0].type == "heatmap" and fig.data[2].name == "detected notes"
    rows = quality_table({"lstm": {"nll_per_event": 0.5, "nll_per_note": 2.0, "accuracy": 0.8}})
    assert rows[0]["predictor"] == "LSTM (this model)"
