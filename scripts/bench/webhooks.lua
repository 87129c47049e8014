-- wrk script for `make bench`: every request is a distinct webhook with three statuses in the
-- shape Meta sends (reference §12), signed with X-Hub-Signature-256 through the system
-- libcrypto (LuaJIT FFI), so the server checks a real HMAC-SHA256 on every request.
--
-- Request k of a thread carries "sent" for message k, "delivered" for k-1 and "read" for
-- k-2: every message goes sent -> delivered -> read over three requests, the way a campaign's
-- statuses come back. Nothing repeats, so the event log's deduplication never short-cuts.
--
-- Environment: BENCH_SECRET (the app secret), BENCH_PATH (default /api/webhooks/whatsapp),
-- BENCH_RATE (requests per second over all threads; 0 or unset: as fast as answers come),
-- BENCH_THREADS (wrk's -t, to split the rate), BENCH_RUN (a word that keeps the ids of separate
-- runs apart).
-- done() prints one line that bizone-bench reads:
--   WRK_RESULT requests=N non2xx=N errors=N p50_us=N p99_us=N max_us=N seconds=S

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *ts);
const void *EVP_sha256(void);
unsigned char *HMAC(const void *md, const void *key, int key_len, const unsigned char *data, size_t data_len,
                    unsigned char *out, unsigned int *out_len);
]]
local crypto = ffi.load("libcrypto.so.3")

local secret = os.getenv("BENCH_SECRET") or "bench-app-secret"
local path = os.getenv("BENCH_PATH") or "/api/webhooks/whatsapp"
local rate = tonumber(os.getenv("BENCH_RATE") or "0") or 0
local run = os.getenv("BENCH_RUN") or "r"

local threads = 0
local counter = 1

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local digest = ffi.new("unsigned char[32]")
local digest_len = ffi.new("unsigned int[1]")
local md = nil
local interval = 0
local next_at = nil
local now_ts = ffi.new("bench_timespec")

local function now_ms()
  ffi.C.clock_gettime(1, now_ts)  -- CLOCK_MONOTONIC
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local function hex(bytes, n)
  local parts = {}
  for i = 0, n - 1 do parts[#parts + 1] = string.format("%02x", bytes[i]) end
  return table.concat(parts)
end

local function status(wamid, name, ts)
  return '{"id":"' .. wamid .. '","status":"' .. name .. '","timestamp":"' .. ts ..
    '","recipient_id":"6281234567890","conversation":{"id":"72b14d6bd5407799e66f64d1b338e567",' ..
    '"expiration_timestamp":"1750116480","origin":{"type":"marketing"}},' ..
    '"pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"marketing"}}'
end

function init(args)
  md = crypto.EVP_sha256()
  if rate > 0 then
    -- Each thread offers an equal share of the rate, on a fixed schedule (not after answers).
    local share = rate / (tonumber(os.getenv("BENCH_THREADS") or "1") or 1)
    interval = 1000 / share
  end
end

function delay()
  if interval <= 0 then return 0 end
  local now = now_ms()
  if next_at == nil then next_at = now end
  next_at = next_at + interval
  local wait = next_at - now
  if wait <= 0 then return 0 end
  return wait
end

function request()
  local k = counter
  counter = counter + 1
  local prefix = "wamid.bench." .. run .. "." .. thread_id .. "."
  local ts = tostring(1764400000 + math.floor(k / 100))
  local statuses = status(prefix .. k, "sent", ts)
  if k > 1 then statuses = statuses .. "," .. status(prefix .. (k - 1), "delivered", ts) end
  if k > 2 then statuses = statuses .. "," .. status(prefix .. (k - 2), "read", ts) end
  local body = '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",' ..
    '"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100100",' ..
    '"phone_number_id":"106540352242922"},"statuses":[' .. statuses .. ']}}]}]}'
  crypto.HMAC(md, secret, #secret, body, #body, digest, digest_len)
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = "sha256=" .. hex(digest, 32),
  }
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format("WRK_RESULT requests=%d non2xx=%d errors=%d p50_us=%d p99_us=%d max_us=%d seconds=%.3f\n",
    summary.requests, errors.status, socket, latency:percentile(50), latency:percentile(99), latency.max,
    summary.duration / 1e6))
end
