# Shared by the bench scripts: build once, start the SMSC simulator and Herald as processes of their
# own on loopback, and stop exactly the processes started here (by PID) when the script exits.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PIDS=()
DIRS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for dir in "${DIRS[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT

build() {
  mvn -B -q package -DskipTests
  mvn -B -q test-compile
  mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
  # Herald runs from a copy, so a rebuild during a run cannot pull classes from under it.
  # HERALD_JAR runs another build's jar instead (to compare builds with the same script).
  JAR=$(mktemp -d /tmp/herald-bench-jar.XXXX)/herald.jar; cp "${HERALD_JAR:-target/herald.jar}" "$JAR"
  DIRS+=("$(dirname "$JAR")")
  CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_smsc SUBMIT_LATENCY_MS RECEIPT_DELAY_MS: sets SMSC (SMPP port), SMSC_HTTP, SMSC_PID
start_smsc() {
  SMSC=$(free_port); SMSC_HTTP=$(free_port)
  java -cp "$CP" herald.sim.smpp.SmscMain "$SMSC" "$SMSC_HTTP" "$1" "$2" >/tmp/herald-bench-smsc.log 2>&1 &
  SMSC_PID=$!; PIDS+=("$SMSC_PID")
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$SMSC_HTTP/stats" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "SMSC simulator did not start" >&2; exit 1
}
smsc() { curl -sf -X "$1" "http://127.0.0.1:$SMSC_HTTP/$2"; }

# new_data_dir: sets DATA to a fresh data dir (removed at exit)
new_data_dir() { DATA=$(mktemp -d /tmp/herald-bench-data.XXXX); chmod 755 "$DATA"; DIRS+=("$DATA"); }

# start_herald: Herald on $DATA, its own simulators off; sets PORT (kept across restarts), HERALD_PID
start_herald() {
  PORT=${PORT:-$(free_port)}
  HERALD_DATA_DIR=$DATA HERALD_HTTP_PORT=$PORT HERALD_ADMIN_PASSWORD=bench-password \
  HERALD_SIMULATORS_ENABLED=false HERALD_ACCESS_LOG_LEVEL=WARN \
  HERALD_RATE_LIMITS_SENDS_LIMIT=1000000 HERALD_RATE_LIMITS_OTHER_LIMIT=1000000 \
    java ${HERALD_JAVA_OPTS:-} -jar "$JAR" >>"$DATA/herald.log" 2>&1 &
  HERALD_PID=$!; PIDS+=("$HERALD_PID")
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "Herald did not become ready; see $DATA/herald.log" >&2; tail -20 "$DATA/herald.log" >&2; exit 1
}
stop_herald() { kill -TERM "$HERALD_PID"; wait "$HERALD_PID" 2>/dev/null || true; }

run() { java -cp "$CP" herald.bench.SmsRun "$@"; }
json() { python3 -c "import sys,json; d=json.load(sys.stdin); print($1)"; }

# bench_key_and_sender SMPP_PORT WINDOW: on the Herald at $PORT, logs in as admin, sets api (the
# /api/v1 base) and key (an API key for messages and senders), and creates the account's default
# SMPP sender to 127.0.0.1:SMPP_PORT at 100,000/s with WINDOW outstanding submits
bench_key_and_sender() {
  local token
  api="http://127.0.0.1:$PORT/api/v1"
  token=$(curl -sf -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"bench-password"}' "$api/auth/login" | json "d['token']")
  key=$(curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"bench","scopes":["messages:*","senders:*"]}' "$api/api-keys" | json "d['key']")
  curl -sf -o /dev/null -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "{
    \"name\": \"bench\", \"provider\": \"smpp\", \"rate_per_second\": 100000, \"is_default\": true,
    \"settings\": {\"host\": \"127.0.0.1\", \"port\": $1, \"system_id\": \"herald\",
                   \"password\": \"herald\", \"source_addr\": \"12345\", \"window\": $2}}" "$api/senders"
}

# thread_ticks PID: "<event-loop ticks> <JIT compiler ticks> <all ticks>" of a JVM, from /proc
thread_ticks() {
  python3 - "$1" <<'EOF'
import os, sys
pid = sys.argv[1]; loops = jit = total = 0
for t in os.listdir(f"/proc/{pid}/task"):
    try:
        name = open(f"/proc/{pid}/task/{t}/comm").read()
        fields = open(f"/proc/{pid}/task/{t}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    ticks = int(fields[11]) + int(fields[12])
    total += ticks
    if name.startswith("vert.x-eventloo"): loops += ticks
    if "CompilerThre" in name: jit += ticks
print(loops, jit, total)
EOF
}
# pg_ticks: CPU ticks of the embedded PostgreSQL of $DATA (its postmaster and live children)
pg_ticks() {
  local pm p total=0
  pm=$(head -1 "$DATA/pg/postmaster.pid")
  for p in "$pm" $(pgrep -P "$pm" || true); do
    total=$(( total + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# need_ab_and_psql: installs ApacheBench and the PostgreSQL client with apt-get (root or sudo) when
# either is missing
need_ab_and_psql() {
  local missing=() S=
  command -v ab >/dev/null || missing+=(apache2-utils)
  command -v psql >/dev/null || missing+=(postgresql-client)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || S=sudo
    $S apt-get install -y -q "${missing[@]}" >/dev/null
  fi
}
