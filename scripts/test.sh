#!/usr/bin/env bash
# Fresh machine → the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
.venv/bin/python -m pytest "$@"
