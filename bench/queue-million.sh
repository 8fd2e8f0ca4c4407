#!/usr/bin/env bash
# A million messages waiting: Herald with a 256 MB heap, its SMPP sender's SMSC (the simulator, a
# process of its own) down, takes COUNT (1,000,000) messages in batches of 1,000; then the queue sits
# for IDLE seconds (30); then the SMSC comes back for DRAIN seconds (60) and the lane sends from the
# head of the full queue. Herald's heap used and RSS are sampled every 5 s throughout. Prints them by
# phase, the intake rate, the queue depth gauge and the database's count, and the drain rate.
# PASS when every message was accepted and is waiting (queued, or sending), the heap never reached its limit, and RSS
# at the end of the idle phase is within 64 MB of RSS at a tenth of the intake (memory does not grow
# with the backlog).
# Usage: bench/queue-million.sh [count=1000000] [idle=30] [drain=60]
source "$(dirname "$0")/lib.sh"
COUNT=${1:-1000000}; IDLE=${2:-30}; DRAIN=${3:-60}
export HERALD_JAVA_OPTS="-Xmx256m"
build
start_smsc 1 50
new_data_dir; start_herald
echo "$(nproc) cores; Herald -Xmx256m (pid $HERALD_PID); SMSC simulator pid $SMSC_PID"
read -r KEY SENDER < <(run setup "$PORT" bench-password "$SMSC" 50000 200)
smsc POST pause >/dev/null

phase() { echo "$1" >"$DATA/phase"; }
sample() { # phase, heap used (MB), RSS (MB) every 5 s
  while kill -0 "$HERALD_PID" 2>/dev/null; do
    heap=$(jstat -gc "$HERALD_PID" 2>/dev/null | awk 'NR==2 {printf "%.0f", ($3+$4+$6+$8)/1024}')
    rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$HERALD_PID/status" 2>/dev/null)
    [ -n "$heap" ] && echo "$(cat "$DATA/phase") $heap $rss" >>"$DATA/samples"
    sleep 5
  done
}
phase intake; sample & SAMPLER=$!
accepted=$(run post "$PORT" "$KEY" "$SENDER" "$COUNT" million | tail -1)
echo "intake: $accepted"
phase idle; sleep "$IDLE"
depth=$(curl -sf "http://127.0.0.1:$PORT/metrics" | awk -v s="$SENDER" '/^herald_queue_depth\{/ && index($0, s) {print $NF}')
counts=$(run counts "$PORT" "$KEY" "$SENDER" | tail -1)
echo "after $IDLE s idle: queue depth gauge ${depth:-none}; in the database: $counts"
phase drain; smsc POST resume >/dev/null
sent0=$(smsc GET stats | json 'd["submits_accepted"]'); t0=$(date +%s.%N)
sleep "$DRAIN"
sent1=$(smsc GET stats | json 'd["submits_accepted"]'); t1=$(date +%s.%N)
kill "$SAMPLER" 2>/dev/null || true
hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$HERALD_PID/status")
python3 - "$DATA/samples" "$accepted" "$counts" "$COUNT" "$sent0" "$sent1" "$t0" "$t1" "$hwm" <<'PY'
import json, re, sys
samples, accepted, counts, count = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
sent = int(sys.argv[6]) - int(sys.argv[5]); secs = float(sys.argv[8]) - float(sys.argv[7])
rows = [l.split() for l in open(samples)]
by = {}
for p, heap, rss in rows:
    by.setdefault(p, []).append((int(heap), int(rss)))
for p in ('intake', 'idle', 'drain'):
    s = by.get(p, [])
    if s:
        print(f'{p:6}: {len(s)} samples; heap used MB min {min(h for h, _ in s)} max {max(h for h, _ in s)};'
              f' RSS MB first {s[0][1]} last {s[-1][1]} max {max(r for _, r in s)}')
intake = by.get('intake', [])
early = intake[max(0, len(intake) // 10)][1] if intake else 0
settled = by.get('idle', [(0, 0)])[-1][1]
print(f'RSS at a tenth of the intake {early} MB, at the end of the idle phase {settled} MB; peak RSS (VmHWM) {sys.argv[9]} MB')
print(f'drain: {sent:,} submits in {secs:.1f} s = {sent / secs:,.0f}/s from the head of the full queue')
got = int(re.search(r'accepted (\d+)', accepted).group(1))
heap_max = max((h for v in by.values() for h, _ in v), default=0)
waiting = counts.get('queued', 0) + counts.get('sending', 0)
ok = got == count and waiting == count and heap_max < 256 and settled - early <= 64
print('PASS' if ok else 'FAIL', f'(accepted {got:,} of {count:,}; waiting {waiting:,}; heap max {heap_max} MB of 256; RSS growth {settled - early} MB)')
sys.exit(0 if ok else 1)
PY
