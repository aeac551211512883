-- POST /api/v1/auth/refresh as clients do: each token is used once, and the token a response
-- returns joins the pool. The pool (BENCH_TOKENS, split between threads) holds more tokens than
-- connections, so no token is replayed while it is in flight.
local pool, first, last
local threadIndex = 0

function setup(thread)
  thread:set("index", threadIndex)
  threadIndex = threadIndex + 1
end

function init(args)
  pool, first, last = {}, 1, 0
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local n = 0
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if line ~= "" and n % threads == index then
      last = last + 1
      pool[last] = line
    end
    n = n + 1
  end
end

function request()
  local token = pool[first]
  if first < last then
    pool[first] = nil
    first = first + 1
  end
  return wrk.format("POST", "/api/v1/auth/refresh", { ["Content-Type"] = "application/json" },
    '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    local token = body:match('"refreshToken":"([^"]+)"')
    if token then
      last = last + 1
      pool[last] = token
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"non2xx":%d,"socketErrors":%d,"p50Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
