#!/usr/bin/env bash
# `make bench`: CountApp next to what a user would build instead, Redis sets behind webdis (a C HTTP front
# end), driven by the same wrk load on the same machine, and the targets of BENCHMARKS.md.
#
#   references: redis-server with appendonly yes, appendfsync everysec, and webdis on it; redis-benchmark
#   CountApp:   a coordinator spawning 2 workers (worker_persist: 1), fresh database
#   load:       wrk -t2 -c32 (bench/wrk/*.lua) after a JIT warm-up round; every CountApp and webdis run is
#               followed by an exactness check of every count (bench/check_counts.py)
#
# Per repetition: single-item POSTs vs webdis SADD of 1 id; count GETs vs SCARD; 100 items of one tenant vs
# SADD of 100 ids; the same with 90 % re-sent ids; 100 items over 100 tenants vs redis-benchmark -P 64
# sadd; open-loop latency at half of the max (countapp bench). Then: memory per stored item against
# Redis' used_memory per set member (1 M ids), idle worker RSS, bytes per item on disk (DISK_ITEMS),
# throughput with GROWTH_ITEMS stored against 1 M, and the Redis backend against webdis on the same Redis.
#
# Tunables (environment): REPEATS=3 DURATION=10 CONNECTIONS=32 WARMUP_ROUND=30 OPEN_WARMUP=20 DISK_ITEMS=10000000
#   GROWTH_ITEMS=100000000 SKIP_DISK=1 SKIP_GROWTH=1 SKIP_REDIS_BACKEND=1 SKIP_WINDOWS=1 SKIP_MAIN=1 KEEP=1 (keep the temporary folder)
#   REDIS_BASELINE_JAR=old/countapp.jar (the Redis backend of an earlier build, alternated with this one)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

REPEATS=${REPEATS:-3}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
WARMUP_ROUND=${WARMUP_ROUND:-30}
OPEN_WARMUP=${OPEN_WARMUP:-20}
DISK_ITEMS=${DISK_ITEMS:-10000000}
GROWTH_ITEMS=${GROWTH_ITEMS:-100000000}

