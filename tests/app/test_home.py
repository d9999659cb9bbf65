from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def test_home_page_explains_and_links_existing_pages():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "RNN Studio"
    text = " ".join(m.value for m in at.markdown)
    assert "hidden state" in text and "Bidirectional" in text
    pages = sorted(p.stem for p in (ROOT / "app_pages").glob("*.py")) if (ROOT / "app_pages").exists() else []
    links = at.get("page_link")
    assert len(links) == len(pages)  # a card for each page that exists, no placeholders


def test_the_sequence_mapping_diagram_draws_every_box_and_arrow_in_its_own_panel():
    from ui.diagrams import MAPPINGS, sequence_mappings

    layout = sequence_mappings().layout
    boxes = [s for s in layout.shapes if s.type == "rect"]
    # hidden states in every panel (8 in the bidirectional one), inputs and outputs as MAPPINGS says
    expected = sum(4 * (2 if n == "bidirectional" else 1) + len(i) + len(o) for n, (i, o, _) in MAPPINGS.items())
    assert len(boxes) == expected
    assert {s.xref for s in boxes} == {"x", "x2", "x3", "x4"}
    arrows = [a for a in layout.annotations if a.showarrow]
    assert arrows and all(a.axref == a.xref and a.ayref == a.yref for a in arrows)
    assert sum(1 for a in layout.annotations if a.text and a.text.startswith("<b>")) == len(MAPPINGS)  # titles kept


def test_a_page_opened_in_the_app_has_one_title_drawn_before_its_own_work():
    """app.py draws the page's title first (ui/heading.py); the page then does not draw it again."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/translation.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Translation"]
    assert "_title_drawn_by_app" not in at.session_state  # cleared when the page's run ends
    alone = AppTest.from_file(str(ROOT / "app_pages" / "translation.py"), default_timeout=120).run()
    assert [t.value for t in alone.title] == ["Translation"]  # run alone, the page draws its own
