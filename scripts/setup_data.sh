#!/usr/bin/env bash
# Data the classification and translation pages read at run time (never committed):
#  - Debian: fillets-ng-data-cs/-nl (voiced dialogue clips), trans-de-en (German-English sentences);
#  - vaderSentiment 3.3.2's source archive (its human-rated sentences), cached in .cache/data.
# Idempotent: does nothing when everything is already there.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
debs=(fillets-ng-data-cs fillets-ng-data-nl trans-de-en)
missing=()
for d in "${debs[@]}"; do
  dpkg -s "$d" >/dev/null 2>&1 || missing+=("$d")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } || status=1
  else
    echo "setup: install ${missing[*]} with apt-get (as root) for the voices and translation data" >&2
    status=1
  fi
fi
cache=.cache/data
if [ ! -f "$cache/vaderSentiment-3.3.2.tar.gz" ]; then
  mkdir -p "$cache"
  .venv/bin/python -m pip download --disable-pip-version-check -q --no-binary :all: --no-deps \
    -d "$cache" vaderSentiment==3.3.2 || status=1
fi
if [ -f /usr/share/trans/de-en ] && [ -x .venv/bin/python ]; then
  # the translation page's dictionary lookup table, built once (10-40 s) so no first translation waits for it
  .venv/bin/python -c "from rnn_models.translate.lexicon import load_lexicon; load_lexicon()" || status=1
fi
exit $status
