#!/usr/bin/env bash
# The replica drill: a second database on the throwaway cluster (scripts/with-postgres.sh)
# stands in for a replica; tests/reports/test_replica.py, run with DATABASE_REPLICA_URL
# pointing at it, fills the two differently and checks which one each read came from.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ ${DATABASE_URL:-} == postgres* ]] || { echo "run under scripts/with-postgres.sh" >&2; exit 2; }
export DATABASE_REPLICA_URL="${DATABASE_URL%/*}/jobhelp_replica"
exec scripts/test.sh -q -p no:randomly tests/reports/test_replica.py
