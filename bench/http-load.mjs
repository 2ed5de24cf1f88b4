// HTTP/1.1 load for bench/measure.ts (httpRun), on Node.js (load generators never run on Bun: see
// test/e2e/node-client.mjs): autocannon, closed loop, one keep-alive connection per concurrent request,
// a 1 s warm-up on connections of its own, then `seconds` measured. Prints one JSON line: `rps` (2xx
// answers per second), `p50_ms`/`p99_ms` of the 2xx answers, `errors` by kind (any non-2xx status, socket
// errors, timeouts; `{}` when none).
//   node bench/http-load.mjs '{"url":"http://…","method":"POST","headers":{…},"body":"…","concurrency":16,"seconds":5}'
// In `body`, autocannon replaces `[<id>]` with a fresh id per request (distinct titles, as ghz's {{.RequestNumber}}).
import autocannon from "autocannon";

const { url, method = "GET", headers = {}, body, concurrency, seconds } = JSON.parse(process.argv[2] ?? "{}");
if (!url || !concurrency || !seconds) {
  console.error("usage: node bench/http-load.mjs '{\"url\":…,\"concurrency\":N,\"seconds\":S}'");
  process.exit(2);
}

// autocannon's own histogram keeps whole milliseconds, too coarse for a read at concurrency 1: keep
// each answer's time as measured (fractional ms) and take the percentiles from that.
const latencies = [];
const run = autocannon({
  url,
  method,
  headers,
  body,
  idReplacement: body?.includes("[<id>]") ?? false,
  connections: concurrency,
  pipelining: 1,
  duration: seconds,
  timeout: 20,
  warmup: { connections: concurrency, duration: 1 },
});
run.on("response", (_client, statusCode, _bytes, ms) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
});
const result = await run;

latencies.sort((a, b) => a - b);
const at = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : null);
const errors = {};
for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) if (!code.startsWith("2")) errors[`HTTP ${code}`] = count;
if (result.errors - result.timeouts > 0) errors["connection errors"] = result.errors - result.timeouts;
if (result.timeouts > 0) errors.timeouts = result.timeouts;
console.log(JSON.stringify({ rps: result["2xx"] / result.duration, ok: result["2xx"], p50_ms: at(50), p99_ms: at(99), errors }));
