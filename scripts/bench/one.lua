-- GET /api/v1/projects/{id}, id drawn at random among the projects the reader can see
-- (TC_IDS_FILE: one id per line, written by `tongchou bench seed`). Env: TC_TOKEN, TC_BENCH_DIR.
dofile((os.getenv("TC_BENCH_DIR") or "scripts/bench") .. "/common.lua")
local ids = {}
for line in io.lines(os.getenv("TC_IDS_FILE")) do ids[#ids + 1] = line end
local auth = "Bearer " .. os.getenv("TC_TOKEN")
local nthreads = 0
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end
function init(args)
  math.randomseed(os.time() + tid * 7919)
end
function request()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v1/projects/" .. id, { ["Authorization"] = auth })
end
function done(summary, latency, requests) summary_line(summary, latency) end