log() { printf '\n== %s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- build and tools
log "building"
make -s build
missing=()
for tool in redis-server redis-benchmark redis-cli webdis wrk curl python3; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing what is missing: ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools webdis wrk \
    curl python3 > /dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/countapp-bench.XXXXXX")
results="$work/results.tsv"
: > "$results"
started_pids=()

stop_pid() { # pid [grace seconds]: SIGTERM, wait, then SIGKILL
  local pid=$1 grace=${2:-30} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  for pid in "${started_pids[@]}"; do
    local kids
    kids=$(pgrep -P "$pid" 2>/dev/null || true)
    stop_pid "$pid" 30
    for k in $kids; do stop_pid "$k" 5; done
  done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

taken_ports=()
free_port() { # a loopback port nobody listens on and that this run has not handed out yet
  local p
  p=$(python3 - "${taken_ports[@]}" <<'PY'
import socket, sys
taken = set(int(a) for a in sys.argv[1:])
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if p not in taken and p != 5000:
        print(p); break
PY
)
  taken_ports+=("$p")
  echo "$p"
}

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$results"; }   # name rep value

json_field() { # file dotted.path
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d[k]
print(d)' "$1" "$2"
}

# ---------------------------------------------------------------- processes
start_redis() { # name -> sets redis_port
  local name=$1
  redis_port=$(free_port)
  mkdir -p "$work/redis-$name"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis-$name" --save '' \
    --appendonly yes --appendfsync everysec > "$work/redis-$name.log" 2>&1 &
  started_pids+=("$!")
  local i
  for ((i = 0; i < 100; i++)); do redis-cli -p "$redis_port" ping > /dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis-server did not start" >&2; exit 1
}

start_webdis() { # redis port -> sets webdis_port
  webdis_port=$(free_port)
  cat > "$work/webdis.json" <<J
{"redis_host":"127.0.0.1","redis_port":$1,"http_host":"127.0.0.1","http_port":$webdis_port,"threads":2,
 "daemonize":false,"database":0,"verbosity":0,"logfile":"$work/webdis.log"}
J
  webdis "$work/webdis.json" > "$work/webdis.out" 2>&1 &
  started_pids+=("$!")
  local i
  for ((i = 0; i < 100; i++)); do curl -s "http://127.0.0.1:$webdis_port/PING" > /dev/null 2>&1 && return 0; sleep 0.1; done
  echo "webdis did not start" >&2; exit 1
}

start_cluster() { # dir database [worker java options] [extra config lines] -> sets coord_pid, coord_port, worker_pids, worker_ports
  local dir=$1 database=$2 opts=${3:-} extra=${4:-}
  mkdir -p "$dir"
  coord_port=$(free_port)
  local w1 w2
  w1=$(free_port); w2=$(free_port)
  worker_ports="$w1 $w2"
  cat > "$dir/config.yaml" <<Y
workers:
  - http://localhost:$w1
  - http://localhost:$w2
database: $database
worker_logs: logs/
worker_persist: 1
config_check: 5
listen: $coord_port
health_check: 1
partitions: 16
$extra
Y
  COUNTAPP_WORKER_JAVA_OPTS="$opts" bin/countapp coordinator --config "$dir/config.yaml" > "$dir/coordinator.log" 2>&1 &
  coord_pid=$!
  started_pids+=("$coord_pid")
  local i status
  for ((i = 0; i < 300; i++)); do
    status=$(curl -s --max-time 2 "http://127.0.0.1:$coord_port/" || true)
    if [[ $status == *'"settled":true'* ]]; then
      worker_pids=$(grep -o '"pid":[0-9]*' <<< "$status" | cut -d: -f2 | tr '\n' ' ')
      log "coordinator pid $coord_pid on :$coord_port (database $database), workers $worker_pids"
      return 0
    fi
    kill -0 "$coord_pid" 2>/dev/null || { cat "$dir/coordinator.log" >&2; echo "coordinator died" >&2; exit 1; }
    sleep 0.3
  done
  echo "coordinator not ready after 90 s" >&2
  exit 1
}

stop_cluster() {
  stop_pid "$coord_pid" 60
  local p
  for p in $worker_pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
}

worker_rss_mb() {
  local p out=""
  for p in $worker_pids; do out+="$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$p/status") "; done
  echo "$out"
}

worker_metric_sum() { # metric name [label text the sample must hold] -> sum over the workers
  local port total=0 v
  for port in $worker_ports; do
    v=$(curl -s "http://127.0.0.1:$port/metrics" | awk -v m="$1" -v l="${2:-}" \
        '$1 ~ "^"m"({|$)" && index($1, l) {s += $2} END {printf "%.0f", s}')
    total=$((total + v))
  done
  echo "$total"
}

# ---------------------------------------------------------------- load
# wrk_run name rep kind(countapp|webdis) url script batch env...: runs wrk, checks every count, records req/s
wrk_run() {
  local name=$1 rep=$2 kind=$3 url=$4 script=$5 batch=$6
  shift 6
  local prefix="$name-$rep-$RANDOM" sent="$work/$name-$rep.sent" out="$work/$name-$rep.wrk"
  env "$@" BATCH="$batch" PREFIX="$prefix" SENT_FILE="$sent" \
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "bench/wrk/$script" "$url" > "$out" 2> "$out.err"
  local rps
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  if grep -q "Non-2xx\|Socket errors" "$out"; then
    echo "wrk $name: errors:" >&2; cat "$out" "$out.err" >&2; exit 1
  fi
  if [ "$script" != count.lua ]; then
    python3 bench/check_counts.py "$sent" "$url" "$kind" "$batch" "$CONNECTIONS" >&2 || exit 1
  fi
  log "$name (run $rep): $rps req/s"
  record "$name" "$rep" "$rps"
}

seed_counts() { # url kind: stores a few ids for the count scenario's 100 tenants
  env BATCH=10 PREFIX=counted wrk -t2 -c4 -d2s -s bench/wrk/countapp-post.lua "$1" > /dev/null 2>&1 || true
}

bench_java() { # name rep [bench options...]: countapp bench (open loop latency, bulk loads)
  local name=$1 rep=$2
  shift 2
  local out="$work/$name-$rep.json"
  log "countapp bench $name (run $rep): $*"
  if ! bin/countapp bench --url "http://127.0.0.1:$coord_port" --quiet --json "$out" "$@" >&2; then
    echo "countapp bench $name failed (see above)" >&2
    exit 1
  fi
  last_json=$out
}

half() { python3 -c 'import sys; print(max(1, round(float(sys.argv[1]) / 2)))' "$1"; }

# ---------------------------------------------------------------- run
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $load_start"
start_redis ref
ref_redis=$redis_port
start_webdis "$ref_redis"
wd="http://127.0.0.1:$webdis_port"
if [ "${SKIP_MAIN:-0}" != 1 ]; then # the scenarios against webdis and redis-benchmark, and memory per item
start_cluster "$work/main" db/
ca="http://127.0.0.1:$coord_port"
sleep 5
rss=$(worker_rss_mb); log "idle worker RSS after start (MB): $rss"
for r in $rss; do record rss_start 0 "$r"; done

log "warm-up round (not recorded): ${WARMUP_ROUND}s of each CountApp scenario"
for args in "BATCH=1" "BATCH=100" "BATCH=100 DUPLICATES=0.9" "BATCH=100 TENANTS=100"; do
  env $args PREFIX=warm wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_ROUND}s" -s bench/wrk/countapp-post.lua "$ca" > /dev/null 2>&1
