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
