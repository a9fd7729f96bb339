#!/usr/bin/env bash
# The backbone's performance benchmark (issue 2; results in BENCHMARKS.md).
#
#   scripts/bench/run.sh [--redmine] [--reseed] [--skip-build] [--only sqlite|postgres]
#
# Builds the release binary, seeds a SQLite and a PostgreSQL database with the demo city plus
# $PROJECTS applications (`tongchou bench seed`; kept under $BENCH_DIR and reused unless --reseed;
# every run starts from a pristine copy of the seed), then for each backend: starts the server and
# measures the cold start (process start -> first 200 on /healthz), resident memory idle, wrk at 16
# and 64 connections on the list, on one project and on concurrent lifecycle actions, resident
# memory after load; prints a table. With --redmine, the Redmine 5 peer (../shared/bench/peer-redmine,
# installed and seeded beforehand, run as root) is measured in the same run, after tongchou.
#
# Environment: CARGO_TARGET_DIR (default ~/.cache/tongchou-target-release), BENCH_DIR
# (/var/tmp/tongchou-bench), BIN (the binary; default the release build), PROJECTS (10000), WRITE_POOL (1000), DURATION (20s), CONNS ("16 64"), PORT (8090),
# PG_URL (postgres://postgres@127.0.0.1:5432), PG_DB (tongchou_bench), PEER (the Redmine scripts' directory).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/scripts/bench
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/tongchou-target-release}
BIN=${BIN:-$CARGO_TARGET_DIR/release/tongchou}
BENCH_DIR=${BENCH_DIR:-/var/tmp/tongchou-bench}
PROJECTS=${PROJECTS:-10000}
WRITE_POOL=${WRITE_POOL:-1000}   # of them, dept_staff drafts for the write load
DURATION=${DURATION:-20s}
CONNS=${CONNS:-"16 64"}
PORT=${PORT:-8090}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PG_DB=${PG_DB:-tongchou_bench}   # databases ${PG_DB}_seed (kept) and ${PG_DB}_run (each run's copy)
PEER=${PEER:-$ROOT/../shared/bench/peer-redmine}
REDMINE=0; RESEED=0; BUILD=1; ONLY="sqlite postgres"
while [ $# -gt 0 ]; do
  case $1 in
    --redmine) REDMINE=1 ;;
    --reseed) RESEED=1 ;;
    --skip-build) BUILD=0 ;;
    --only) ONLY=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$BENCH_DIR"
STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS=$BENCH_DIR/results-$STAMP.tsv     # backend <TAB> metric <TAB> value
RAW=$BENCH_DIR/raw-$STAMP; mkdir -p "$RAW"
export TC_BENCH_DIR=$HERE
log() { echo "[$(date +%T)] $*" >&2; }
put() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"; }

command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }
if [ $BUILD = 1 ]; then
  log "building release ($CARGO_TARGET_DIR)"
  (cd "$ROOT" && cargo build --release -p tongchou)
fi

PSQL() { psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -qAtc "$1"; }

# Seed once into a pristine copy (SQLite: the files under seed/; PostgreSQL: database tongchou_bench_seed).
seed() {
  local b=$1 dir=$BENCH_DIR/$1-seed
  if [ $b = sqlite ]; then
    if [ $RESEED = 1 ] || [ ! -f "$dir/bench-seed.json" ]; then
      rm -rf "$dir"; mkdir -p "$dir"
      log "seeding SQLite with $PROJECTS applications"
      /usr/bin/time -f "seed_s=%e" "$BIN" --data-dir "$dir" bench seed --projects "$PROJECTS" --write-pool "$WRITE_POOL" > "$RAW/seed-$b.txt" 2>&1 || { cat "$RAW/seed-$b.txt"; exit 1; }
      "$BIN" --data-dir "$dir" migrate >/dev/null 2>&1   # checkpoint-free sanity: the seed opens again
    fi
  else
    local have=""
    if [ -f "$dir/bench-seed.json" ] && [ "$(PSQL "SELECT 1 FROM pg_database WHERE datname = '${PG_DB}_seed'")" = 1 ]; then
      have=$(psql "$PG_URL/${PG_DB}_seed" -qAtc "SELECT MAX(id) FROM projects" 2>/dev/null || true)
    fi
    if [ $RESEED = 1 ] || [ -z "$have" ] || [ "$have" != "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["last_id"])' "$dir/bench-seed.json")" ]; then
      rm -rf "$dir"; mkdir -p "$dir"
      PSQL "DROP DATABASE IF EXISTS ${PG_DB}_seed"; PSQL "CREATE DATABASE ${PG_DB}_seed"
      log "seeding PostgreSQL with $PROJECTS applications"
      /usr/bin/time -f "seed_s=%e" "$BIN" --data-dir "$dir" --database-url "$PG_URL/${PG_DB}_seed" bench seed --projects "$PROJECTS" --write-pool "$WRITE_POOL" > "$RAW/seed-$b.txt" 2>&1 || { cat "$RAW/seed-$b.txt"; exit 1; }
      psql "$PG_URL/${PG_DB}_seed" -qc "VACUUM ANALYZE" >/dev/null
    fi
  fi
}

