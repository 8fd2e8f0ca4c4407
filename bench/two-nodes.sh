#!/usr/bin/env bash
# Two Herald nodes on one PostgreSQL (a server of its own, so it outlives them) and the SMSC simulator
# as a process of its own. (1) Lane: a sender at RATE/s with a backlog of COUNT messages, both nodes
# up: the SMSC's total rate over 30 s (less for a short backlog), the sessions bound at once and binds made, submits repeated.
# (2) Lane crash: the node owning the sender's lane (node 0 when lanes are not leased) is killed with
# kill -9 with a second backlog half sent: takeover time (from the lease table), lost and repeated.
# (3) Campaign: one campaign at 50/s on a 1,000/s sender, both nodes up: the node owning it, the
# SMSC's rate, then kill -9 of that node: takeover time, recipients lost, submits repeated.
# Usage: bench/two-nodes.sh [count=6000] [rate=100] [campaign=2000] [window=50]
# Environment: LEASE_MS (5000) and RENEW_MS (1000), the nodes' cluster.lease_ms and
# cluster.renew_interval_ms. The nodes' logs are kept in /tmp/herald-two-nodes-node{0,1}.log.
source "$(dirname "$0")/lib.sh"
COUNT=${1:-6000}; RATE=${2:-100}; CAMPAIGN=${3:-2000}; WINDOW=${4:-50}
LEASE_MS=${LEASE_MS:-5000}; RENEW_MS=${RENEW_MS:-1000}
camp() { java -cp "$CP" herald.bench.CampaignRun "$@" | tail -1; }
cluster() { java -cp "$CP" herald.bench.ClusterRun "$@"; }
NODE_PORT=(); NODE_PID=(); NODE_DATA=()
stat() { smsc GET stats | json "d[\"$1\"]"; }
# the nodes' logs outlive the run (their data dirs do not)
save_logs() {
  for i in 0 1; do
    [ -n "${NODE_DATA[$i]:-}" ] && cp "${NODE_DATA[$i]}/herald.log" "/tmp/herald-two-nodes-node$i.log" 2>/dev/null || true
  done
  cleanup
}
trap save_logs EXIT
build
start_smsc 1 50

new_data_dir; PG_DIR=$DATA
java -cp "$CP" herald.bench.ClusterRun postgres "$PG_DIR" >"$PG_DIR/url" 2>"$PG_DIR/postgres.log" &
PIDS+=("$!")
for _ in $(seq 1 600); do grep -q '^postgresql://' "$PG_DIR/url" 2>/dev/null && break; sleep 0.1; done
DB_URL=$(grep '^postgresql://' "$PG_DIR/url") || { echo "PostgreSQL did not start" >&2; cat "$PG_DIR/postgres.log" >&2; exit 1; }

# start_node I: node I (0 or 1) on the shared database, its own port (kept across restarts) and data dir
start_node() {
  local i=$1
  if [ -z "${NODE_DATA[$i]:-}" ]; then new_data_dir; NODE_DATA[$i]=$DATA; NODE_PORT[$i]=$(free_port); fi
  HERALD_DATA_DIR=${NODE_DATA[$i]} HERALD_HTTP_PORT=${NODE_PORT[$i]} HERALD_ADMIN_PASSWORD=bench-password \
  HERALD_DATABASE_URL=$DB_URL HERALD_CLUSTER_LEASE_MS=$LEASE_MS HERALD_CLUSTER_RENEW_INTERVAL_MS=$RENEW_MS \
  HERALD_ENGINE_STALE_SENDING_SECONDS=10 \
  HERALD_SIMULATORS_ENABLED=false HERALD_ACCESS_LOG_LEVEL=WARN \
  HERALD_RATE_LIMITS_SENDS_LIMIT=1000000 HERALD_RATE_LIMITS_OTHER_LIMIT=1000000 \
    java ${HERALD_JAVA_OPTS:-} -jar "$JAR" >>"${NODE_DATA[$i]}/herald.log" 2>&1 &
  NODE_PID[$i]=$!; PIDS+=("${NODE_PID[$i]}")
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:${NODE_PORT[$i]}/health/ready" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "node $i did not become ready; see ${NODE_DATA[$i]}/herald.log" >&2; tail -20 "${NODE_DATA[$i]}/herald.log" >&2; exit 1
}
kill_node() { kill -9 "${NODE_PID[$1]}"; wait "${NODE_PID[$1]}" 2>/dev/null || true; }
# node_of OWNER: the node whose log names OWNER's node id, or 0 when OWNER is "-"
node_of() {
  [ "$1" = "-" ] && { echo 0; return; }
  grep -q "Cluster node ${1%%/*}:" "${NODE_DATA[1]}/herald.log" && echo 1 || echo 0
}
start_node 0; start_node 1
echo "$(nproc) cores; SMSC simulator pid $SMSC_PID on $SMSC; nodes on ports ${NODE_PORT[0]} and ${NODE_PORT[1]}; lease $LEASE_MS ms, renew $RENEW_MS ms"

