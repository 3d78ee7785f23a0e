#!/usr/bin/env bash
# Fresh machine → warehouse/budget.duckdb built from the shipped sample in raw/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
.venv/bin/budget-etl run
