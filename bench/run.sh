#!/usr/bin/env bash
# `make bench`: measures CountApp on this machine next to same-run references and prints a table of medians.
#
# Starts (on free loopback ports, in a temporary folder) a coordinator with 2 workers and worker_persist: 1,
# a Redis server without persistence and one with appendfsync everysec, then repeats REPEATS times:
#   redis-benchmark -P 64 sadd | countapp 100-item batches | redis-benchmark -c 32 -P 1 sadd |
#   countapp single-item POSTs | countapp count GETs | raw RocksDB get-then-put loops
# with, right after each max-throughput run, an open-loop run at half of the rate it reached (latency);
# before that one unrecorded round warms the JVMs up (JIT). Then the workers' idle RSS, and bytes per item
# on disk after storing DISK_ITEMS distinct items. Every process it starts is stopped on exit.
#
# Tunables (environment): REPEATS=3 DURATION=10 WARMUP=3 CONNECTIONS=32 DISK_ITEMS=10000000
#   REDIS_P64_N=3000000 REDIS_P1_N=400000 WARMUP_ROUND=30 KEEP=1 (keep the temporary folder) SKIP_DISK=1
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

REPEATS=${REPEATS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-32}
DISK_ITEMS=${DISK_ITEMS:-10000000}
REDIS_P64_N=${REDIS_P64_N:-3000000}
REDIS_P1_N=${REDIS_P1_N:-400000}
WARMUP_ROUND=${WARMUP_ROUND:-30}

log() { printf '\n== %s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- build and tools
log "building"
make -s build
./mvnw -B -q -Pbench test-compile
BENCH_CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
  log "installing redis-server and redis-tools"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools >/dev/null
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
    # a coordinator stops its own workers on SIGTERM; its children are killed too if it hangs
    local kids
    kids=$(pgrep -P "$pid" 2>/dev/null || true)
    stop_pid "$pid" 30
    for k in $kids; do stop_pid "$k" 5; done
  done
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { # a loopback port nobody listens on and that we have not handed out yet
  python3 - "$@" <<'EOF'
import socket, sys
taken = set(int(a) for a in sys.argv[1:])
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if p not in taken and p != 5000:
        print(p); break
EOF
}

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$results"; }   # name rep value

json_field() { # file dotted.path
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d[k]
print(d)' "$1" "$2"
}

# ---------------------------------------------------------------- countapp cluster
start_cluster() { # dir -> sets coord_pid, coord_port, worker_pids
  local dir=$1
  mkdir -p "$dir"
  coord_port=$(free_port)
  local w1 w2
  w1=$(free_port "$coord_port")
  w2=$(free_port "$coord_port" "$w1")
  cat > "$dir/config.yaml" <<EOF
workers:
  - http://localhost:$w1
  - http://localhost:$w2
database: db/
worker_logs: logs/
worker_persist: 1
config_check: 5
listen: $coord_port
health_check: 1
partitions: 16
EOF
  bin/countapp coordinator --config "$dir/config.yaml" > "$dir/coordinator.log" 2>&1 &
  coord_pid=$!
  started_pids+=("$coord_pid")
  local i status
  for ((i = 0; i < 300; i++)); do
    status=$(curl -s --max-time 2 "http://127.0.0.1:$coord_port/" || true)
    if [[ $status == *'"settled":true'* ]]; then
      worker_pids=$(grep -o '"pid":[0-9]*' <<< "$status" | cut -d: -f2 | tr '\n' ' ')
      log "coordinator pid $coord_pid on :$coord_port, workers $worker_pids"
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
  for p in $worker_pids; do
    while kill -0 "$p" 2>/dev/null; do sleep 0.2; done
  done
}

worker_rss_mb() { # sum over workers -> prints "rss1 rss2" in MB
  local p out=""
  for p in $worker_pids; do
    out+="$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$p/status") "
  done
  echo "$out"
}

bench() { # name rep [bench options...]: runs countapp bench, fails the whole run if it fails
  local name=$1 rep=$2
  shift 2
  local out="$work/$name-$rep.json"
  log "countapp bench $name (run $rep): $*"
  if ! bin/countapp bench --url "http://127.0.0.1:$coord_port" --connections "$CONNECTIONS" --quiet --json "$out" "$@" \
      >&2; then
    echo "countapp bench $name failed (see above)" >&2
    exit 1
  fi
  last_json=$out
}

# ---------------------------------------------------------------- redis references
start_redis() { # name port extra-args...
  local name=$1 port=$2
  shift 2
  mkdir -p "$work/redis-$name"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$work/redis-$name" --save '' "$@" \
    > "$work/redis-$name.log" 2>&1 &
  started_pids+=("$!")
  local i
  for ((i = 0; i < 100; i++)); do
    redis-cli -p "$port" ping > /dev/null 2>&1 && break
    sleep 0.1
  done
}

redis_rps() { # port args... -> requests per second
  redis-benchmark -h 127.0.0.1 -p "$@" -q sadd s __rand_int__ 2>/dev/null | tr '\r' '\n' \
    | grep 'requests per second' | tail -1 | sed -E 's/.*: ([0-9.]+) requests per second.*/\1/'
}

