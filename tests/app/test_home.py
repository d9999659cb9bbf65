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
    import xml.etree.ElementTree as ET

    from ui.diagrams import MAPPINGS, PANEL_W, sequence_mappings

    svg = ET.fromstring(sequence_mappings())  # well-formed SVG, no plotly.js needed in the browser
    ns = "{http://www.w3.org/2000/svg}"
    boxes = [r for r in svg.iter(f"{ns}rect") if r.get("class") == "box"]
    # hidden states in every panel (8 in the bidirectional one), inputs and outputs as MAPPINGS says
    expected = sum(4 * (2 if n == "bidirectional" else 1) + len(i) + len(o) for n, (i, o, _) in MAPPINGS.items())
    assert len(boxes) == expected
    panels = sorted({int(float(r.get("x")) // PANEL_W) for r in boxes})
    assert panels == list(range(len(MAPPINGS)))  # each box inside one of the four panels
    per_panel = [sum(1 for r in boxes if int(float(r.get("x")) // PANEL_W) == k) for k in panels]
    assert per_panel == [4 + len(i) + len(o) + (4 if n == "bidirectional" else 0) for n, (i, o, _) in MAPPINGS.items()]
    arrows = [a for a in svg.iter(f"{ns}line") if a.get("class") == "arrow"]
    assert arrows and all(a.get("marker-end", "").startswith("url(#a-") for a in arrows)
    titles = [t.text for t in svg.iter(f"{ns}text") if t.get("class") == "title"]
    assert titles == list(MAPPINGS)


def test_a_page_opened_in_the_app_has_one_title_drawn_before_its_own_work():
    """app.py draws the page's title first (ui/heading.py); the page then does not draw it again."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/translation.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Translation"]
    assert "_title_drawn_by_app" not in at.session_state  # cleared when the page's run ends
    alone = AppTest.from_file(str(ROOT / "app_pages" / "translation.py"), default_timeout=120).run()
    assert [t.value for t in alone.title] == ["Translation"]  # run alone, the page draws its own
