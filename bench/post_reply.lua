-- wrk script for `make bench`: a logged-in member posts replies (POST with the CSRF token).
-- The session cookie, token and path come from the environment (bench/loads.py sets them);
-- each body differs, as real replies do. wrk counts 2xx and 3xx (the redirect to the new
-- post) as success.
local token = os.getenv("BENCH_CSRF")
local cookie = os.getenv("BENCH_COOKIE")
local path = os.getenv("BENCH_REPLY_PATH")
local counter = 0
-- Unique per wrk process: the warm-up and the runs follow each other within the two minutes
-- in which Kring takes an identical reply by the same person for a resent form and stores
-- nothing, so a counter from 1 in every process measured that shortcut for most requests.
local run = tostring(os.time()) .. "-" .. tostring(math.floor(os.clock() * 1000000))

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = cookie

request = function()
  counter = counter + 1
  local body = "csrf_token=" .. token ..
    "&body=Benchmark+reply+" .. run .. "-" .. counter ..
    "+from+the+load+client%2C+about+a+line+of+text."
  return wrk.format("POST", path, nil, body)
end
