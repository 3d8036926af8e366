#!/usr/bin/env bash
# The demo: the web server, the task worker and the periodic jobs side by side; Ctrl-C stops all.
# PORT (default 8000) is where it serves; the links in emails and texts follow it
# (JOBHELP_PUBLIC_BASE_URL, unless that is set already). `serve-demo.sh --check` only prints
# the port and the address links will use, and exits (tests/demo/test_serve_demo.py).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
if ! [[ "$PORT" =~ ^[0-9]{1,5}$ ]] || ((10#$PORT < 1024 || 10#$PORT > 65535)); then
  echo "PORT must be a number from 1024 to 65535, got '$PORT'." >&2
  exit 2
fi
PORT=$((10#$PORT))
export JOBHELP_PUBLIC_BASE_URL="${JOBHELP_PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}"
if [[ "${1:-}" == "--check" ]]; then
  echo "port=$PORT"
  echo "links=$JOBHELP_PUBLIC_BASE_URL"
  exit 0
fi
.venv/bin/python manage.py db_worker --interval 1 &
worker=$!
.venv/bin/python manage.py run_periodic --every 60 -v 0 &
periodic=$!
trap 'kill $worker $periodic 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  jobhelp demo: http://127.0.0.1:$PORT
  Public request form:  http://127.0.0.1:$PORT/help/   (in Spanish: the "Español" button)
  Triage queue:         http://127.0.0.1:$PORT/staff/queue/
  Staff:                http://127.0.0.1:$PORT/staff/   (password: jobhelp-demo)
     frontdesk  front desk, Riverbend County Library
     jrivera    career coach (speaks Spanish)
     mgarcia    manager
     aokafor    librarian (helper), Central Library
     dwhite     partner staff, WorkForce Center
     rkhan      front desk, WorkForce Center
     cortiz     manager, WorkForce Center
     admin      administrator (also /admin/)
  Emails and text messages are printed in this terminal by the worker.

MSG
.venv/bin/python manage.py runserver 127.0.0.1:8000
