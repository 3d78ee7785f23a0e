#!/usr/bin/env bash
# Fresh machine → the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
# One worker per core; tests sharing a built warehouse stay on one worker (tests/conftest.py).
.venv/bin/python -m pytest -n "${BUDGET_TEST_WORKERS:-auto}" --dist loadgroup "$@"
