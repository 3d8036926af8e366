#!/usr/bin/env bash
# The demo: the web server, the task worker and the periodic jobs side by side; Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py db_worker --interval 1 &
worker=$!
.venv/bin/python manage.py run_periodic --every 60 -v 0 &
periodic=$!
trap 'kill $worker $periodic 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  jobhelp demo: http://127.0.0.1:8000
  Public request form:  http://127.0.0.1:8000/help/   (in Spanish: the "Español" button)
  Triage queue:         http://127.0.0.1:8000/staff/queue/
  Staff:                http://127.0.0.1:8000/staff/   (password: jobhelp-demo)
$(.venv/bin/python manage.py demo_logins)
  Emails and text messages are printed in this terminal by the worker (the past year's
  were sent when they happened; only new ones are printed).

MSG
.venv/bin/python manage.py runserver 127.0.0.1:8000
