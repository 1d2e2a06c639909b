-- Shared by the bench scripts: prints one machine-readable RESULT line from wrk's done().
-- ok = responses with the expected status, counted per thread by the script's response().
function report(summary, latency, threads, extra)
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do
    ok = ok + (t:get("ok") or 0)
    bad = bad + (t:get("bad") or 0)
  end
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT ok=%d bad=%d ok_per_s=%.1f all_per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f "
      .. "non2xx=%d connect_err=%d read_err=%d write_err=%d timeouts=%d duration_s=%.2f %s\n",
    ok, bad, ok / secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect, e.read, e.write, e.timeout, secs, extra or ""))
end
