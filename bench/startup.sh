#!/usr/bin/env bash
# Start-to-ready with a warm embedded PostgreSQL data dir: launches target/herald.jar, polls
# /health/ready on loopback, stops it with SIGTERM (by its PID), N times; prints each and the median.
# Usage: bench/startup.sh [runs]   (builds the jar if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
[ -f target/herald.jar ] || mvn -B -q package -DskipTests
DATA=$(mktemp -d /tmp/herald-bench-startup.XXXX)
chmod 755 "$DATA"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export HERALD_DATA_DIR=$DATA HERALD_HTTP_PORT=$PORT HERALD_ADMIN_PASSWORD=bench-password HERALD_ACCESS_LOG_LEVEL=WARN

run_once() {
  local start end pid
  start=$(date +%s%N)
  java -jar target/herald.jar >"$DATA/herald.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    if curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then break; fi
    sleep 0.01
  done
  end=$(date +%s%N)
  kill -TERM "$pid"
  wait "$pid" || true
  echo $(( (end - start) / 1000000 ))
}

echo "warm-up run (unpacks PostgreSQL, initdb): $(run_once) ms"
times=()
for i in $(seq 1 "$RUNS"); do
  t=$(run_once)
  times+=("$t")
  echo "run $i: process start to /health/ready = $t ms"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "median: $(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p") ms   min: $(echo "$sorted" | head -1) ms   max: $(echo "$sorted" | tail -1) ms"
grep -h "ready on port" "$DATA/herald.log" | tail -1
rm -rf "$DATA"
