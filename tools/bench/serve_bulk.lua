-- wrk script: POST /v1/postcodes with the JSON body in $BODY (10,000 postcodes); reports
-- postcodes per second from $ROWS rows per request.
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  local rows = tonumber(os.getenv("ROWS"))
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local label = os.getenv("LABEL") or ""
  io.write(string.format(
    "RESULT %srequests=%d seconds=%.2f postcodes_per_s=%.0f p50_ms=%.1f p99_ms=%.1f errors=%d\n",
    label ~= "" and label .. " " or "", summary.requests, seconds, summary.requests * rows / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