done
env PREFIX=warm wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_ROUND}s" -s bench/wrk/count.lua "$ca" > /dev/null 2>&1
env BATCH=100 PREFIX=warm wrk -t2 -c"$CONNECTIONS" -d5s -s bench/wrk/webdis-sadd.lua "$wd" > /dev/null 2>&1
seed_counts "$ca"
env BATCH=10 PREFIX=counted wrk -t2 -c4 -d2s -s bench/wrk/webdis-sadd.lua "$wd" > /dev/null 2>&1 || true

for ((rep = 1; rep <= REPEATS; rep++)); do
  wrk_run ca_single "$rep" countapp "$ca" countapp-post.lua 1
  wrk_run wd_single "$rep" webdis "$wd" webdis-sadd.lua 1
  wrk_run ca_count "$rep" countapp "$ca" count.lua 1 COUNT_PREFIX=counted
  wrk_run wd_count "$rep" webdis "$wd" count.lua 1 COUNT_PREFIX=counted TARGET=webdis
  wrk_run ca_batch "$rep" countapp "$ca" countapp-post.lua 100
  wrk_run wd_batch "$rep" webdis "$wd" webdis-sadd.lua 100
  wrk_run ca_dup "$rep" countapp "$ca" countapp-post.lua 100 DUPLICATES=0.9
  wrk_run wd_dup "$rep" webdis "$wd" webdis-sadd.lua 100 DUPLICATES=0.9
  wrk_run ca_spread "$rep" countapp "$ca" countapp-post.lua 100 TENANTS=100
  v=$(redis-benchmark -h 127.0.0.1 -p "$ref_redis" -P 64 -r 100000000 -n 3000000 -q sadd s __rand_int__ 2>/dev/null \
      | tr '\r' '\n' | grep 'requests per second' | tail -1 | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/')
  redis-cli -p "$ref_redis" del s > /dev/null
  log "redis-benchmark -P 64 sadd (run $rep): $v ops/s"
  record redis_p64 "$rep" "$v"
  # Open loop at half of the max just measured, so both see the same machine. The generator is a fresh
  # JVM whose own JIT needs 10-15 s before it keeps up with the schedule (its per-second lines show the
  # backlog it builds meanwhile), so the first OPEN_WARMUP seconds of the same schedule are not measured.
  rate=$(half "$(awk -F'\t' -v r="$rep" '$1=="ca_single" && $2==r {print $3}' "$results")")
  bench_java open_single "$rep" --duration "$DURATION" --warmup "$OPEN_WARMUP" --batch 1 --tenants 100 --rate "$rate"
  record open_single_rate "$rep" "$rate"
  record open_single_p50 "$rep" "$(json_field "$last_json" latency_ms.p50)"
  record open_single_p99 "$rep" "$(json_field "$last_json" latency_ms.p99)"
  rate=$(half "$(awk -F'\t' -v r="$rep" '$1=="ca_batch" && $2==r {print $3}' "$results")")
  bench_java open_batch "$rep" --duration "$DURATION" --warmup "$OPEN_WARMUP" --batch 100 --tenants 1 --rate "$rate"
  record open_batch_rate "$rep" "$rate"
  record open_batch_p50 "$rep" "$(json_field "$last_json" latency_ms.p50)"
  record open_batch_p99 "$rep" "$(json_field "$last_json" latency_ms.p99)"
done

log "idle for 30 s, then the workers' RSS"
sleep 30
rss=$(worker_rss_mb); log "idle worker RSS after the load (MB): $rss"
for r in $rss; do record rss_after 0 "$r"; done
stop_cluster

# ---------------------------------------------------------------- memory per stored item (1 M ids)
log "memory per stored item: 1 M ids over 100 tenants in Redis and in CountApp"
start_redis mem
mem_redis=$redis_port
before=$(redis-cli -p "$mem_redis" info memory | awk -F: '/^used_memory:/ {print $2+0}')
python3 - <<'PY' | redis-cli -p "$mem_redis" --pipe > /dev/null
import sys
for t in range(100):
    ids = [f"t1-{k:x}" for k in range(10000)]
    args = ["SADD", f"mem-{t}"] + ids
    sys.stdout.write(f"*{len(args)}\r\n" + "".join(f"${len(a)}\r\n{a}\r\n" for a in args))
PY
after=$(redis-cli -p "$mem_redis" info memory | awk -F: '/^used_memory:/ {print $2+0}')
members=$(for t in $(seq 0 99); do redis-cli -p "$mem_redis" scard "mem-$t"; done | paste -sd+ | bc)
record redis_bytes_per_member 0 "$(python3 -c "print(($after - $before) / $members)")"
start_cluster "$work/mem" db/
ca="http://127.0.0.1:$coord_port"
for p in $worker_pids; do jcmd "$p" GC.run > /dev/null; done
heap_before=$(worker_metric_sum countapp_jvm_memory_used_bytes 'area="heap"')
env BATCH=1000 PREFIX=mem SENT_FILE="$work/mem.sent" wrk -t1 -c1 -d60s -s bench/wrk/countapp-post.lua "$ca" \
    > /dev/null 2>&1 &
wrk_pid=$!
# 1 M distinct pairs: wrk's one connection sends 1000-item batches until the counts say 1 M.
while :; do
  pairs=$(worker_metric_sum countapp_store_pairs)
  [ "$pairs" -ge 1000000 ] && break
  kill -0 "$wrk_pid" 2>/dev/null || break
  sleep 0.5
done
kill "$wrk_pid" 2>/dev/null || true; wait "$wrk_pid" 2>/dev/null || true
# A full collection in each worker, so the heap holds what the data needs and no garbage.
for p in $worker_pids; do jcmd "$p" GC.run > /dev/null; done
pairs=$(worker_metric_sum countapp_store_pairs)
index=$(worker_metric_sum countapp_store_index_bytes)
heap_after=$(worker_metric_sum countapp_jvm_memory_used_bytes 'area="heap"')
record ca_index_bytes_per_pair 0 "$(python3 -c "print($index / $pairs)")"
record ca_heap_bytes_per_pair 0 "$(python3 -c "print(max(0, $heap_after - $heap_before) / $pairs)")"
log "memory: Redis $(tail -3 "$results" | head -1 | cut -f3) B/member; CountApp index $index B for $pairs pairs"
stop_cluster

fi

# ---------------------------------------------------------------- bytes per item on disk
if [ "${SKIP_DISK:-0}" != 1 ]; then
  start_cluster "$work/disk" db/
  bench_java disk 1 --duration 900 --warmup 0 --batch 1000 --tenants 100 --items "$DISK_ITEMS" --connections 8
  stored=$(json_field "$last_json" verify.counted)
  stop_cluster
  bytes=$(du -sb "$work/disk/db" | cut -f1)
  log "disk: $bytes bytes for $stored items after the workers closed"
  record disk_items 0 "$stored"
  record disk_bytes 0 "$bytes"
fi

# ---------------------------------------------------------------- cost growth: 1 M stored against GROWTH_ITEMS
if [ "${SKIP_GROWTH:-0}" != 1 ]; then
  start_cluster "$work/growth" db/ "-Xmx4g"
  ca="http://127.0.0.1:$coord_port"
  bench_java growth_load_1m 1 --duration 900 --warmup 0 --batch 1000 --tenants 100 --items 1000000 --connections 8
  env BATCH=100 PREFIX=warm wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_ROUND}s" -s bench/wrk/countapp-post.lua "$ca" > /dev/null 2>&1
  wrk_run growth_unique_1m 1 countapp "$ca" countapp-post.lua 100
  wrk_run growth_dup_1m 1 countapp "$ca" countapp-post.lua 100 DUPLICATES=0.9
  bench_java growth_load 1 --duration 3600 --warmup 0 --batch 1000 --tenants 100 --items "$GROWTH_ITEMS" --connections 8
  record growth_stored 0 "$(worker_metric_sum countapp_store_pairs)"
  wrk_run growth_unique_big 1 countapp "$ca" countapp-post.lua 100
  wrk_run growth_dup_big 1 countapp "$ca" countapp-post.lua 100 DUPLICATES=0.9
  stop_cluster
