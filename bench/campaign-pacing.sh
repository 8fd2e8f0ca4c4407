#!/usr/bin/env bash
# Campaign pacing, by the SMSC simulator's clock: (1) one campaign at 100 messages/s on a sender
# that could go 1,000/s sends 6,000 messages; the span from first to last submit must be within
# ±2 % of 60 s. (2) Two uncapped campaigns share one 100/s sender: each one's rate over 30 s.
# Usage: bench/campaign-pacing.sh [rate=100] [count=6000]
source "$(dirname "$0")/lib.sh"
RATE=${1:-100}; COUNT=${2:-6000}
# The last line is the answer (a tool may log above it).
camp() { java -cp "$CP" herald.bench.CampaignRun "$@" | tail -1; }
build
start_smsc 1 50
new_data_dir; start_herald

if [ "$COUNT" -gt 0 ]; then
echo "== one campaign at $RATE/s, $COUNT recipients"
read -r KEY FAST < <(run setup "$PORT" bench-password "$SMSC" 1000 50)
ID=$(camp create "$PORT" "$KEY" "$FAST" "$COUNT" "$RATE" pacing)
camp start "$PORT" "$KEY" "$ID" >/dev/null
camp wait "$PORT" "$KEY" "$ID" completed $(( COUNT / RATE * 3 + 60 )) >/dev/null
smsc GET stats | python3 -c "
import sys, json
d = json.load(sys.stdin); n = d['submits_accepted']; span = (d['last_submit_ms'] - d['first_submit_ms']) / 1000
expected = ($COUNT - 1) / $RATE
rate = (n - 1) / span
dev = (rate / $RATE - 1) * 100
print(f'{n} submits in {span:.2f} s (ideal {expected:.2f} s): {rate:.2f}/s against {$RATE}/s = {dev:+.2f} %; busiest second {d[\"busiest_second\"]}')
print('PASS' if abs(dev) <= 2 and n == $COUNT else 'FAIL', '(within ±2 %)')"
fi

echo "== two uncapped campaigns on one 100/s sender"
read -r KEY SLOW < <(run setup "$PORT" bench-password "$SMSC" 100 50)
A=$(camp create "$PORT" "$KEY" "$SLOW" 4000 0 share-a)
B=$(camp create "$PORT" "$KEY" "$SLOW" 4000 0 share-b)
camp start "$PORT" "$KEY" "$A" >/dev/null; camp start "$PORT" "$KEY" "$B" >/dev/null
sleep 5
s1=$(smsc GET stats | json 'd["submits_accepted"]'); t1=$(date +%s.%N)
a1=$(camp status "$PORT" "$KEY" "$A" | json 'd["sent"]'); b1=$(camp status "$PORT" "$KEY" "$B" | json 'd["sent"]')
sleep 30
s2=$(smsc GET stats | json 'd["submits_accepted"]'); t2=$(date +%s.%N)
a2=$(camp status "$PORT" "$KEY" "$A" | json 'd["sent"]'); b2=$(camp status "$PORT" "$KEY" "$B" | json 'd["sent"]')
python3 -c "
t = $t2 - $t1; a = ($a2 - $a1) / t; b = ($b2 - $b1) / t
print(f'over {t:.1f} s: campaign A {a:.1f}/s, campaign B {b:.1f}/s (by their status); the SMSC took {($s2 - $s1) / t:.1f}/s (sender 100/s)')"
camp stop "$PORT" "$KEY" "$A" >/dev/null 2>&1 || true; camp stop "$PORT" "$KEY" "$B" >/dev/null 2>&1 || true
