#!/usr/bin/env bash
# `make backup`: a consistent copy of the database at DATABASE_URL (default: the SQLite file in
# var/), taken while the application runs, into JOBHELP_BACKUP_DIR (default var/backups/) as
# jobhelp-<UTC time>.dump (PostgreSQL: pg_dump's custom format) or .sqlite3 (SQLite's online
# backup API, manage.py sqlite_backup). Prints the file's path. Restore with `make restore`.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${JOBHELP_BACKUP_DIR:-var/backups}
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
url=${DATABASE_URL:-}
if [[ $url == postgres://* || $url == postgresql://* ]]; then
  # The newest client tools installed (pg_dump must be at least the server's version).
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  pg_dump=${bin:+$bin/}pg_dump
  file="$dir/jobhelp-$stamp.dump"
  "$pg_dump" --format=custom --no-owner --no-privileges --file="$file" "$url"
else
  file="$dir/jobhelp-$stamp.sqlite3"
  .venv/bin/python manage.py sqlite_backup "$file" >/dev/null
fi
echo "$file"
