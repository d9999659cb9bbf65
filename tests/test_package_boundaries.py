"""rnn_models never imports or starts Streamlit, plotly or Playwright, and nothing in the repo unpickles."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_importing_rnn_models_imports_no_ui_libraries():
    code = ("import sys, pkgutil, importlib, rnn_models\n"
            "for m in pkgutil.walk_packages(rnn_models.__path__, 'rnn_models.'):\n"
            "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly', 'playwright')]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def test_no_source_file_unpickles_or_uses_torch_load():
    """The one reader of pickles is ui/jobs/process.JobUnpickler (a job's result, from our own child
    process, through an allow-list); tests/ui/test_jobs.py shows it refusing a payload."""
    pattern = re.compile(r"torch\.load\(|pickle\.loads?\(|Unpickler\(|weights_only\s*=\s*False")
    offenders = [str(p) for d in ("rnn_models", "ui", "app_pages") if (ROOT / d).exists()
                 for p in (ROOT / d).rglob("*.py") if pattern.search(p.read_text())
                 and p != ROOT / "ui" / "jobs" / "process.py"]
    offenders += [str(ROOT / "app.py")] if pattern.search((ROOT / "app.py").read_text()) else []
    assert offenders == []


UI_LIBRARIES = re.compile(r"^\s*(import|from)\s+(streamlit|plotly|playwright)\b", re.M)
STARTS_STREAMLIT = re.compile(r"[\"']streamlit[\"']\s*,\s*[\"']run[\"']|streamlit run|"
                              r"[\"']-m[\"']\s*,\s*[\"']streamlit")


def test_no_file_under_rnn_models_imports_or_starts_a_ui_library():
    """Also lazily imported ones, which importing the package cannot reveal, and starting a server."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "rnn_models").rglob("*.py")
                 if UI_LIBRARIES.search(p.read_text()) or STARTS_STREAMLIT.search(p.read_text())]
    assert offenders == []


def test_the_boundary_check_sees_what_it_forbids():
    assert UI_LIBRARIES.search("def f():\n    from playwright.sync_api import sync_playwright\n")
    assert UI_LIBRARIES.search("import streamlit as st\n")
    assert STARTS_STREAMLIT.search('cmd = [sys.executable, "-m", "streamlit", "run", script]')
    assert not UI_LIBRARIES.search('path = package_dir("plotly") / "package_data"\n')
