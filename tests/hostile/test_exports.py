"""Real series saved as spreadsheets, banks and statistics offices save them (scripts/forecast_exports.py):
each one reads without an error, says how it was read, and forecasts, on the page and from the CLI."""

from tests.hostile.flows import FLOWS

_flows: dict = {}


def test_page_accepts(case, corpus):
    if "export" not in _flows:
        _flows["export"] = FLOWS[case["flow"]]()
    flow = _flows["export"]
    flow.feed([corpus / f for f in case["files"]])
    at = flow.at
    assert not at.exception and not at.error, [e.value for e in at.error][:1]
    line = " ".join(i.value for i in at.info)
    assert "How the file was read:" in line and "read as " in line
    assert flow.train(), "no forecast: " + " | ".join(e.value for e in at.error)
    run = at.session_state["fc_run"]
    assert run.series.name == at.session_state["fc_target"] and len(run.forecast) == run.config.horizon
    assert any(h.value.startswith("Results:") for h in at.subheader)
    flow.clear()


def test_cli_accepts(case, cli_futures):
    r = cli_futures[case["name"]].result(timeout=600)
    assert r.rc == 0, r.stderr.strip()[-300:]
    read = [ln for ln in r.stderr.splitlines() if ln.startswith("read: read as ")]
    assert read and "target: " in r.stderr
    assert "forecast of '" in r.stdout
