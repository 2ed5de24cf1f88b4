#!/usr/bin/env bash
# Runs the test suite (bun run test) with every core kept busy by other processes, several times in a
# row, and reports each run's pass and fail counts. The tests must hold on a loaded machine (a shared CI
# runner, a laptop building something else); this is how to check that they do.
# Usage: scripts/test-under-load.sh [runs (default 3)] [bun test arguments, e.g. a file or -t pattern]
# Each run's output is kept in ${TEST_LOAD_LOGS:-/tmp/todo-test-under-load}/run-N.log.
# Exit status: 0 when every run passed.
set -uo pipefail
cd "$(dirname "$0")/.."

runs="${1:-3}"
shift || true
logs="${TEST_LOAD_LOGS:-/tmp/todo-test-under-load}"
mkdir -p "$logs"
burners=()

# One busy process per core (sha256sum of an endless input), stopped by pid after each run and on exit.
stop_load() {
  for pid in "${burners[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${burners[@]}"; do wait "$pid" 2>/dev/null; done
  burners=()
}
start_load() {
  for _ in $(seq "$(nproc)"); do
    sha256sum /dev/zero >/dev/null &
    burners+=("$!")
  done
}
trap stop_load EXIT
trap 'stop_load; exit 130' INT TERM

failed=0
summary=()
for run in $(seq "$runs"); do
  start_load
  echo "== run $run/$runs: bun run test $* (with $(nproc) sha256sum loops busy: ${burners[*]})"
  started=$(date +%s)
  bun run test "$@" >"$logs/run-$run.log" 2>&1
  status=$?
  load=$(cut -d' ' -f1 /proc/loadavg)
  stop_load
  seconds=$(($(date +%s) - started))
  pass=$(grep -Eo '^ *[0-9]+ pass$' "$logs/run-$run.log" | tail -1 | tr -dc 0-9)
  fail=$(grep -Eo '^ *[0-9]+ fail$' "$logs/run-$run.log" | tail -1 | tr -dc 0-9)
  line="run $run: exit $status, ${pass:-?} pass, ${fail:-0} fail, ${seconds} s, load average ${load} at the end"
  summary+=("$line")
  echo "$line"
  if [ "$status" -ne 0 ]; then
    failed=$((failed + 1))
    grep -E '^\(fail\)' "$logs/run-$run.log" | sort -u | sed 's/^/  /'
  fi
done

echo
echo "== under load: $((runs - failed))/$runs runs passed (logs in $logs)"
printf '%s\n' "${summary[@]}"
[ "$failed" -eq 0 ]
