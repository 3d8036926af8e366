#!/usr/bin/env bash
# `make bench`: every benchmark in one throwaway PostgreSQL cluster (scripts/with-postgres.sh;
# with DATABASE_URL set, that database is used as it is). First the request desk's
# (python -m bench), then scheduling's (python -m bench.scheduling), which seeds its own
# library system beside the first one's data and serves it with gunicorn for wrk.
# Then reports' (python -m bench.reports), which writes a million requests of its own
# (BENCH_REPORT_REQUESTS) with INSERT ... SELECT and times the monthly report. Last the task
# queue's throughput (python -m bench.task_throughput, about a minute): 1 and 2 db_worker
# processes, tasks/s and latency from enqueue to finish.
# Benchmarks print ratios and targets; they never fail the build on a missed target. At the
# end, one table of every figure that has a target (python -m bench.summary).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${DATABASE_URL:-}" ]]; then
  exec scripts/with-postgres.sh "$0" "$@"
fi
# A benchmark that crashes fails the run, but only after the other has printed its numbers.
status=0
# Each benchmark also records its figures that have a target here; the one table at the end.
BENCH_RESULTS="$(mktemp)"
export BENCH_RESULTS
trap 'rm -f "$BENCH_RESULTS"' EXIT
echo "== request desk (python -m bench)"
.venv/bin/python -m bench || status=$?
echo "== scheduling (python -m bench.scheduling)"
.venv/bin/python -m bench.scheduling || status=$?
echo "== reports (python -m bench.reports)"
.venv/bin/python -m bench.reports || status=$?
echo "== task queue (python -m bench.task_throughput)"
.venv/bin/python -m bench.task_throughput || status=$?
echo "== every figure with a target (python -m bench.summary)"
.venv/bin/python -m bench.summary "$BENCH_RESULTS" || status=$?
exit $status
