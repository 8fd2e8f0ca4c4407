#!/usr/bin/env bash
# The send path alone: a backlog drained with nothing else running. Herald (embedded PostgreSQL, its
# own simulators off) with an SMPP default sender of window WINDOW to the independent sink
# (herald.bench.SmppSink: answers every submit_sm at once, no receipts) takes MESSAGES messages in
# 1,000-message batches (ab -k, 4 connections), all scheduled for the same instant LEAD seconds
# ahead, so none is claimed while the others arrive. From that instant the lane claims, submits and
# records them sent. Prints the drain rate by the sink's clock (its first submit to its last), and CPU
# per message of Herald's event loops, its JIT compiler threads and its whole JVM, of PostgreSQL
# (postmaster and backends) and of the sink, read from /proc over the drain; commits per message
# (pg_stat_database); and the messages' final statuses. Loopback only; every process it starts is
# stopped by PID.
# Usage: bench/drain.sh [messages=60000] [window=100]   env: LEAD=25 (seconds; raise it if intake
# does not finish in time, which the script reports)
source "$(dirname "$0")/lib.sh"
MESSAGES=${1:-60000}; WINDOW=${2:-100}; LEAD=${LEAD:-25}
BATCHES=$(( MESSAGES / 1000 )); MESSAGES=$(( BATCHES * 1000 ))
need_ab_and_psql
build
SINK_CP="target/test-classes:$(tr ':' '\n' <target/bench.classpath | grep -E '/(jsmpp|slf4j-api)-' | paste -sd:)"
SINK=$(free_port); SINK_HTTP=$(free_port)
java -cp "$SINK_CP" herald.bench.SmppSink "$SINK" "$SINK_HTTP" >/dev/null 2>&1 &
SINK_PID=$!; PIDS+=("$SINK_PID")
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$SINK_HTTP/stats" >/dev/null 2>&1 && break; sleep 0.1; done
sink() { curl -sf "http://127.0.0.1:$SINK_HTTP/stats"; }

new_data_dir; start_herald
bench_key_and_sender "$SINK" "$WINDOW"
export PGPASSWORD; PGPASSWORD=$(cat "$DATA/pg-password")
sql() { psql -h 127.0.0.1 -p "$(sed -n 4p "$DATA/pg/postmaster.pid")" -U herald -d herald -At -c "$1"; }
commits() { sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }

DUE=$(( $(date +%s) + LEAD ))
python3 - "$DUE" >"$DATA/batch.json" <<'EOF'
import datetime, json, sys
due = datetime.datetime.fromtimestamp(int(sys.argv[1]), datetime.timezone.utc).isoformat()
print(json.dumps([{"to": "+1415555%04d" % i, "body": "Drain bench %d" % i, "scheduled_at": due}
                  for i in range(1000)]))
EOF
ab -k -q -n "$BATCHES" -c 4 -p "$DATA/batch.json" -T application/json \
  -H "Authorization: Bearer $key" "$api/messages" >"$DATA/ab.txt" 2>&1
accepted=$(sql "SELECT count(*) FROM messages WHERE status = 'queued'")
[ "$accepted" = "$MESSAGES" ] || { echo "only $accepted of $MESSAGES messages queued" >&2; exit 1; }
now=$(date +%s)
[ "$now" -lt "$DUE" ] || { echo "intake ended $(( now - DUE )) s after the due time; raise LEAD" >&2; exit 1; }
echo "$MESSAGES messages queued, due in $(( DUE - now )) s; sender window $WINDOW; $(nproc) cores"
sleep $(( DUE - now - 1 ))
read -r l0 j0 t0 < <(thread_ticks "$HERALD_PID"); p0=$(pg_ticks); c0=$(commits)
s0=$(awk '{print $14+$15}' "/proc/$SINK_PID/stat")
for _ in $(seq 1 6000); do
  [ "$(sink | json "d['submits']")" -ge "$MESSAGES" ] && break; sleep 0.1
done
submits=$(sink | json "d['submits']")
[ "$submits" -ge "$MESSAGES" ] || { echo "the sink got $submits of $MESSAGES in 600 s" >&2; exit 1; }
read -r l1 j1 t1 < <(thread_ticks "$HERALD_PID"); p1=$(pg_ticks); c1=$(commits)
s1=$(awk '{print $14+$15}' "/proc/$SINK_PID/stat")
us() { python3 -c "print(round(($2 - $1) * 1e6 / $(getconf CLK_TCK) / $MESSAGES))"; }
sink | json "'sink: %d submits, %.0f messages/s (first to last submit)' % (d['submits'],
  d['submits'] * 1000 / max(1, d['last_submit_ms'] - d['first_submit_ms']))"
echo "CPU per message (µs): Herald event loops $(us "$l0" "$l1"), JIT $(us "$j0" "$j1"), JVM $(us "$t0" "$t1");" \
  "PostgreSQL $(us "$p0" "$p1"); sink $(us "$s0" "$s1"); commits per message" \
  "$(python3 -c "print(round(($c1 - $c0) / $MESSAGES, 3))")"
sleep 2
echo "statuses: $(sql "SELECT status || ' ' || count(*) FROM messages GROUP BY status" | paste -sd' ')"
