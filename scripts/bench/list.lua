-- GET /api/v1/projects?page_size=100 (first page, default order: recently updated first).
-- Env: TC_TOKEN (bearer token of the reader, e.g. reviewer), TC_BENCH_DIR (this directory).
dofile((os.getenv("TC_BENCH_DIR") or "scripts/bench") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/api/v1/projects?page_size=100"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TC_TOKEN")
function done(summary, latency, requests) summary_line(summary, latency) end
