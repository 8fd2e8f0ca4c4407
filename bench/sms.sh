#!/usr/bin/env bash
# SMS benchmark on loopback: starts target/herald.jar (embedded PostgreSQL, SMPP simulator) with a
# fresh data dir, then runs herald.bench.SmsBench, which reports
#   (a) bulk intake of 1,000-message batches, (b) end to end until every message is delivered,
#   (c) single-send latency percentiles at a fixed request rate (after as long a warm-up at that
#       rate, reported apart),
# and finally Herald's peak RSS. Stops Herald (by its PID) at the end.
# Usage: bench/sms.sh [batches=100] [concurrency=4] [rate=2000] [seconds=15] [warm_seconds=30]
#   env: HERALD_JAR runs another build's jar (to compare builds)
set -euo pipefail
cd "$(dirname "$0")/.."
BATCHES=${1:-100}; CONCURRENCY=${2:-4}; RATE=${3:-2000}; SECONDS_=${4:-15}; WARM_SECONDS=${5:-30}
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DATA=$(mktemp -d /tmp/herald-bench-sms.XXXX); chmod 755 "$DATA"
PORT=$(free_port); SMSC=$(free_port)
HERALD_DATA_DIR=$DATA HERALD_HTTP_PORT=$PORT HERALD_ADMIN_PASSWORD=bench-password \
HERALD_ACCESS_LOG_LEVEL=WARN HERALD_RATE_LIMITS_SENDS_LIMIT=1000000 HERALD_RATE_LIMITS_OTHER_LIMIT=1000000 \
HERALD_SIMULATORS_SMPP_PORT=$SMSC HERALD_SIMULATORS_SUBMIT_LATENCY_MS=1 HERALD_SIMULATORS_RECEIPT_DELAY_MS=50 \
  java ${HERALD_JAVA_OPTS:-} -jar "${HERALD_JAR:-target/herald.jar}" >"$DATA/herald.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
echo "Herald ready (pid $PID); $(nproc) cores; java $(java -version 2>&1 | head -1)"
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" herald.bench.SmsBench \
  "$PORT" bench-password "$SMSC" "$BATCHES" "$CONCURRENCY" "$RATE" "$SECONDS_" "$WARM_SECONDS"
echo "(d) Herald peak RSS: $(grep VmHWM /proc/$PID/status | awk '{printf "%.0f MB", $2/1024}')"
