#!/usr/bin/env bash
# Set up (idempotent) and run the whole test suite: lint, unit, AppTest, CLI and browser tests.
# Browser tests need Debian's chromium at /usr/bin/chromium (.ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
.venv/bin/ruff check .
exec .venv/bin/python -m pytest -q -n 2 --dist loadfile "$@"
