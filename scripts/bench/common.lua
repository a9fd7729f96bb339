-- Shared by the wrk scripts: a one-line machine-readable summary (parsed by run.sh).
-- Latencies in microseconds; "failed" = socket errors + timeouts + non-2xx (except where a script
-- counts answers itself, see actions.lua).
function summary_line(summary, latency, extra)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d non2xx=%d socket_errors=%d%s\n",
    summary.requests / secs, latency:percentile(50), latency:percentile(99), summary.requests,
    e.status, e.connect + e.read + e.write + e.timeout, extra or ""))
end
