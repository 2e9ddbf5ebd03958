-- wrk script: GET $TEMPLATE with {postcode} replaced by each line of $POSTCODES in turn (spaces
-- as %20), each wrk thread from its own offset. Prints one RESULT line (prefixed by $LABEL) that
-- the bench scripts print.
--   TEMPLATE='/v1/postcodes/{postcode}'  or  '/v1/coverage?miles=20&mode=road&postcode={postcode}'
local template = os.getenv("TEMPLATE") or "/v1/postcodes/{postcode}"
local label = os.getenv("LABEL") or ""
local paths = {}
for line in io.lines(os.getenv("POSTCODES")) do
  local postcode = line:gsub(" ", "%%20")
  paths[#paths + 1] = template:gsub("{postcode}", function() return postcode end)
end
local requests = {}
local counter = 0
local next_id = 0
setup = function(thread)
  thread:set("offset", next_id * 7919)
  next_id = next_id + 1
end
-- Each request's text made once, before the run (the Host header is known from here on):
-- formatting it per request cost wrk about as much CPU as the server spends answering it.
init = function(args)
  for i, path in ipairs(paths) do requests[i] = wrk.format("GET", path) end
end
request = function()
  counter = counter + 1
  return requests[((offset or 0) + counter) % #requests + 1]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %srequests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d\n",
    label ~= "" and label .. " " or "", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, e.connect + e.read + e.write + e.status + e.timeout))
end
