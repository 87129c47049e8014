-- make bench, sign-in part: the same GET on every request, with `Authorization: Bearer
-- $BENCH_TOKEN` when that is set. Prints one WRK_RESULT line like webhooks.lua.
local token = os.getenv("BENCH_TOKEN")

request = function()
  local headers = {}
  if token ~= nil and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", nil, headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format("WRK_RESULT requests=%d non2xx=%d errors=%d p50_us=%d p99_us=%d max_us=%d seconds=%.3f\n",
    summary.requests, errors.status, socket, latency:percentile(50), latency:percentile(99), latency.max,
    summary.duration / 1e6))
end
