#!/usr/bin/env bash
# Runs pytest from the project's virtual environment; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/static
export DJANGO_SETTINGS_MODULE=jobhelp.settings
if [[ " $* " == *" -m browser "* ]]; then
  export DJANGO_ALLOW_ASYNC_UNSAFE=true
fi
exec .venv/bin/python -m pytest "$@"
