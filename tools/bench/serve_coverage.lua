-- wrk script: GET /v1/coverage?postcode=...&miles=20&mode=$MODE, cycling through $POSTCODES (one
-- per line), each wrk thread from its own offset. Prints one summary line the bench script parses.
local mode = os.getenv("MODE") or "straight"
local paths = {}
for line in io.lines(os.getenv("POSTCODES")) do
  paths[#paths + 1] = "/v1/coverage?miles=20&mode=" .. mode .. "&postcode=" .. line:gsub(" ", "%%20")
end
local counter = 0
local next_id = 0
setup = function(thread)
  thread:set("offset", next_id * 7919)
  next_id = next_id + 1
end
request = function()
  counter = counter + 1
  local i = ((offset or 0) + counter) % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT mode=%s requests=%d seconds=%.2f rps=%.1f p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f errors=%d\n",
    mode, summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