fi

# ---------------------------------------------------------------- the Redis backend against webdis, same Redis
# REDIS_BASELINE_JAR=<an earlier countapp.jar> adds a second cluster of that build on the same Redis, idle while
# the others run, and alternates it with this build and webdis in every repetition (before/after in one run).
if [ "${SKIP_REDIS_BACKEND:-0}" != 1 ]; then
  base=""
  if [ -n "${REDIS_BASELINE_JAR:-}" ]; then
    export COUNTAPP_JAR=$REDIS_BASELINE_JAR
    start_cluster "$work/redis-backend-baseline" "redis://127.0.0.1:$ref_redis"
    unset COUNTAPP_JAR
    base="http://127.0.0.1:$coord_port" base_coord_pid=$coord_pid base_worker_pids=$worker_pids
  fi
  start_cluster "$work/redis-backend" "redis://127.0.0.1:$ref_redis"
  ca="http://127.0.0.1:$coord_port"
  for url in "$ca" $base; do
    env BATCH=100 PREFIX=warm wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_ROUND}s" -s bench/wrk/countapp-post.lua "$url" > /dev/null 2>&1
    env BATCH=1 PREFIX=warm wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_ROUND}s" -s bench/wrk/countapp-post.lua "$url" > /dev/null 2>&1
  done
  for ((rep = 1; rep <= REPEATS; rep++)); do
    for batch in 1 100; do
      name=$([ "$batch" = 1 ] && echo single || echo batch)
      wrk_run "rb_$name" "$rep" countapp "$ca" countapp-post.lua "$batch"
      [ -z "$base" ] || wrk_run "rbbase_$name" "$rep" countapp "$base" countapp-post.lua "$batch"
      wrk_run "rbwd_$name" "$rep" webdis "$wd" webdis-sadd.lua "$batch"
    done
  done
  stop_cluster
  if [ -n "$base" ]; then coord_pid=$base_coord_pid worker_pids=$base_worker_pids; stop_cluster; fi
