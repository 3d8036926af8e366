#!/usr/bin/env bash
# Run a command against PostgreSQL. With DATABASE_URL set, that database is used as it is;
# otherwise a throwaway cluster is started from the installed server binaries on a free port
# of its own, and stopped and deleted when the command ends.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${DATABASE_URL:-}" ]]; then
  exec "$@"
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin)." >&2
  echo "Install them (Debian: apt-get install postgresql) or set DATABASE_URL." >&2
  exit 1
fi
dir=$(mktemp -d /tmp/jobhelp-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
  # initdb refuses to run as root; the cluster belongs to the postgres system user.
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 -o "$options" start >/dev/null
"${as_owner[@]}" "$bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE jobhelp LOGIN CREATEDB PASSWORD 'jobhelp'" \
  -c "CREATE DATABASE jobhelp OWNER jobhelp" >/dev/null
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway)" >&2
export DATABASE_URL="postgres://jobhelp:jobhelp@127.0.0.1:$port/jobhelp"
# For the drills that stop and start the server (drills/harness.py).
export JOBHELP_PG_BIN="$bin" JOBHELP_PG_DATA="$dir/data" JOBHELP_PG_OPTIONS="$options"
set +e
"$@"
status=$?
set -e
exit $status
