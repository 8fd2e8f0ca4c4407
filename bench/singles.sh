#!/usr/bin/env bash
# What one single send costs, by concurrency: for each level, a fresh Herald (embedded PostgreSQL,
# its in-process SMPP simulator sending receipts after 50 ms, an SMPP sender with window 200), WARM
# keep-alive single sends at 50 connections to warm the JIT, then N measured ones at the level's
# concurrency (ab -k). Prints per level: requests/s, p50/p99, CPU per request of Herald's event
# loops, of its JIT compiler threads and of the whole JVM (from /proc, by thread name), of the
# PostgreSQL server (postmaster and backends), and commits per request (pg_stat_database). Then waits
# for every message to be delivered and says so. Loopback only; Herald is stopped by its PID.
# Usage: bench/singles.sh [concurrency levels, default "8 32 128"]; env WARM=60000, N=20000
source "$(dirname "$0")/lib.sh"
LEVELS=${*:-8 32 128}; WARM=${WARM:-60000}; N=${N:-20000}
need_ab_and_psql
mvn -B -q package -DskipTests
# Herald runs from a copy, so a rebuild during a run cannot pull classes from under it.
JAR=$(mktemp -d /tmp/herald-bench-jar.XXXX)/herald.jar; cp target/herald.jar "$JAR"
DIRS+=("$(dirname "$JAR")")

us_per_req() { python3 -c "print(round(($2 - $1) * 1e6 / $(getconf CLK_TCK) / $N))"; }

echo "level	req/s	p50_ms	p99_ms	loops_us	jit_us	jvm_us	pg_us	commits	delivered"
for level in $LEVELS; do
  new_data_dir; PORT=$(free_port); SMSC=$(free_port)
  HERALD_DATA_DIR=$DATA HERALD_HTTP_PORT=$PORT HERALD_ADMIN_PASSWORD=bench-password \
  HERALD_ACCESS_LOG_LEVEL=WARN HERALD_RATE_LIMITS_SENDS_LIMIT=1000000 HERALD_RATE_LIMITS_OTHER_LIMIT=1000000 \
  HERALD_SIMULATORS_SMPP_PORT=$SMSC HERALD_SIMULATORS_SUBMIT_LATENCY_MS=1 HERALD_SIMULATORS_RECEIPT_DELAY_MS=50 \
    java ${HERALD_JAVA_OPTS:-} -jar "$JAR" >"$DATA/herald.log" 2>&1 &
  PID=$!; PIDS=("$PID")
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.1; done
  bench_key_and_sender "$SMSC" 200
  echo '{"to":"+14155550199","body":"singles bench"}' >"$DATA/one.json"
  export PGPASSWORD; PGPASSWORD=$(cat "$DATA/pg-password")
  sql() { psql -h 127.0.0.1 -p "$(sed -n 4p "$DATA/pg/postmaster.pid")" -U herald -d herald -At -c "$1"; }
  commits() { sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }
  delivered() { sql "SELECT count(*) FROM messages WHERE status = 'delivered'"; }
  ab_run() { ab -k -q -n "$1" -c "$2" -p "$DATA/one.json" -T application/json \
    -H "Authorization: Bearer $key" "$api/messages" 2>&1; }
  ab_run "$WARM" 50 >/dev/null
  sleep 5
  read -r l0 j0 t0 < <(thread_ticks "$PID"); p0=$(pg_ticks); c0=$(commits)
  out=$(ab_run "$N" "$level")
  read -r l1 j1 t1 < <(thread_ticks "$PID"); p1=$(pg_ticks); c1=$(commits)
  rps=$(awk '/Requests per second/ {print $4}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out"); p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  failed=$(awk '/Failed requests/ {print $3}' <<<"$out")
  total=$(( WARM + N ))
  for _ in $(seq 1 120); do [ "$(delivered)" -ge "$total" ] && break; sleep 1; done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$level" "$rps" "$p50" "$p99" \
    "$(us_per_req "$l0" "$l1")" "$(us_per_req "$j0" "$j1")" "$(us_per_req "$t0" "$t1")" \
    "$(us_per_req "$p0" "$p1")" "$(python3 -c "print(round(($c1 - $c0) / $N, 2))")" \
    "$(delivered) of $total (failed requests: $failed)"
  grep -E ' (WARN|ERROR) ' "$DATA/herald.log" | grep -v MeterRegistry | head -3 || true
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PIDS=(); rm -rf "$DATA"
done
echo "(CPU in µs per measured request; PostgreSQL's is its processes alive at the end of the round)"
