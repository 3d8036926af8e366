#!/usr/bin/env bash
# `make restore FILE=var/backups/jobhelp-....dump`: restore a backup made by `make backup` into
# the database at DATABASE_URL, which must be new and empty (create it first: createdb, or a
# new SQLite file name); a restore never overwrites data. Then run `manage.py migrate` (a no-op
# unless the code is newer than the backup) and start the services.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-}
[[ -n "$file" && -f "$file" ]] || { echo "usage: make restore FILE=<a backup made by make backup>" >&2; exit 2; }
url=${DATABASE_URL:-}
if [[ $url == postgres://* || $url == postgresql://* ]]; then
  [[ $file == *.dump ]] || { echo "$file is not a PostgreSQL backup (.dump)" >&2; exit 2; }
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  tables=$("${bin:+$bin/}psql" "$url" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  if [[ $tables != 0 ]]; then
    echo "The database at DATABASE_URL already has $tables tables; restore into a new one." >&2
    exit 1
  fi
  "${bin:+$bin/}pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$url" "$file"
else
  [[ $file == *.sqlite3 ]] || { echo "$file is not a SQLite backup (.sqlite3)" >&2; exit 2; }
  .venv/bin/python manage.py sqlite_restore "$file"
fi
echo "restored $file"
