#!/usr/bin/env bash
# Pacing accuracy: a sender at RATE messages/s sends COUNT messages; the SMSC simulator's clock
# gives the span from the first submit to the last and the busiest wall-clock second.
# Usage: bench/sms-pacing.sh [rate=50] [count=3000]
source "$(dirname "$0")/lib.sh"
RATE=${1:-50}; COUNT=${2:-3000}
build
start_smsc 1 50
new_data_dir; start_herald
read -r KEY SENDER < <(run setup "$PORT" bench-password "$SMSC" "$RATE" 10)
run post "$PORT" "$KEY" "$SENDER" "$COUNT" pacing
run wait "$PORT" "$KEY" "$SENDER" "$COUNT" $(( COUNT / RATE * 3 + 60 )) sent
sleep 1
smsc GET stats | python3 -c "
import sys, json
d = json.load(sys.stdin); n = d['submits_accepted']; span = (d['last_submit_ms'] - d['first_submit_ms']) / 1000
expected = ($COUNT - 1) / $RATE
rate = (n - 1) / span
dev = (rate / $RATE - 1) * 100
print(f'{n} submits in {span:.2f} s (ideal {expected:.2f} s): {rate:.2f}/s against {$RATE}/s = {dev:+.2f} %; busiest second {d[\"busiest_second\"]}')
print('PASS' if abs(dev) <= 2 and n == $COUNT else 'FAIL', '(within ±2 %)')
sys.exit(0 if abs(dev) <= 2 and n == $COUNT else 1)"
