#!/usr/bin/env bash
# Set up (idempotent) and start RNN Studio on http://localhost:8501 with its built-in defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
exec .venv/bin/python -m ui.serve "$@"
