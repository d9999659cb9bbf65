import numpy as np
import pytest

from rnn_models.classify.dataset import check_labels, stratified_split
from rnn_models.classify.text_data import load_names, read_text_csv
from rnn_models.errors import UserInputError


def test_names_are_deduplicated_and_held_out_by_name():
    data = load_names(seed=0)
    assert 10 <= len(data.classes) <= 18
    assert len(set(data.items)) == len(data.items)  # a name belongs to one language only
    train = {data.items[i] for i in data.train}
    test = {data.items[i] for i in data.test}
    assert not train & test
    assert any("dropped" in n for n in data.notes)


def test_split_is_seeded():
    labels = np.array([0] * 10 + [1] * 10)
    a, b = stratified_split(labels, 0.2, 1), stratified_split(labels, 0.2, 1)
    assert (a[0] == b[0]).all() and (a[1] == b[1]).all()
    assert not (stratified_split(labels, 0.2, 2)[1] == a[1]).all()
    assert len(a[1]) == 4 and set(labels[a[1]]) == {0, 1}


def test_csv_rows_become_examples():
    data = read_text_csv(b"text,label\nI loved it,pos\ngreat fun,pos\nawful,neg\n\"bad, boring\",neg\n")
    assert data.classes == ["neg", "pos"] and data.items[3] == "bad, boring"
    assert len(data.test) == 2 and len(data.train) == 2


@pytest.mark.parametrize("csv,message", [
    (b"a,x\nb,x\nc,x\n", "only one class"),
    (b"a,x\nb,\nc,y\nd,y\n", r"1 example\(s\) with an empty label"),
    (b"a,x\nb,y\nc,y\n", "have fewer than 2 examples"),
    (b"just text\nmore text\n", "Row 1 has no label"),
    (b"", "The file is empty"),
    (b"\x00\x01\x02binary", "binary"),
])
def test_bad_csv_says_what_is_wrong(csv, message):
    with pytest.raises(UserInputError, match=message):
        read_text_csv(csv)


def test_hundred_thousand_classes_refused():
    with pytest.raises(UserInputError, match="different labels; the limit is 50"):
        check_labels([f"c{i}" for i in range(100_000)])
