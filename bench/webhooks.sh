#!/usr/bin/env bash
# Webhook benchmark on loopback: starts target/herald.jar (embedded PostgreSQL) with a fresh data dir,
# then runs herald.bench.WebhookBench, which starts local receivers on 127.0.0.1, creates one endpoint
# per receiver for message.queued, commits the events (messages scheduled a day ahead, so only the
# webhook dispatchers work) and reports (a) signed deliveries/s for a burst of events and (b)
# first-attempt latency p50/p99 from event commit to receipt at a steady rate; finally Herald's peak
# RSS. (a) follows a warm-up burst of warm_events events, reported apart as (a0), so it measures a
# compiled dispatcher rather than the JIT compiler (0 measures from a cold start). Bounded by the
# event count, the rate and duration, and a time limit.
# Stops Herald (by its PID) at the end.
# Usage: bench/webhooks.sh [events=20000] [endpoints=2] [max_seconds=120] [dispatchers=2]
#                          [latency_rate=500] [latency_seconds=10] [warm_events=40000]
#   env: HERALD_JAR runs another build's jar (to compare builds)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-20000}; ENDPOINTS=${2:-2}; MAX_SECONDS=${3:-120}; DISPATCHERS=${4:-2}
RATE=${5:-500}; LATENCY_SECONDS=${6:-10}; WARM_EVENTS=${7:-40000}
mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DATA=$(mktemp -d /tmp/herald-bench-webhooks.XXXX); chmod 755 "$DATA"
PORT=$(free_port); SMSC=$(free_port)
HERALD_DATA_DIR=$DATA HERALD_HTTP_PORT=$PORT HERALD_ADMIN_PASSWORD=bench-password \
HERALD_ACCESS_LOG_LEVEL=WARN HERALD_RATE_LIMITS_SENDS_LIMIT=1000000 HERALD_RATE_LIMITS_OTHER_LIMIT=1000000 \
HERALD_SIMULATORS_SMPP_PORT=$SMSC HERALD_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true \
HERALD_WEBHOOKS_DISPATCHER_INSTANCES=$DISPATCHERS \
  java ${HERALD_JAVA_OPTS:-} -jar "${HERALD_JAR:-target/herald.jar}" >"$DATA/herald.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
JAVA_VERSION=$(java -version 2>&1 | sed -n 1p)
echo "Herald ready (pid $PID); $(nproc) cores; $JAVA_VERSION; dispatcher instances $DISPATCHERS"
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" herald.bench.WebhookBench \
  "$PORT" bench-password "$EVENTS" "$ENDPOINTS" "$MAX_SECONDS" "$RATE" "$LATENCY_SECONDS" \
  "$WARM_EVENTS"
echo "Herald peak RSS: $(grep VmHWM /proc/$PID/status | awk '{printf "%.0f MB", $2/1024}')"