echo "== (1) one sender at $RATE/s, a backlog of $COUNT, two nodes up"
binds0=$(stat binds)
read -r KEY SENDER < <(run setup "${NODE_PORT[0]}" bench-password "$SMSC" 1 "$WINDOW")
# One call with the new key before the bulk post: two of three runs had their first concurrent
# posts with a fresh key answered 401 (not investigated here; see the report of this change).
curl -sf -H "X-API-Key: $KEY" "http://127.0.0.1:${NODE_PORT[0]}/api/v1/senders/$SENDER" >/dev/null
run post "${NODE_PORT[0]}" "$KEY" "$SENDER" "$COUNT" lanes >/dev/null
rep0=$(stat repeated_submits)
run rate "${NODE_PORT[0]}" "$KEY" "$SENDER" "$RATE" >/dev/null
# measured over the middle of the backlog: from 5 s after the change, for half its ideal duration
SPAN=$(( COUNT / RATE / 2 )); [ "$SPAN" -gt 30 ] && SPAN=30
sleep 5
# each count is timed at the middle of its own call (a loaded machine takes a while to make it)
a=$(date +%s.%N); s1=$(stat submits_accepted); b=$(date +%s.%N); t1=$(python3 -c "print(($a + $b) / 2)")
bound=$(stat bound_sessions)
sleep "$SPAN"
a=$(date +%s.%N); s2=$(stat submits_accepted); b=$(date +%s.%N); t2=$(python3 -c "print(($a + $b) / 2)")
now=$(stat bound_sessions); bound=$(( bound > now ? bound : now ))
run wait "${NODE_PORT[0]}" "$KEY" "$SENDER" "$COUNT" 900 sent >/dev/null
python3 -c "
t = $t2 - $t1; r = ($s2 - $s1) / t; dev = (r / $RATE - 1) * 100
print(f'SMSC rate over {t:.1f} s: {r:.1f}/s against {$RATE}/s = {dev:+.1f} %; sessions bound at once: $bound; binds made: {$(stat binds) - $binds0}; submits repeated: {$(stat repeated_submits) - $rep0}')
print('PASS' if abs(dev) <= 2 and $bound == 1 else 'FAIL', '(one lane in the cluster: within ±2 %, bound once)')"

echo "== (2) kill -9 of the lane's node with a second backlog of $COUNT half sent"
LANE_OWNER=$(cluster owner "$DB_URL" lane "$SENDER")
VICTIM=$(node_of "$LANE_OWNER"); SURVIVOR=$((1 - VICTIM))
[ "$LANE_OWNER" = "-" ] && echo "(lanes are not leased on this build: killing node 0)"
run post "${NODE_PORT[$SURVIVOR]}" "$KEY" "$SENDER" "$COUNT" crash >/dev/null
rep0=$(stat repeated_submits)
run wait "${NODE_PORT[$SURVIVOR]}" "$KEY" "$SENDER" $(( COUNT + COUNT / 2 )) 900 sent >/dev/null
kill_node "$VICTIM"
echo "killed node $VICTIM (pid ${NODE_PID[$VICTIM]}, lane owner $LANE_OWNER)"
[ "$LANE_OWNER" != "-" ] && echo "lane taken over by: $(cluster await-owner "$DB_URL" lane "$SENDER" "$LANE_OWNER" 60) ms"
run wait "${NODE_PORT[$SURVIVOR]}" "$KEY" "$SENDER" $(( 2 * COUNT )) 900 >/dev/null
counts=$(run counts "${NODE_PORT[$SURVIVOR]}" "$KEY" "$SENDER")
python3 -c "
import json
c = json.loads('$counts'); final = sum(c.get(s, 0) for s in ('delivered', 'undelivered', 'failed'))
print(f'final statuses: {c}; lost {2 * $COUNT - final}; submits repeated after the kill: {$(stat repeated_submits) - $rep0} (window $WINDOW)')"
start_node "$VICTIM"

echo "== (3) one campaign at 50/s of $CAMPAIGN recipients on a 1,000/s sender, two nodes up"
read -r KEY2 FAST < <(run setup "${NODE_PORT[0]}" bench-password "$SMSC" 1000 "$WINDOW")
ID=$(camp create "${NODE_PORT[0]}" "$KEY2" "$FAST" "$CAMPAIGN" 50 two-nodes)
rep0=$(stat repeated_submits)
camp start "${NODE_PORT[0]}" "$KEY2" "$ID" >/dev/null
OWNER="-"
for _ in $(seq 1 100); do OWNER=$(cluster owner "$DB_URL" campaign "$ID"); [ "$OWNER" != "-" ] && break; sleep 0.1; done
VICTIM=$(node_of "$OWNER"); SURVIVOR=$((1 - VICTIM))
camp sent "${NODE_PORT[0]}" "$KEY2" "$ID" $(( CAMPAIGN / 10 )) 300 >/dev/null
s1=$(stat submits_accepted); t1=$(date +%s.%N)
sleep 10
s2=$(stat submits_accepted); t2=$(date +%s.%N)
runs=$(grep -l "$ID" "${NODE_DATA[0]}/herald.log" "${NODE_DATA[1]}/herald.log" | wc -l)
python3 -c "print(f'owner {\"$OWNER\"} (node $VICTIM); SMSC rate over {$t2 - $t1:.1f} s: {($s2 - $s1) / ($t2 - $t1):.1f}/s (campaign 50/s); nodes whose log names the campaign: $runs')"
kill_node "$VICTIM"
echo "killed node $VICTIM (pid ${NODE_PID[$VICTIM]}); campaign taken over by: $(cluster await-owner "$DB_URL" campaign "$ID" "$OWNER" 60) ms"
camp wait "${NODE_PORT[$SURVIVOR]}" "$KEY2" "$ID" completed 600 >/dev/null
camp status "${NODE_PORT[$SURVIVOR]}" "$KEY2" "$ID" | python3 -c "
import sys, json
d = json.load(sys.stdin)
print(f'campaign {d[\"status\"]}: total {d[\"total\"]}, sent {d[\"sent\"]}, lost {d[\"total\"] - d[\"sent\"]}; submits repeated: {$(stat repeated_submits) - $rep0} (window $WINDOW)')"
