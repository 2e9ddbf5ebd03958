-- wrk script: GET /v1/postcodes/{postcode}, cycling through $POSTCODES (one per line), each
-- wrk thread from its own offset. Prints one summary line the bench script parses.
local postcodes = {}
for line in io.lines(os.getenv("POSTCODES")) do
  postcodes[#postcodes + 1] = "/v1/postcodes/" .. line:gsub(" ", "%%20")
end
local counter = 0
local next_id = 0
setup = function(thread)
  thread:set("offset", next_id * 7919)
  next_id = next_id + 1
end
request = function()
  counter = counter + 1
  local i = ((offset or 0) + counter) % #postcodes + 1
  return wrk.format("GET", postcodes[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
