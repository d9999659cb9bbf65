"""Every hostile file, fed to its page (AppTest) and to its CLI (a capped subprocess).

Page: an st.error appears, no exception box, not the generic fallback message, the student's
earlier work (a generated sample, a continuation, a trained forecast) is still there, and the
page answers within PAGE_LIMIT_S. CLI: exit code 2, one line on stderr, within the CPU limit,
under the memory caps. Pickle payloads never run: their marker files never appear.
"""

import re
from pathlib import Path

import pytest

from tests.hostile.flows import FLOWS
from tests.hostile.harness import CLI_CPU_LIMIT_S, RSS_LIMIT_MB

PAGE_LIMIT_S = 5.0
GENERIC = re.compile(r"could not be used \(\w+\)\. Check the file and try again")  # ui.uploads fallback
# Cases a page or CLI (owned by someone else) does not handle yet: name -> reason. Strict: a fix
# turns the case into XPASS, which fails, so the entry gets removed.
KNOWN_PAGE: dict[str, str] = {}
KNOWN_CLI: dict[str, str] = {}

_flows: dict = {}


def flow_for(name: str):
    """One AppTest session per flow, reused case after case; rebuilt after a case broke it."""
    if name not in _flows:
        _flows[name] = FLOWS[name]()
    return _flows[name]


def known_failure(request, known: dict, case: dict) -> None:
    if case["name"] in known:
        request.applymarker(pytest.mark.xfail(reason=known[case["name"]], strict=True))


def marker_absent(case: dict) -> None:
    if case.get("marker"):
        assert not Path(case["marker"]).exists(), f"the pickle payload RAN: {case['marker']} was created"


def test_page_refuses(case, corpus, request):
    known_failure(request, KNOWN_PAGE, case)
    flow = flow_for(case["flow"])
    broken = True
    try:
        seconds = flow.feed([corpus / f for f in case["files"]])
        at = flow.at
        exceptions = [e.value for e in at.exception]
        errors = [e.value for e in at.error]
        marker_absent(case)
        assert not exceptions, f"exception box: {exceptions[0][:200]}"
        assert errors, "no st.error for a file that cannot be used"
        assert not any(GENERIC.search(e) for e in errors), f"only the generic message: {errors[0][:200]}"
        assert flow.kept(), "the earlier state (sample / continuation / forecast) was lost"
        assert seconds < PAGE_LIMIT_S, f"the page took {seconds:.1f} s"
        flow.clear()
        assert not flow.at.exception
        broken = False
    finally:
        if broken:
            _flows.pop(case["flow"], None)


def test_cli_refuses(case, cli_futures, request):
    known_failure(request, KNOWN_CLI, case)
    r = cli_futures[case["name"]].result(timeout=600)
    marker_absent(case)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert not r.killed, f"killed after {r.wall_s:.0f} s"
    assert r.rc == 2, f"exit code {r.rc}; stderr: {r.stderr.strip()[-300:]}"
    assert len(lines) == 1 and lines[0].startswith("error: "), f"stderr is not one 'error:' line: {lines[:3]}"
    assert "internal error" not in lines[0]
    assert r.cpu_s < CLI_CPU_LIMIT_S, f"{r.cpu_s:.1f} CPU-seconds (wall {r.wall_s:.1f} s)"
    assert r.max_rss_mb < RSS_LIMIT_MB, f"peak RSS {r.max_rss_mb:.0f} MB"


def test_no_payload_ever_ran(corpus, cli_futures):
    """After every page and CLI has read every file: no marker file anywhere in the corpus."""
    for f in cli_futures.values():
        f.result(timeout=600)
    assert not list(corpus.glob("PAYLOAD_RAN_*"))
    assert not list(Path.cwd().glob("PAYLOAD_RAN_*"))


def test_corpus_is_big_and_varied(corpus):
    from tests.hostile.harness import load_manifest

    cases = load_manifest(corpus)
    files = [f for c in cases for f in c["files"]]
    assert len(files) >= 50
    kinds = {Path(f).suffix for f in files}
    assert {".csv", ".mid", ".wav", ".txt", ".safetensors", ".json"} <= kinds
    assert any(c.get("marker") for c in cases)
