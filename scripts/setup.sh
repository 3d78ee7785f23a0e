#!/usr/bin/env bash
# Installs everything the project needs into .venv from the pinned lock (PyPI and Debian packages only).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the CJK font renders the sample PDF, pdftoppm shows pages, Redis is the Celery broker,
# Chromium and its driver open the run report in the browser test; LibreOffice (Calc, Writer) and the Arphic
# Ming and Kai faces make the office-made fixtures (pipelines/fixtures/office.py).
missing=()
fc-list 2>/dev/null | grep -i "wqy-zenhei" >/dev/null || missing+=(fonts-wqy-zenhei)
fc-list 2>/dev/null | grep -i "AR PL UMing" >/dev/null || missing+=(fonts-arphic-uming)
fc-list 2>/dev/null | grep -i "AR PL UKai" >/dev/null || missing+=(fonts-arphic-ukai)
dpkg-query -W -f='${Status}' libreoffice-calc-nogui 2>/dev/null | grep -q "ok installed" || missing+=(libreoffice-calc-nogui)
dpkg-query -W -f='${Status}' libreoffice-writer-nogui 2>/dev/null | grep -q "ok installed" || missing+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && apt-get install -y -qq "${missing[@]}") >/dev/null
fi

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q -r requirements.lock
.venv/bin/python -m pip install -q --no-deps -e .
# The dbt manifest the Dagster definitions are read from (the webserver and the CLI find it ready).
DBT_SEND_ANONYMOUS_USAGE_STATS=false .venv/bin/python -m pipelines.dbt_manifest
