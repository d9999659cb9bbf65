"""Waiting for Streamlit in a real page, and checking it rendered cleanly."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    """Wait until the app is mounted and no script run is in progress."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stMain\"]')", timeout=timeout_ms)
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=timeout_ms)


def exception_texts(page) -> list[str]:
    """Texts of any exception boxes on the page (should be none)."""
    return page.locator('[data-testid="stException"]').all_inner_texts()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_link(page, url: str, ready) -> None:
    """Open a shared link once and check `ready()` (assertions on the restored controls).

    On failure the page is saved as screenshots/shared_link_failure.png, then the error is raised.
    """
    page.goto(url)
    wait_idle(page)
    try:
        ready()
    except AssertionError:
        screenshot(page, "shared_link_failure")
        raise
