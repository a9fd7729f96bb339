-- Concurrent lifecycle actions (writes): submit (dept_staff) and return (reviewer, with a comment)
-- cycles over drafts of the write pool, plus same-project races.
--
-- Each wrk thread owns a slice of TC_POOL_FIRST..TC_POOL_LAST and walks it round-robin, so a
-- project comes back only after a whole slice of requests: its own submit → return → submit …
-- never overlap, and every one of them must succeed (2xx). That holds while a slice is much longer
-- than the thread's connections times the slowest write: with run.sh's defaults a slice is 248
-- projects for at most 32 connections. (With a tiny pool a `return` can overtake its own `submit`
-- and be answered 404: the reviewer cannot see the draft yet. That is the script's fault.) Every 8th request instead goes to one of
-- the first RACE projects of the pool, shared by all threads, with a random action: there two
-- connections race for the same transition, and 409 (conflict / transition_refused) is the correct
-- answer for the loser. Failed = any answer that is not 2xx, and not 409 on a race; a 409 on an
-- owned project is counted separately (it would mean a lost or phantom write).
-- Env: TC_STAFF_TOKEN, TC_REVIEWER_TOKEN, TC_POOL_FIRST, TC_POOL_LAST, TC_BENCH_DIR.
dofile((os.getenv("TC_BENCH_DIR") or "scripts/bench") .. "/common.lua")
local RACE = 4
local first = tonumber(os.getenv("TC_POOL_FIRST"))
local last = tonumber(os.getenv("TC_POOL_LAST"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  staff = "Bearer " .. os.getenv("TC_STAFF_TOKEN")
  reviewer = "Bearer " .. os.getenv("TC_REVIEWER_TOKEN")
  nthreads = tonumber(os.getenv("TC_WRK_THREADS") or "2")
  local owned_first = first + RACE
  local per = math.floor((last - owned_first + 1) / nthreads)
  lo = owned_first + (tid - 1) * per
  hi = lo + per - 1
  nxt = lo
  submitted = {}   -- owned project -> true while we believe it is submitted
  n = 0
  ok = 0; race_ok = 0; race_409 = 0; owned_409 = 0; failed = 0
  pending = {}     -- FIFO of request kinds ("o" owned, "r" race); wrk answers in order per connection,
                   -- not across connections, so kinds are counted, not matched one to one
  races = 0
  math.randomseed(os.time() + tid * 7919)
end

local body = '{"comment":"请补充可行性研究报告和预算明细。"}'

local calls = 0

function request()
  -- wrk calls request() once on the first thread to check the script before the run and never
  -- sends that request: answer it with a harmless read so that no project's turn is lost.
  calls = calls + 1
  if calls == 1 and tid == 1 then return wrk.format("GET", "/healthz") end
  n = n + 1
  if n % 8 == 0 then
    races = races + 1
    local id = first + math.random(0, RACE - 1)
    if math.random(2) == 1 then
      return wrk.format("POST", "/api/v1/projects/" .. id .. "/actions/submit", { ["Authorization"] = staff })
    else
      return wrk.format("POST", "/api/v1/projects/" .. id .. "/actions/return",
        { ["Authorization"] = reviewer, ["Content-Type"] = "application/json" }, body)
    end
  end
  local id = nxt
  nxt = nxt + 1
  if nxt > hi then nxt = lo end
  if submitted[id] then
    submitted[id] = nil
    return wrk.format("POST", "/api/v1/projects/" .. id .. "/actions/return",
      { ["Authorization"] = reviewer, ["Content-Type"] = "application/json" }, body)
  else
    submitted[id] = true
    return wrk.format("POST", "/api/v1/projects/" .. id .. "/actions/submit", { ["Authorization"] = staff })
  end
end

-- The answer body of a race names no project; we tell a race answer from an owned one by the
-- rule the server puts in it: any 409 is attributed to races first (at most as many as races sent).
function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status == 409 then
    if race_409 < races then race_409 = race_409 + 1 else owned_409 = owned_409 + 1 end
  else
    failed = failed + 1
    if failed <= 5 then io.stderr:write("failed write: HTTP " .. status .. " " .. string.sub(body or "", 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local t = { ok = 0, race_409 = 0, owned_409 = 0, failed = 0, races = 0 }
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (th:get(k) or 0) end
  end
  summary_line(summary, latency, string.format(" ok=%d races=%d race_409=%d owned_409=%d failed_writes=%d",
    t.ok, t.races, t.race_409, t.owned_409, t.failed + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
