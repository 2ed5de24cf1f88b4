#!/usr/bin/env bash
# Benchmarks dist/todo: gRPC throughput and p99 latency with ghz (CreateTodo, GetTodo, SearchTodos on
# one connection), then CLI start times with hyperfine. Not a test: numbers depend on the machine;
# bench/README.md records the targets and what was measured.
# Usage: bench/grpc.bench.sh            (builds dist/todo when missing; needs ghz: scripts/install-tools.sh ghz)
# Env: CONCURRENCY (default 50), CREATES (3000), GETS (20000), SEARCHES (3000)
set -euo pipefail
cd "$(dirname "$0")/.."

CONCURRENCY=${CONCURRENCY:-50}
CREATES=${CREATES:-3000}
GETS=${GETS:-20000}
SEARCHES=${SEARCHES:-3000}

# shellcheck source=bench/lib.sh
source bench/lib.sh
[ -x dist/todo ] || bun run build

TODO_DATA_DIR="$work/data" LOG_LEVEL=info dist/todo serve --host 127.0.0.1 --grpc-port 0 --http-port 0 >"$work/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 150); do grep -q '"todod listening"' "$work/daemon.log" && break; sleep 0.1; done
port=$(grep -o '"grpcPort":[0-9]*' "$work/daemon.log" | cut -d: -f2)
[ -n "$port" ] || { echo "bench: todo serve did not start:" >&2; cat "$work/daemon.log" >&2; exit 1; }
addr="127.0.0.1:$port"

echo "# $(dist/todo --version) on $(nproc) cores, $(uname -srm); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ghz: one connection, concurrency $CONCURRENCY"

# One ghz run: prints method, calls, OK, rps, mean and p99 (ms).
run() {
  local method=$1 total=$2 data=$3
  "$ghz" --insecure --proto proto/todo/v1/todo.proto --import-paths proto \
    --call "todo.v1.TodoService/$method" -d "$data" -n "$total" -c "$CONCURRENCY" --connections 1 \
    --format json "$addr" >"$work/$method.json" || true
  bun -e '
    const r = JSON.parse(await Bun.stdin.text());
    const p99 = r.latencyDistribution?.find((d) => d.percentage === 99)?.latency ?? NaN;
    const ok = r.statusCodeDistribution?.OK ?? 0;
    const ms = (ns) => (ns / 1e6).toFixed(2);
    console.log([process.argv[1].padEnd(12), String(r.count).padStart(6), String(ok).padStart(6), r.rps.toFixed(0).padStart(7), ms(r.average).padStart(8), ms(p99).padStart(8)].join("  "));
    if (ok !== r.count) console.log("  errors:", JSON.stringify(r.errorDistribution));
  ' "$method" <"$work/$method.json"
}

printf '%-12s  %6s  %6s  %7s  %8s  %8s\n' method calls ok rps mean_ms p99_ms
run CreateTodo "$CREATES" '{"todo":{"title":"bench {{.RequestNumber}}","description":"a benchmark todo","tags":["bench"]}}'
id=$(dist/todo create --title "bench target" --addr "$addr" | cut -d' ' -f2)
"$ghz" --insecure --proto proto/todo/v1/todo.proto --import-paths proto --call todo.v1.TodoService/GetTodo \
  -d "{\"id\":\"$id\"}" -n 1000 -c "$CONCURRENCY" "$addr" >/dev/null # warm-up
run GetTodo "$GETS" "{\"id\":\"$id\"}"
# A page of 100 out of the todos created above, filtered by a pattern.
run SearchTodos "$SEARCHES" '{"pattern":"^bench [0-9]+$","page_size":100}'

echo
echo "# CLI start times"
if command -v hyperfine >/dev/null; then
  hyperfine --shell=none --warmup 5 --runs 50 --style basic \
    "dist/todo --version" "dist/todo read --id $id --addr $addr"
else
  # No hyperfine (apt-get install hyperfine): mean of 50 runs from date +%s%N.
  for cmd in "dist/todo --version" "dist/todo read --id $id --addr $addr"; do
    start=$(date +%s%N)
    for _ in $(seq 50); do $cmd >/dev/null; done
    echo "$cmd: mean $(( ($(date +%s%N) - start) / 50000000 )) ms over 50 runs"
  done
fi
