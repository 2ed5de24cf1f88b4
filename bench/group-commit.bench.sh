#!/usr/bin/env bash
# CreateTodo on the embedded store at concurrency 1, 16 and 64, one connection (ghz), for the group commit
# (src/store/sqlite/sqlite-store.ts): throughput and latency per concurrency, each on a fresh data directory.
# Not a test: numbers depend on the machine and its load.
# Usage: bench/group-commit.bench.sh [BINARY]   (default dist/todo; pass an older build to compare)
# Env: CREATES (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:-dist/todo}
CREATES=${CREATES:-2000}
# shellcheck source=bench/lib.sh
source bench/lib.sh
[ -x "$binary" ] || bun run build

echo "# $("$binary" --version) on $(nproc) cores, $(uname -srm); load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s  %6s  %6s  %7s  %8s  %8s  %8s\n' conc calls ok rps mean_ms p50_ms p99_ms
for concurrency in 1 16 64; do
  rm -rf "$work/data" && : >"$work/daemon.log"
  TODO_DATA_DIR="$work/data" LOG_LEVEL=warn "$binary" serve --host 127.0.0.1 --grpc-port 0 --http-port 0 --log-level info >"$work/daemon.log" 2>&1 &
  daemon=$!
  for _ in $(seq 150); do grep -q '"todod listening"' "$work/daemon.log" && break; sleep 0.1; done
  port=$(grep -o '"grpcPort":[0-9]*' "$work/daemon.log" | cut -d: -f2)
  [ -n "$port" ] || { echo "bench: todo serve did not start:" >&2; cat "$work/daemon.log" >&2; exit 1; }
  "$ghz" --insecure --proto proto/todo/v1/todo.proto --import-paths proto \
    --call todo.v1.TodoService/CreateTodo -d '{"todo":{"title":"bench {{.RequestNumber}}","description":"a benchmark todo","tags":["bench"]}}' \
    -n "$CREATES" -c "$concurrency" --connections 1 --format json "127.0.0.1:$port" >"$work/ghz.json" || true
  bun -e '
    const r = JSON.parse(await Bun.stdin.text());
    const at = (p) => r.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? NaN;
    const ok = r.statusCodeDistribution?.OK ?? 0;
    const ms = (ns) => (ns / 1e6).toFixed(2);
    console.log([process.argv[1].padEnd(6), String(r.count).padStart(6), String(ok).padStart(6), r.rps.toFixed(0).padStart(7), ms(r.average).padStart(8), ms(at(50)).padStart(8), ms(at(99)).padStart(8)].join("  "));
    if (ok !== r.count) console.log("  errors:", JSON.stringify(r.errorDistribution));
  ' "$concurrency" <"$work/ghz.json"
  kill "$daemon" && wait "$daemon" 2>/dev/null || true
  daemon=""
done
