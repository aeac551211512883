-- Rotates through the lines of BENCH_TOKENS (tokens, sent as Authorization: BENCH_AUTH_SCHEME..token,
-- "Bearer " by default, "" for the bare key Unleash SDKs send) and BENCH_BODIES (JSON bodies), and
-- prints one JSON line of results when the run ends. Method and path come from BENCH_METHOD/BENCH_PATH.
-- BENCH_ETAGS, when given, holds one If-None-Match value per token line, sent with that token.
local function lines(path)
  local list = {}
  if path == nil or path == "" then return list end
  for line in io.lines(path) do
    if line ~= "" then list[#list + 1] = line end
  end
  return list
end

local tokens, bodies, etags, counter
local method = os.getenv("BENCH_METHOD") or "GET"
local path = os.getenv("BENCH_PATH") or "/"
local scheme = os.getenv("BENCH_AUTH_SCHEME") or "Bearer "

function init(args)
  tokens = lines(os.getenv("BENCH_TOKENS"))
  bodies = lines(os.getenv("BENCH_BODIES"))
  etags = lines(os.getenv("BENCH_ETAGS"))
  counter = math.random(1, 1000)
end

function request()
  counter = counter + 1
  local headers = {}
  if #tokens > 0 then
    local i = counter % #tokens + 1
    headers["Authorization"] = scheme .. tokens[i]
    if #etags > 0 then headers["If-None-Match"] = etags[i] end
  end
  local body = nil
  if #bodies > 0 then
    headers["Content-Type"] = "application/json"
    body = bodies[counter % #bodies + 1]
  end
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"non2xx":%d,"socketErrors":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
