#!/usr/bin/env bash
# Herald against Kannel 1.4.5 on loopback, both sending to the same independent SMPP sink
# (herald.bench.SmppSink: answers every submit_sm at once, sends no receipts, counts). Each round runs
#   (a) Kannel (bearerbox + smsbox, smpp SMSC with max-pending-submits 100): single sendsms GETs,
#   (b) Herald (fresh data dir, SMPP default sender with window 100): single POST /api/v1/messages,
#   (c) Herald: POST /api/v1/messages with arrays of 1,000 messages at a few connections,
# (a) and (b) with ApacheBench at the same concurrency, and measures HTTP requests/s and p50/p99 (ab's
# table), messages/s at the sink (from its first submit to its last), and peak RSS (VmHWM; for Kannel
# bearerbox + smsbox, for Herald the JVM, with its embedded PostgreSQL's PSS alongside). Prints each
# round, then the medians and Herald/Kannel ratios. Installs kannel and apache2-utils with apt-get if
# they are missing (needs root or sudo). Every process it starts is stopped by PID at exit.
# Usage: bench/vs-kannel.sh [rounds=3] [requests=50000] [batch_connections=4]
#   env: CONNECTIONS=50 (ab -c for a and b), BATCHES (c's requests, default requests/1000),
#        AB_KEEPALIVE=1 (ab -k for every phase), SINK_IDLE_SECONDS=30 (the sink is done when its count
#        stops growing this long), PHASE_SECONDS=900 (time limit of each ab run and of each wait at
#        the sink), WARM=70000 (requests each gateway takes first, not counted: Herald's JVM compiles
#        its hot path during its first tens of thousands of requests: its compiler threads took 124 to
#        147 µs of CPU per request over requests 20,000 to 70,000, and 8 to 13 µs after; Kannel gets
#        the same; 0 measures from a cold start), WARM_BATCHES=10 (the same for (c))
source "$(dirname "$0")/lib.sh"
ROUNDS=${1:-3}; REQUESTS=${2:-50000}; BATCH_CONNECTIONS=${3:-4}
CONNECTIONS=${CONNECTIONS:-50}; BATCHES=${BATCHES:-$(( (REQUESTS + 999) / 1000 ))}
SINK_IDLE_SECONDS=${SINK_IDLE_SECONDS:-30}; PHASE_SECONDS=${PHASE_SECONDS:-900}
AB_FLAGS=(-r -s 60); [ "${AB_KEEPALIVE:-0}" = 1 ] && AB_FLAGS+=(-k)
WARM=${WARM:-70000}; WARM_BATCHES=${WARM_BATCHES:-10}

