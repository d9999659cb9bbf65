"""Teacher mode on the classification page: a set-up in the URL, locked and hidden controls, bad links, the lesson."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.lessons import LESSONS, parse

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "sequence_classification.py")


def open_page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_link_sets_up_and_locks_the_page():
    at = open_page({"cl_task": "reviews", "cl_cell": "lstm", "cl_steps": "40", "cl_seed": "7", "lock": "cl_task",
                    "hide": "cl_seed"})
    assert not at.exception
    assert at.radio(key="cl_task").value == "reviews" and at.radio(key="cl_task").disabled
    assert at.selectbox(key="cl_cell").value == "lstm" and not at.selectbox(key="cl_cell").disabled
    assert at.number_input(key="cl_steps").value == 40
    assert not [w for w in at.number_input if w.key == "cl_seed"]  # hidden, still in the set-up
    assert at.session_state["cl_seed"] == 7
    # the measured comparison is on the page, and it says plainly whether the baseline wins
    from ui.classify.compare import report

    entry = report()["tasks"]["reviews"]
    acc = entry["accuracy"]
    said = " ".join(b.value for b in [*at.warning, *at.success])
    assert ("The baseline wins here" in said) == (acc[entry["shipped"]] < acc[entry["best_baseline"]])
    assert any(s.value.startswith("Which network?") for s in at.subheader)


def test_bad_link_values_are_ignored_with_a_notice():
    at = open_page({"cl_task": "klingon", "cl_steps": "-5", "cl_hidden": "7"})
    assert not at.exception
    assert at.radio(key="cl_task").value == "names"
    note = " ".join(c.value for c in at.caption if c.value.startswith("Link settings"))
    assert "cl_task=klingon" in note and "cl_steps=-5" in note and "cl_hidden=7" in note


def test_lesson_steps_open_this_page_with_known_settings():
    lesson = parse("lesson_many_to_one", (LESSONS / "lesson_many_to_one.md").read_text())
    assert len(lesson.steps) == 4
    for step in lesson.steps:
        assert step.page == "sequence_classification"
        at = open_page(step.setup)
        assert not at.exception
        assert at.radio(key="cl_task").value == step.setup["cl_task"]