# ---------------------------------------------------------------- run
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $load_start"
start_cluster "$work/main"
sleep 5
rss=$(worker_rss_mb)
log "idle worker RSS after start (MB): $rss"
for r in $rss; do record rss_start 0 "$r"; done

redis_plain=$(free_port "$coord_port")
start_redis plain "$redis_plain" --appendonly no
redis_aof=$(free_port "$coord_port" "$redis_plain")
start_redis aof "$redis_aof" --appendonly yes --appendfsync everysec

half() { python3 -c 'import sys; print(max(1, round(float(sys.argv[1]) / 2)))' "$1"; }

log "JVM warm-up round (not recorded): ${WARMUP_ROUND}s of each scenario"
bench warmup_batch100 0 --duration "$WARMUP_ROUND" --warmup 0 --batch 100
bench warmup_single 0 --duration "$WARMUP_ROUND" --warmup 0 --batch 1
bench warmup_count 0 --duration "$WARMUP_ROUND" --warmup 0 --mode count

for ((rep = 1; rep <= REPEATS; rep++)); do
  for kind in plain aof; do
    port=redis_$kind
    v=$(redis_rps "${!port}" -P 64 -r 100000000 -n "$REDIS_P64_N"); log "redis-$kind -P 64 sadd: $v ops/s"
    record "redis_${kind}_p64" "$rep" "$v"
    redis-cli -p "${!port}" del s > /dev/null
  done
  bench batch100 "$rep" --duration "$DURATION" --warmup "$WARMUP" --batch 100
  record batch100_items "$rep" "$(json_field "$last_json" items_per_second)"
  max=$(json_field "$last_json" requests_per_second)
  record batch100_reqs "$rep" "$max"
  # open loop at half of the max throughput just measured, so both see the same machine conditions
  rate=$(half "$max")
  bench open_batch100 "$rep" --duration "$DURATION" --warmup "$WARMUP" --batch 100 --rate "$rate"
  record open_b100_rate "$rep" "$rate"
  record open_b100_p50 "$rep" "$(json_field "$last_json" latency_ms.p50)"
  record open_b100_p99 "$rep" "$(json_field "$last_json" latency_ms.p99)"
  for kind in plain aof; do
    port=redis_$kind
    v=$(redis_rps "${!port}" -c 32 -P 1 -r 100000000 -n "$REDIS_P1_N"); log "redis-$kind -c 32 -P 1 sadd: $v ops/s"
    record "redis_${kind}_p1" "$rep" "$v"
    redis-cli -p "${!port}" del s > /dev/null
  done
  bench single "$rep" --duration "$DURATION" --warmup "$WARMUP" --batch 1
  max=$(json_field "$last_json" requests_per_second)
  record single_reqs "$rep" "$max"
  rate=$(half "$max")
  bench open_single "$rep" --duration "$DURATION" --warmup "$WARMUP" --batch 1 --rate "$rate"
  record open_single_rate "$rep" "$rate"
  record open_single_p50 "$rep" "$(json_field "$last_json" latency_ms.p50)"
  record open_single_p99 "$rep" "$(json_field "$last_json" latency_ms.p99)"
  bench count "$rep" --duration "$DURATION" --warmup "$WARMUP" --mode count
  record count_reqs "$rep" "$(json_field "$last_json" requests_per_second)"
  for mode in single batch100; do
    v=$(java -cp "$BENCH_CP" countapp.bench.RawRocksLoop "$mode" "$DURATION" | awk '{print $3}')
    log "raw RocksDB $mode: $v items/s"
    record "raw_rocks_$mode" "$rep" "$v"
  done
done

# A worker releases memory (memtable flush, GC, native heap trim) 10-15 s after its last request.
log "idle for 30 s, then the workers' RSS"
sleep 30
rss=$(worker_rss_mb)
log "idle worker RSS after the load (MB): $rss"
for r in $rss; do record rss_after 0 "$r"; done
stop_cluster

# ---------------------------------------------------------------- bytes per item on disk
if [ "${SKIP_DISK:-0}" != 1 ]; then
  start_cluster "$work/disk"
  bench disk 1 --duration 900 --warmup 0 --batch 1000 --tenants 100 --items "$DISK_ITEMS"
  stored=$(json_field "$last_json" verify.counted)
  stop_cluster
  bytes=$(du -sb "$work/disk/db" | cut -f1)
  log "disk: $bytes bytes for $stored items after the workers closed"
  record disk_items 0 "$stored"
  record disk_bytes 0 "$bytes"
fi

# ---------------------------------------------------------------- report
{
  echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(uname -sr)"
  echo "run: $(date -u +%Y-%m-%dT%H:%MZ), REPEATS=$REPEATS DURATION=${DURATION}s WARMUP=${WARMUP}s CONNECTIONS=$CONNECTIONS"
  echo "load average (1/5/15 min) at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 bench/report.py "$results"
} | tee target/bench-report.md
cp "$results" target/bench-results.tsv