fi

# ---------------------------------------------------------------- windows: {day: 35, month: 13} against windows off
# The same two scenarios on a fresh cluster without and with windows (the load's items carry no ts, so each
# pair counts in today's day and this month: two kept windows per item); then 1 M items into a windows
# cluster for the memory and disk each kept window adds per item.
if [ "${SKIP_WINDOWS:-0}" != 1 ]; then
  windows_config="windows: {day: 35, month: 13}"
  for mode in off on; do
    extra=""; [ "$mode" = on ] && extra=$windows_config
    start_cluster "$work/windows-$mode" db/ "" "$extra"
    ca="http://127.0.0.1:$coord_port"
    for args in "BATCH=1" "BATCH=100"; do
      env $args PREFIX=warm wrk -t2 -c"$CONNECTIONS" -d"${WARMUP_ROUND}s" -s bench/wrk/countapp-post.lua "$ca" > /dev/null 2>&1
    done
    for ((rep = 1; rep <= REPEATS; rep++)); do
      wrk_run "win_${mode}_single" "$rep" countapp "$ca" countapp-post.lua 1
      wrk_run "win_${mode}_batch" "$rep" countapp "$ca" countapp-post.lua 100
    done
    stop_cluster
  done
  for mode in off on; do
    extra=""; [ "$mode" = on ] && extra=$windows_config
    start_cluster "$work/windows-mem-$mode" db/ "" "$extra"
    bench_java "windows_load_$mode" 1 --duration 900 --warmup 0 --batch 1000 --tenants 100 --items 1000000 --connections 8
    record "win_${mode}_pairs" 0 "$(worker_metric_sum countapp_store_pairs)"
    record "win_${mode}_index_bytes" 0 "$(worker_metric_sum countapp_store_index_bytes)"
    stop_cluster
    record "win_${mode}_disk_bytes" 0 "$(du -sb "$work/windows-mem-$mode/db" | cut -f1)"
  done
fi

# ---------------------------------------------------------------- report
{
  echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(uname -sr)"
  echo "run: $(date -u +%Y-%m-%dT%H:%MZ), REPEATS=$REPEATS DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS, wrk -t2"
  echo "load average (1/5/15 min) at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 bench/report.py "$results"
} | tee target/bench-report.md
cp "$results" target/bench-results.tsv