# --- tools ------------------------------------------------------------------------------------------
missing=()
{ command -v bearerbox && command -v smsbox; } >/dev/null || missing+=(kannel)
command -v ab >/dev/null || missing+=(apache2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Built only when missing, so a run measures what is already there (rebuild with mvn to refresh).
[ -f target/herald.jar ] || mvn -B -q package -DskipTests
[ -f target/test-classes/herald/bench/SmppSink.class ] || mvn -B -q test-compile
[ -f target/bench.classpath ] ||
  mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
JAR=$(mktemp -d /tmp/herald-bench-jar.XXXX)/herald.jar; cp target/herald.jar "$JAR"
DIRS+=("$(dirname "$JAR")")
# The sink runs on jsmpp alone: none of Herald's classes are on its classpath.
SINK_CP="target/test-classes:$(tr ':' '\n' <target/bench.classpath | grep -E '/(jsmpp|slf4j-api)-' | paste -sd:)"
WORK=$(mktemp -d /tmp/herald-bench-vs-kannel.XXXX); DIRS+=("$WORK")
RESULTS=$WORK/results.tsv; : >"$RESULTS"

# stop PID: TERM, wait, and forget it (so the exit trap never signals a reused PID)
stop() {
  kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true
  local keep=() p; for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; PIDS=("${keep[@]}")
}
fail() { echo "$1" >&2; shift; for f in "$@"; do echo "--- $f" >&2; tail -20 "$f" >&2; done; exit 1; }
# hwm_kb PID: peak RSS in KB, 0 when the process has ended (Kannel's smsbox once exited after a round)
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# --- the sink ---------------------------------------------------------------------------------------
SINK=$(free_port); SINK_HTTP=$(free_port)
java -cp "$SINK_CP" herald.bench.SmppSink "$SINK" "$SINK_HTTP" >"$WORK/sink.log" 2>&1 &
SINK_PID=$!; PIDS+=("$SINK_PID")
sink() { curl -sf -X "$1" "http://127.0.0.1:$SINK_HTTP/$2"; }
for _ in $(seq 1 300); do sink GET stats >/dev/null 2>&1 && break; sleep 0.1; done
sink GET stats >/dev/null || fail "the SMPP sink did not start" "$WORK/sink.log"
binds() { sink GET stats | json "d['binds']"; }

# wait_bind BEFORE PID LOG...: until the sink has seen a bind more than BEFORE (while PID lives)
wait_bind() {
  local before=$1 pid=$2; shift 2
  for _ in $(seq 1 600); do
    [ "$(binds)" -gt "$before" ] && return
    kill -0 "$pid" 2>/dev/null || fail "process $pid ended" "$@"
    sleep 0.1
  done
  fail "no SMPP bind at the sink within 60 s" "$@"
}

# sink_result EXPECTED: waits until the sink counted EXPECTED submits, or its count stopped growing for
# SINK_IDLE_SECONDS, or PHASE_SECONDS; prints "count messages_per_second"
sink_result() {
  local expected=$1 last=-1 still=0 start=$SECONDS n
  while :; do
    n=$(sink GET stats | json "d['submits']")
    [ "$n" -ge "$expected" ] && break
    if [ "$n" = "$last" ]; then still=$((still + 1)); else still=0; last=$n; fi
    [ "$still" -ge "$SINK_IDLE_SECONDS" ] && break
    [ $((SECONDS - start)) -ge "$PHASE_SECONDS" ] && break
    sleep 1
  done
  sink GET stats | json "f\"{d['submits']} {(d['submits'] - 1) / max(d['last_submit_ms'] - d['first_submit_ms'], 1) * 1000:.0f}\""
}

# reset_sink: once the sink's count has not moved for 3 s (at most SINK_IDLE_SECONDS), count from zero
reset_sink() {
  local last=-1 still=0 n
  for _ in $(seq 1 "$SINK_IDLE_SECONDS"); do
    n=$(sink GET stats | json "d['submits']")
    if [ "$n" = "$last" ]; then still=$((still + 1)); else still=0; last=$n; fi
    [ "$still" -ge 3 ] && break
    sleep 1
  done
  sink POST reset >/dev/null
}

# extra COUNT EXPECTED: a note when the sink saw more submits than were accepted (resends)
extra() { [ "$1" -gt "$2" ] && echo " ($(( $1 - $2 )) more than accepted: resent)" || true; }

# ab_run OUT ARGS...: ApacheBench; prints "requests_per_s p50_ms p99_ms good_responses"
ab_run() {
  local out=$1 n=$3 c=$5; shift
  [ "$c" -le "$n" ] || set -- -n "$n" -c "$n" "${@:5}"
  # At the time limit ab gets SIGINT, on which it prints what it measured so far.
  timeout -s INT "$PHASE_SECONDS" ab "${AB_FLAGS[@]}" "$@" >"$out" 2>&1 || [ $? = 124 ] || fail "ab failed" "$out"
  awk '/^Requests per second:/ {rps=$4} /^Complete requests:/ {c=$3} /^Non-2xx responses:/ {bad+=$3}
       /^Failed requests:/ {f=$3} /Connect: .*Receive: .*Length: .*Exceptions:/ {gsub(/[^0-9 ]/," "); split($0,a," "); ex=a[1]+a[2]+a[4]}
       /^  50%/ {p50=$2} /^  99%/ {p99=$2}
       END {printf "%s %s %s %d\n", rps, p50 == "" ? "-" : p50, p99 == "" ? "-" : p99, c - bad - ex}' "$out"
}

# --- (a) Kannel -------------------------------------------------------------------------------------
kannel_round() {
  local round=$1 k admin box sendsms bb sb before url
  k=$(mktemp -d /tmp/herald-bench-kannel.XXXX); DIRS+=("$k")
  admin=$(free_port); box=$(free_port); sendsms=$(free_port)
  cat >"$k/kannel.conf" <<EOF
group = core
admin-port = $admin
admin-interface = 127.0.0.1
admin-password = bench
admin-allow-ip = "127.0.0.1"
smsbox-port = $box
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
log-file = "$k/bearerbox.log"
log-level = 2
store-type = file
store-location = "$k/kannel.store"

group = smsc
smsc = smpp
smsc-id = sink
host = 127.0.0.1
port = $SINK
receive-port = 0
transceiver-mode = true
smsc-username = kannel
smsc-password = kannel
system-type = "bench"
max-pending-submits = 100

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $box
sendsms-port = $sendsms
sendsms-interface = 127.0.0.1
log-file = "$k/smsbox.log"
log-level = 2

group = sendsms-user
username = bench
password = bench
user-allow-ip = "127.0.0.1"
EOF
  before=$(binds)
  bearerbox -v 2 "$k/kannel.conf" >"$k/bearerbox.out" 2>&1 &
  bb=$!; PIDS+=("$bb")
  wait_bind "$before" "$bb" "$k/bearerbox.out" "$k/bearerbox.log"
  smsbox -v 2 "$k/kannel.conf" >"$k/smsbox.out" 2>&1 &
  sb=$!; PIDS+=("$sb")
  url="http://127.0.0.1:$sendsms/cgi-bin/sendsms?username=bench&password=bench&from=12345&to=%2B14155550100&text=Kannel+bench"
  # One message through the whole path first, then count from zero.
  for _ in $(seq 1 300); do curl -sf -o /dev/null "$url" && break; sleep 0.2; done
  res=$(sink_result 1)
  read -r n _ <<<"$res"
  [ "$n" -ge 1 ] || fail "Kannel's first message did not reach the sink" "$k/smsbox.out" "$k/bearerbox.out"
  if [ "$WARM" -gt 0 ]; then
    ab_run "$k/ab-warm.txt" -n "$WARM" -c "$CONNECTIONS" "$url" >/dev/null
  fi
  reset_sink
  res=$(ab_run "$k/ab.txt" -n "$REQUESTS" -c "$CONNECTIONS" "$url")
  read -r rps p50 p99 good <<<"$res"
  res=$(sink_result "$good")
  read -r count rate <<<"$res"
  rss=$(( ($(hwm_kb "$bb") + $(hwm_kb "$sb")) / 1024 ))
  stop "$sb"; stop "$bb"
  printf '%s\tkannel\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t-\n' \
    "$round" "$rps" "$rate" "$p50" "$p99" "$rss" "$good" "$count" >>"$RESULTS"
  printf '  (a) Kannel: %s req/s, p50 %s ms, p99 %s ms; sink %s of %s%s at %s msg/s; peak RSS %s MB (bearerbox+smsbox)\n' \
    "$rps" "$p50" "$p99" "$count" "$good" "$(extra "$count" "$good")" "$rate" "$rss"
  rm -rf "$k"
}

# --- (b) and (c) Herald -----------------------------------------------------------------------------
# pg_pss_kb: PSS of the embedded PostgreSQL (its postmaster, found by $DATA/pg/postmaster.pid, and
# the postmaster's children), in kB; it runs detached from Herald's JVM, so it is not under its PID
pg_pss_kb() {
  local pm p total=0
  pm=$(head -1 "$DATA/pg/postmaster.pid" 2>/dev/null) || { echo 0; return; }
  for p in "$pm" $(pgrep -P "$pm" || true); do
    total=$(( total + $(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

herald_round() {
  local round=$1 token key before api sampler
  new_data_dir; unset PORT; start_herald
  api="http://127.0.0.1:$PORT/api/v1"
  token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"bench-password"}' \
    "$api/auth/login" | json "d['token']")
  key=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"bench","scopes":["messages:*","senders:*"]}' "$api/api-keys" | json "d['key']")
  before=$(binds)
  curl -sf -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "{
    \"name\": \"sink\", \"provider\": \"smpp\", \"rate_per_second\": 100000, \"is_default\": true,
    \"settings\": {\"host\": \"127.0.0.1\", \"port\": $SINK, \"system_id\": \"herald\",
                   \"password\": \"herald\", \"source_addr\": \"12345\", \"window\": 100}}" "$api/senders" ||
    fail "could not create Herald's sender" "$DATA/herald.log"
  echo '{"to":"+14155550100","body":"Herald bench"}' >"$WORK/one.json"
  python3 -c 'import json; print(json.dumps([{"to": "+14155550100", "body": "Herald bench"}] * 1000))' \
    >"$WORK/batch.json"
  curl -sf -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d @"$WORK/one.json" "$api/messages" || fail "Herald refused the first message" "$DATA/herald.log"
  wait_bind "$before" "$HERALD_PID" "$DATA/herald.log"
  res=$(sink_result 1)
  read -r n _ <<<"$res"
  [ "$n" -ge 1 ] || fail "Herald's first message did not reach the sink" "$DATA/herald.log"
  if [ "$WARM" -gt 0 ]; then
    ab_run "$WORK/ab-warm.txt" -n "$WARM" -c "$CONNECTIONS" \
      -p "$WORK/one.json" -T application/json -H "Authorization: Bearer $key" "$api/messages" >/dev/null
  fi
  reset_sink

  # PostgreSQL's processes come and go, so their PSS is sampled every second into a file.
  ( peak=0; while :; do v=$(pg_pss_kb); [ "$v" -gt "$peak" ] && peak=$v && echo "$peak" >"$WORK/pg.kb"; sleep 1; done ) &
  sampler=$!; PIDS+=("$sampler")
  res=$(ab_run "$WORK/ab-herald.txt" -n "$REQUESTS" -c "$CONNECTIONS" \
    -p "$WORK/one.json" -T application/json -H "Authorization: Bearer $key" "$api/messages")
  read -r rps p50 p99 good <<<"$res"
  res=$(sink_result "$good")
  read -r count rate <<<"$res"
  rss=$(( $(hwm_kb "$HERALD_PID") / 1024 ))
  stop "$sampler"; pg=$(( $(cat "$WORK/pg.kb" 2>/dev/null || echo 0) / 1024 ))
  printf '%s\therald\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$round" "$rps" "$rate" "$p50" "$p99" "$rss" "$good" "$count" "$pg" >>"$RESULTS"
  printf '  (b) Herald: %s req/s, p50 %s ms, p99 %s ms; sink %s of %s%s at %s msg/s; peak RSS %s MB (JVM) + PostgreSQL PSS %s MB\n' \
    "$rps" "$p50" "$p99" "$count" "$good" "$(extra "$count" "$good")" "$rate" "$rss" "$pg"
  if [ "$count" -gt "$good" ]; then  # resends: show what Herald logged about them
    grep -E ' (WARN|ERROR) ' "$DATA/herald.log" | tail -20 | cut -c1-300 | sed 's/^/      /'
  fi

  if [ "$WARM_BATCHES" -gt 0 ]; then
    ab_run "$WORK/ab-batch-warm.txt" -n "$WARM_BATCHES" -c "$BATCH_CONNECTIONS" \
      -p "$WORK/batch.json" -T application/json -H "Authorization: Bearer $key" "$api/messages" >/dev/null
  fi
  reset_sink
  res=$(ab_run "$WORK/ab-batch.txt" -n "$BATCHES" -c "$BATCH_CONNECTIONS" \
    -p "$WORK/batch.json" -T application/json -H "Authorization: Bearer $key" "$api/messages")
  read -r rps p50 p99 good <<<"$res"
  res=$(sink_result $(( good * 1000 )))
  read -r count rate <<<"$res"
  printf '%s\tbatch\t%s\t%s\t%s\t%s\t-\t%s\t%s\t-\n' \
    "$round" "$rps" "$rate" "$p50" "$p99" "$(( good * 1000 ))" "$count" >>"$RESULTS"
  printf '  (c) Herald, batches of 1,000 at %s connections: %s batches/s (p50 %s ms, p99 %s ms); sink %s of %s%s at %s msg/s\n' \
    "$BATCH_CONNECTIONS" "$rps" "$p50" "$p99" "$count" "$(( good * 1000 ))" "$(extra "$count" $(( good * 1000 )))" "$rate"
  stop "$HERALD_PID"; rm -rf "$DATA"  # its PostgreSQL stops with it
}

echo "$(nproc) cores; $(java -version 2>&1 | sed -n 1p); Kannel $(dpkg-query -W -f='${Version}' kannel 2>/dev/null || echo '?');" \
  "$ROUNDS rounds of $REQUESTS requests at $CONNECTIONS connections, $BATCHES batches at $BATCH_CONNECTIONS;" \
  "warm-up $WARM requests, $WARM_BATCHES batches; keep-alive ${AB_KEEPALIVE:-0}"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  kannel_round "$round"
  herald_round "$round"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS" <<'EOF'
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
def med(system, col):
    vals = [float(r[col]) for r in rows if r[1] == system and r[col] != "-"]
    return statistics.median(vals) if vals else float("nan")
cols = [("HTTP requests/s", 2), ("messages/s at the sink", 3), ("HTTP p50 ms", 4), ("HTTP p99 ms", 5),
        ("peak RSS MB", 6)]
print(f"medians over {len({r[0] for r in rows})} rounds")
print(f"{'':26}{'Kannel':>10}{'Herald':>10}{'Herald/Kannel':>15}")
for name, c in cols:
    k, h = med("kannel", c), med("herald", c)
    print(f"{name:26}{k:>10.0f}{h:>10.0f}{h / k if k else float('nan'):>15.2f}")
print(f"{'Herald PostgreSQL PSS MB':26}{'':>10}{med('herald', 9):>10.0f}")
b, k = med("batch", 3), med("kannel", 3)
print(f"{'batches: messages/s':26}{'':>10}{b:>10.0f}{b / k if k else float('nan'):>15.2f}  (sink, 1,000 per POST)")
EOF
