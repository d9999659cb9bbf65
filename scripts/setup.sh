#!/usr/bin/env bash
# Create .venv and install the pinned requirements; does nothing when they are already installed.
# Also fetches the data the classification and translation pages read (Debian packages where
# apt-get is available and we are root; vaderSentiment's source archive into .cache/data).
# Usage: bash scripts/setup.sh [requirements file]   (default: requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
req="${1:-requirements.txt}"
py="${PYTHON:-python3.11}"
command -v "$py" >/dev/null 2>&1 || py=python3
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
stamp=".venv/.installed-$(cat requirements.txt "$req" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  # pip, not uv/poetry: pip sees the local torch index (a CPU-usable torch without a CUDA download)
  .venv/bin/python -m pip install --disable-pip-version-check -q -r "$req"
  touch "$stamp"
fi
bash scripts/setup_data.sh || echo "setup: some built-in data could not be installed; the pages say how to get it" >&2
