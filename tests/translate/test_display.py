"""How a translation is shown: the heatmap's labels and size, the top-5 table, the notices under the headline."""

from rnn_models.translate.translator import Translation
from ui.translate.charts import MIN_HEIGHT, attention_heatmap


def result(source: list[str], target: list[str]) -> Translation:
    n = len(source)
    return Translation("x", source, [False] * n, target, [[1 / n] * n for _ in target],
                       [[{"token": t, "p": 0.5}, {"token": "<unk>", "p": 0.2}] for t in target], -1.0, "additive")


def test_the_heatmap_labels_every_row_and_column_and_says_end_in_words():
    short = attention_heatmap(result(["ich", "<b>", "."], ["i", "</s>"]))
    assert short.layout.height >= MIN_HEIGHT  # two rows still get a readable plot
    assert list(short.layout.yaxis.ticktext) == ["i ·0", "⟨end⟩ ·1"]  # not "</s>", which plotly swallows as HTML
    assert list(short.layout.xaxis.ticktext)[1] == "&lt;b&gt; ·1"
    words = [f"wort{i}" for i in range(25)]
    wide = attention_heatmap(result(words, ["a"] * 30 + ["</s>"]))
    assert len(wide.layout.xaxis.tickvals) == 25 and wide.layout.xaxis.tickmode == "array"  # every column named
    assert len(wide.layout.yaxis.tickvals) == 31 and wide.layout.height >= 31 * 26
    assert wide.layout.xaxis.tickfont.size < 13


def test_the_top5_table_says_end_and_unknown_in_words():
    from ui.translate.translate_tab import alternatives_table

    table = alternatives_table(result(["ich", "."], ["<unk>", "</s>"]))
    assert table["chosen"].tolist() == ["⟨unknown⟩", "⟨end⟩"]
    assert table["#2"].tolist() == ["⟨unknown⟩  20%"] * 2
    assert not any("<" in str(v) for v in table.to_numpy().ravel())
