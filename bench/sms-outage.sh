#!/usr/bin/env bash
# The SMSC simulator down for 30 s while messages wait: the sender's circuit opens, nothing is
# marked failed, and every message is delivered after the SMSC returns.
# Usage: bench/sms-outage.sh [messages=5000] [outage_seconds=30] [rate=500]
source "$(dirname "$0")/lib.sh"
N=${1:-5000}; OUTAGE=${2:-30}; RATE=${3:-500}
build
start_smsc 1 50
new_data_dir; start_herald
read -r KEY SENDER < <(run setup "$PORT" bench-password "$SMSC" "$RATE" 50)
run post "$PORT" "$KEY" "$SENDER" "$N" outage
sleep 2
smsc POST pause >/dev/null; down=$(date +%s)
echo "SMSC paused (connections refused) for $OUTAGE s"
api() { curl -sf -H "X-API-Key: $KEY" "http://127.0.0.1:$PORT/api/v1/$1"; }
while [ $(( $(date +%s) - down + 5 )) -le "$OUTAGE" ]; do
  sleep 5
  status=$(api "senders/$SENDER/status" | json "'connection=' + d['connection'] + ' circuit=' + d['circuit']")
  echo "  +$(( $(date +%s) - down )) s: $status; $(api "messages/stats?sender_id=$SENDER" | json "d['by_status']")"
done
sleep $(( OUTAGE - ($(date +%s) - down) > 0 ? OUTAGE - ($(date +%s) - down) : 0 ))
smsc POST resume >/dev/null; up=$(date +%s)
echo "SMSC resumed after $(( up - down )) s"
run wait "$PORT" "$KEY" "$SENDER" "$N" 600
counts=$(run counts "$PORT" "$KEY" "$SENDER")
echo "final: $counts; all final $(( $(date +%s) - up )) s after the SMSC returned"
python3 -c "
import json, sys
c = json.loads('$counts')
ok = c.get('delivered', 0) == $N and c.get('failed', 0) == 0 and c.get('undelivered', 0) == 0
print('PASS' if ok else 'FAIL', f'delivered {c.get(\"delivered\", 0)} of $N, failed {c.get(\"failed\", 0)}')
sys.exit(0 if ok else 1)"