# A fresh working copy of the seed; echoes the extra serve arguments.
fresh() {
  local b=$1 run=$BENCH_DIR/$1-run
  rm -rf "$run"; mkdir -p "$run"
  if [ $b = sqlite ]; then
    cp "$BENCH_DIR/$b-seed/"tongchou.db* "$BENCH_DIR/$b-seed/"bench-* "$run/"
    echo "--data-dir $run"
  else
    cp "$BENCH_DIR/$b-seed/"bench-* "$run/"
    PSQL "DROP DATABASE IF EXISTS ${PG_DB}_run"
    PSQL "CREATE DATABASE ${PG_DB}_run TEMPLATE ${PG_DB}_seed"
    echo "--data-dir $run --database-url $PG_URL/${PG_DB}_run"
  fi
}

rss_mib() { awk -v k="$2:" '$1 == k {printf "%.1f", $2 / 1024}' /proc/$1/status; }
cpu_ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
machine_busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
HZ=$(getconf CLK_TCK)

login() {
  curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"tongchou-demo\"}" \
    "http://127.0.0.1:$PORT/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

# wrk NAME CONNS SCRIPT [env...]: runs, records rps/p50/p99/errors and CPU split.
run_wrk() {
  local b=$1 name=$2 c=$3 script=$4 pid=$5
  local out=$RAW/$b-$name-c$c.txt
  local b0 p0 b1 p1; b0=$(machine_busy); p0=$(cpu_ticks "$pid")
  /usr/bin/time -f 'wrk_cpu_s=%U %S' -o "$out.time" wrk -t2 -c"$c" -d"$DURATION" --timeout 10s -s "$HERE/$script" "http://127.0.0.1:$PORT" > "$out" 2>&1
  b1=$(machine_busy); p1=$(cpu_ticks "$pid")
  local wcpu; wcpu=$(awk '{print $1 + $2}' <(sed 's/wrk_cpu_s=//' "$out.time"))
  local line; line=$(grep '^RESULT' "$out" | tail -1)
  [ -n "$line" ] || { log "wrk failed:"; cat "$out" >&2; exit 1; }
  local server_s other_s
  server_s=$(echo "scale=1; ($p1 - $p0) / $HZ" | bc); other_s=$(echo "scale=1; ($b1 - $b0) / $HZ - $server_s - $wcpu" | bc)
  log "$b $name c=$c: ${line#RESULT } server_cpu_s=$server_s wrk_cpu_s=$wcpu other_cpu_s=$other_s"
  for kv in ${line#RESULT }; do put "$b" "$name.c$c.${kv%%=*}" "${kv#*=}"; done
  put "$b" "$name.c$c.server_cpu_s" "$server_s"; put "$b" "$name.c$c.other_cpu_s" "$other_s"
}

bench_tongchou() {
  local b=$1
  seed "$b"
  cat "$RAW/seed-$b.txt" 2>/dev/null | grep -E 'seed_s|^\{' | sed "s/^/[$b seed] /" >&2 || true
  local args; args=$(fresh "$b")
  local run=$BENCH_DIR/$b-run
  sync; sleep 1
  local cs; cs=$(TC_SERVER_LOG=$RAW/server-$b.log python3 "$HERE/coldstart.py" "127.0.0.1:$PORT" "$BIN" $args serve --addr "127.0.0.1:$PORT")
  local pid=${cs##*pid=}; local ms=${cs%% pid=*}; ms=${ms#cold_start_ms=}
  log "$b: cold start $ms ms (pid $pid)"
  put "$b" cold_start_ms "$ms"
  sleep 2
  put "$b" rss_idle_mib "$(rss_mib "$pid" VmRSS)"
  export TC_TOKEN TC_STAFF_TOKEN TC_REVIEWER_TOKEN TC_IDS_FILE=$run/bench-ids.txt TC_WRK_THREADS=2
  TC_REVIEWER_TOKEN=$(login reviewer); TC_TOKEN=$TC_REVIEWER_TOKEN; TC_STAFF_TOKEN=$(login dept_staff)
  put "$b" rss_signed_in_mib "$(rss_mib "$pid" VmRSS)"   # two argon2id sign-ins (19 MiB working memory each)
  put "$b" list_total "$(curl -s -H "Authorization: Bearer $TC_TOKEN" "http://127.0.0.1:$PORT/api/v1/projects?page_size=100" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"])')"
  put "$b" list_bytes "$(curl -s -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $TC_TOKEN" "http://127.0.0.1:$PORT/api/v1/projects?page_size=100")"
  wrk -t2 -c16 -d5s -s "$HERE/list.lua" "http://127.0.0.1:$PORT" > "$RAW/$b-warmup.txt" 2>&1
  local pool_first pool_last
  read -r pool_first pool_last < <(python3 -c 'import json,sys; w=json.load(open(sys.argv[1]))["write_pool"]; print(w[0], w[1])' "$run/bench-seed.json")
  local nconns; nconns=$(echo $CONNS | wc -w); local per=$(( (pool_last - pool_first + 1) / nconns )); local k=0
  for c in $CONNS; do
    run_wrk "$b" list "$c" list.lua "$pid"; sleep 1
    run_wrk "$b" one "$c" one.lua "$pid"; sleep 1
    # Each connection count gets its own slice of untouched drafts; the race projects of the slice
    # are submitted once first so that the reviewer can see them.
    export TC_POOL_FIRST=$(( pool_first + k * per )) TC_POOL_LAST=$(( pool_first + (k + 1) * per - 1 ))
    for r in 0 1 2 3; do
      curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TC_STAFF_TOKEN" "http://127.0.0.1:$PORT/api/v1/projects/$((TC_POOL_FIRST + r))/actions/submit"
    done
    run_wrk "$b" actions "$c" actions.lua "$pid"; sleep 1
    k=$((k + 1))
  done
  put "$b" rss_after_mib "$(rss_mib "$pid" VmRSS)"
  put "$b" rss_peak_mib "$(rss_mib "$pid" VmHWM)"
  grep -c ' ERROR ' "$RAW/server-$b.log" | xargs -I{} sh -c "printf '%s\t%s\t%s\n' $b server_errors_logged {} >> $RESULTS" || true
  kill -TERM "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}

bench_redmine() {
  [ -x "$PEER/start-server.sh" ] || { log "no Redmine peer scripts at $PEER"; return; }
  local state=${STATE:-/var/tmp/redmine-bench}
  [ -f "$state/ids.env" ] || { log "Redmine is not installed and seeded: run $PEER/install.sh and seed.sh first"; return; }
  sync; sleep 1
  local out; out=$("$PEER/start-server.sh" 2>&1) || { echo "$out" >&2; return; }
  echo "$out" > "$RAW/redmine-start.txt"
  local cs; cs=$(sed -n 's/^cold_start_s=\([0-9.]*\).*/\1/p' <<<"$out")
  put redmine cold_start_ms "$(echo "$cs * 1000" | bc | xargs printf '%.0f')"
  sleep 5
  put redmine rss_idle_mib "$("$PEER/rss.sh")"
  local tag=-tc$STAMP
  (cd "$PEER" && REPS=1 DURATION=$DURATION CONNS="$CONNS" TAG=$tag ONLY="projects issue_show issue_create" ./run-wrk.sh) > "$RAW/redmine-wrk.txt" 2>&1 || true
  cp "$PEER/raw/summary$tag.tsv" "$RAW/redmine-summary.tsv" 2>/dev/null || true
  put redmine rss_after_mib "$("$PEER/rss.sh")"
  "$PEER/stop-server.sh" >/dev/null 2>&1 || true
  # name conns rep req_s p50 p99 requests non2xx ...
  awk -F'\t' 'NR > 1 {
      n = ($1 == "projects") ? "list" : ($1 == "issue_show") ? "one" : ($1 == "issue_create") ? "actions" : $1
      printf "redmine\t%s.c%s.rps\t%s\nredmine\t%s.c%s.p50\t%s\nredmine\t%s.c%s.p99\t%s\nredmine\t%s.c%s.requests\t%s\nredmine\t%s.c%s.non2xx\t%s\n",
        n, $2, $4, n, $2, $5, n, $2, $6, n, $2, $7, n, $2, $8 }' "$RAW/redmine-summary.tsv" >> "$RESULTS" 2>/dev/null || true
}

log "results: $RESULTS (raw wrk output: $RAW)"
for b in $ONLY; do bench_tongchou "$b"; done
[ $REDMINE = 1 ] && bench_redmine
python3 "$HERE/table.py" "$RESULTS" "$CONNS" | tee "$BENCH_DIR/results-$STAMP.md"
