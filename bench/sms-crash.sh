#!/usr/bin/env bash
# 100,000 messages through SMPP end to end, twice, against the SMSC simulator as a process of its
# own: once undisturbed, once with Herald killed by kill -9 half-way and restarted. Reports the
# final statuses (every accepted message must reach one), and how many submits the SMSC saw twice
# (bounded by the in-flight window: the batches claimed but not yet recorded when Herald died).
# Usage: bench/sms-crash.sh [messages=100000] [window=200]
source "$(dirname "$0")/lib.sh"
N=${1:-100000}; WINDOW=${2:-200}
build
start_smsc 1 50
echo "$(nproc) cores; SMSC simulator pid $SMSC_PID on $SMSC; window $WINDOW"

echo "== run 1: undisturbed"
new_data_dir; start_herald
read -r KEY SENDER < <(run setup "$PORT" bench-password "$SMSC" 50000 "$WINDOW")
before=$(smsc GET stats | json 'd["repeated_submits"]')
start=$(date +%s.%N)
run post "$PORT" "$KEY" "$SENDER" "$N" run1
run wait "$PORT" "$KEY" "$SENDER" "$N" 1800
end=$(date +%s.%N)
after=$(smsc GET stats | json 'd["repeated_submits"]')
python3 -c "print(f'run 1: {$N:,} messages end to end in {$end-$start:.1f} s = {$N/($end-$start):,.0f} messages/s; submits repeated: {$after-$before}')"
stop_herald; unset PORT

echo "== run 2: kill -9 half-way, restart"
# The sender crawls at 1/s until every message is accepted, then goes full speed, so that the kill
# lands half-way through sending at full speed.
new_data_dir; start_herald
read -r KEY SENDER < <(run setup "$PORT" bench-password "$SMSC" 1 "$WINDOW")
before=$(smsc GET stats | json 'd["repeated_submits"]')
start=$(date +%s.%N)
run post "$PORT" "$KEY" "$SENDER" "$N" run2
run rate "$PORT" "$KEY" "$SENDER" 50000 >/dev/null
run wait "$PORT" "$KEY" "$SENDER" $((N / 2)) 1800 sent
kill -9 "$HERALD_PID"; wait "$HERALD_PID" 2>/dev/null || true
killed=$(date +%s.%N)
echo "killed Herald (pid $HERALD_PID) with SIGKILL; restarting on the same data dir"
start_herald
echo "ready again $(python3 -c "print(f'{$(date +%s.%N)-$killed:.1f}')") s after the kill"
run wait "$PORT" "$KEY" "$SENDER" "$N" 1800
end=$(date +%s.%N)
counts=$(run counts "$PORT" "$KEY" "$SENDER")
after=$(smsc GET stats | json 'd["repeated_submits"]')
echo "final statuses: $counts"
python3 -c "
import json
c = json.loads('$counts'); total = sum(c.values()); final = sum(c.get(s, 0) for s in ('delivered', 'undelivered', 'failed'))
print(f'run 2: accepted {$N:,}; stored {total:,}; final {final:,}; lost {$N - final:,}; in {$end-$start:.1f} s')
print(f'submits repeated after the crash: {$after-$before} (SMPP window {$WINDOW})')"
