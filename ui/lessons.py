"""Guided lessons: Markdown files in assets/lessons/lesson_*.md, a few steps each.

Format: `# Title`, an intro paragraph, then one `## Step title` section per step whose first
lines are `page: <page file stem>` and `setup: key=value&key=value` (the page's URL set-up),
followed by what to look for.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

import streamlit as st

LESSONS = Path(__file__).resolve().parent.parent / "assets" / "lessons"


@dataclass
class Step:
    title: str
    page: str  # page file stem, e.g. "text_generation"
    setup: dict[str, str]  # query parameters that set the page up
    body: str  # Markdown: what to do and what to look for


@dataclass
class Lesson:
    slug: str
    title: str
    intro: str
    steps: list[Step] = field(default_factory=list)


def parse(slug: str, text: str) -> Lesson:
    """Parse a lesson file; raises ValueError naming the problem."""
    title, intro, steps, cur = "", [], [], None
    for line in text.splitlines():
        if line.startswith("# ") and not title:
            title = line[2:].strip()
        elif line.startswith("## "):
            cur = Step(line[3:].strip(), "", {}, "")
            steps.append(cur)
        elif cur is None:
            intro.append(line)
        elif line.startswith("page:") and not cur.page:
            cur.page = line.split(":", 1)[1].strip()
        elif line.startswith("setup:") and not cur.setup:
            cur.setup = dict(parse_qsl(line.split(":", 1)[1].strip()))
        else:
            cur.body += line + "\n"
    if not title or not steps:
        raise ValueError(f"lesson {slug}: needs a '# Title' and at least one '## Step'")
    for s in steps:
        if not s.page:
            raise ValueError(f"lesson {slug}, step '{s.title}': no 'page:' line")
        s.body = s.body.strip()
    return Lesson(slug, title, "\n".join(intro).strip(), steps)


@st.cache_data
def all_lessons() -> dict[str, Lesson]:
    """Every lesson whose page exists, by slug, in file-name order."""
    root = LESSONS.parent.parent
    out = {}
    for f in sorted(LESSONS.glob("lesson_*.md")):
        lesson = parse(f.stem.removeprefix("lesson_"), f.read_text(encoding="utf-8"))
        if all((root / "app_pages" / f"{s.page}.py").is_file() for s in lesson.steps):
            out[lesson.slug] = lesson
    return out


def step_target(lesson: Lesson, index: int) -> tuple[str, dict[str, str]]:
    """The page path and query parameters that open step `index` (0-based)."""
    s = lesson.steps[index]
    return f"app_pages/{s.page}.py", {**s.setup, "lesson": lesson.slug, "step": str(index + 1)}


def picker() -> None:
    """Home page: choose a lesson and start it."""
    lessons = all_lessons()
    if not lessons:
        return
    st.subheader("Guided lessons")
    slug = st.selectbox("Lesson", list(lessons), format_func=lambda s: lessons[s].title, key="lesson_pick")
    lesson = lessons[slug]
    st.write(lesson.intro)
    st.caption(" → ".join(s.title for s in lesson.steps))
    if st.button("Start lesson", icon=":material/school:", key="lesson_start"):
        page, q = step_target(lesson, 0)
        st.switch_page(page, query_params=q)


def panel() -> None:
    """In a page: the current lesson step (from the URL) with Back and Next, in the sidebar."""
    slug, raw = st.query_params.get("lesson"), st.query_params.get("step", "1")
    lesson = all_lessons().get(slug or "")
    if lesson is None:
        return
    try:
        i = min(max(int(raw) - 1, 0), len(lesson.steps) - 1)
    except ValueError:
        i = 0
    s = lesson.steps[i]
    with st.sidebar.container(border=True):
        st.markdown(f"**Lesson: {lesson.title}**  \nStep {i + 1} of {len(lesson.steps)}: *{s.title}*")
        st.markdown(s.body)
        back, nxt = st.columns(2)
        if back.button("Back", disabled=i == 0, key="lesson_back", use_container_width=True):
            st.switch_page(*step_target(lesson, i - 1)[:1], query_params=step_target(lesson, i - 1)[1])
        if nxt.button("Next", disabled=i == len(lesson.steps) - 1, key="lesson_next", type="primary",
                      use_container_width=True):
            st.switch_page(step_target(lesson, i + 1)[0], query_params=step_target(lesson, i + 1)[1])
        if st.button("End lesson", key="lesson_end", use_container_width=True):
            for k in ("lesson", "step"):
                st.query_params.pop(k, None)
            for k in ("lock", "hide"):  # the lesson's locks end with it; a teacher's own link keeps its own
                if k in s.setup and st.query_params.get(k) == s.setup[k]:
                    st.query_params.pop(k, None)
            st.rerun()
