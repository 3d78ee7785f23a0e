#!/usr/bin/env bash
# Installs everything the project needs into .venv from the pinned lock (PyPI and Debian packages only).
set -euo pipefail
cd "$(dirname "$0")/.."

# The CJK font renders the sample PDF; poppler's pdftoppm is used to look at pages.
if ! fc-list 2>/dev/null | grep -qi "wqy-zenhei" && command -v apt-get >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq fonts-wqy-zenhei poppler-utils) >/dev/null
fi

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q -r requirements.lock
.venv/bin/python -m pip install -q --no-deps -e .
