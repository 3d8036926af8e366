#!/usr/bin/env bash
# `make drills`: the fault and load drills (drills/), each in a throwaway PostgreSQL cluster of
# its own (scripts/with-postgres.sh), each printing its figures and failing when its claim
# does. `scripts/drills.sh load pg_restart` runs only the named ones.
#
# DRILL_RATE, DRILL_SECONDS: the load's rate and length (drills/load.py: 50 requests/s for
# 60 s; CI runs a shorter load, see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each figure as it comes, not when the drill ends.
export PYTHONUNBUFFERED=1
all=(load pg_restart outbox backup migrations replica)
names=("${@:-${all[@]}}")
status=0
for name in "${names[@]}"; do
  case $name in
    backup) command=(scripts/with-postgres.sh .venv/bin/python -m drills.backup) ;;
    replica) command=(scripts/with-postgres.sh drills/replica.sh) ;;
    outbox) command=(scripts/with-postgres.sh scripts/test.sh -q -p no:randomly tests/notifications/test_outbox_faults.py) ;;
    *) command=(scripts/with-postgres.sh .venv/bin/python -m "drills.$name") ;;
  esac
  echo "== drill: $name"
  started=$SECONDS
  "${command[@]}" || { status=1; echo "== drill $name FAILED"; }
  echo "== drill $name took $((SECONDS - started)) s"
done
exit $status
