import pytest

from ui.lessons import LESSONS, parse, step_target

SAMPLE = """# Temperature and creativity
How randomness changes what a model writes.

## Cold
page: text_generation
setup: temperature=0.2&seed=3
Look at how repetitive it is.

## Hot
page: text_generation
setup: temperature=1.6&seed=3
Now it invents words.
"""


def test_parse_and_step_targets():
    lesson = parse("temp", SAMPLE)
    assert lesson.title == "Temperature and creativity" and len(lesson.steps) == 2
    assert lesson.steps[1].setup == {"temperature": "1.6", "seed": "3"}
    page, q = step_target(lesson, 1)
    assert page == "app_pages/text_generation.py" and q["lesson"] == "temp" and q["step"] == "2"


def test_bad_lessons_say_what_is_missing():
    with pytest.raises(ValueError, match="needs a '# Title'"):
        parse("x", "no title here")
    with pytest.raises(ValueError, match="no 'page:' line"):
        parse("x", "# T\n## Step\nsetup: a=1\n")


def test_every_shipped_lesson_parses():
    for f in LESSONS.glob("lesson_*.md"):
        lesson = parse(f.stem, f.read_text())
        assert lesson.steps and all(s.page for s in lesson.steps)
