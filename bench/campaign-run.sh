#!/usr/bin/env bash
# Big campaigns against the SMSC simulator (a process of its own), Herald with a 256 MB heap:
#  (1) COUNT recipients (default 1,000,000): how fast they are added, then the campaign's send rate,
#      time to completed, and Herald's heap and RSS sampled every 5 s while it runs;
#  (2) CRASH recipients (default 100,000): Herald is killed with kill -9 half-way and restarted; the
#      campaign must finish with no recipient lost and at most a window of submits repeated; then a
#      paused campaign is killed and must still be paused after the restart.
# Usage: bench/campaign-run.sh [count=1000000] [crash=100000] [window=200]
source "$(dirname "$0")/lib.sh"
COUNT=${1:-1000000}; CRASH=${2:-100000}; WINDOW=${3:-200}
# The last line is the answer (a tool may log above it).
camp() { java -cp "$CP" herald.bench.CampaignRun "$@" | tail -1; }
export HERALD_JAVA_OPTS="-Xmx256m"
build
start_smsc 1 50
echo "$(nproc) cores; Herald -Xmx256m; SMSC simulator pid $SMSC_PID"

sample() { # heap used (MB) and RSS (MB) of Herald every 5 s into $DATA/samples
  while kill -0 "$HERALD_PID" 2>/dev/null; do
    heap=$(jstat -gc "$HERALD_PID" 2>/dev/null | awk 'NR==2 {printf "%.0f", ($3+$4+$6+$8)/1024}')
    rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$HERALD_PID/status" 2>/dev/null)
    [ -n "$heap" ] && echo "$(date +%s) $heap $rss" >>"$DATA/samples"
    sleep 5
  done
}

if [ "$COUNT" -gt 0 ]; then
  echo "== $COUNT recipients"
  new_data_dir; start_herald
  read -r KEY SENDER < <(run setup "$PORT" bench-password "$SMSC" 50000 "$WINDOW")
  ID=$(camp create "$PORT" "$KEY" "$SENDER" "$COUNT" 0 million)
  sample & SAMPLER=$!
  start=$(date +%s.%N)
  camp start "$PORT" "$KEY" "$ID" >/dev/null
  final=$(camp wait "$PORT" "$KEY" "$ID" completed 7200)
  end=$(date +%s.%N)
  hwm=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$HERALD_PID/status")
  kill "$SAMPLER" 2>/dev/null || true
  echo "final: $final"
  python3 -c "
import json
s = json.loads('''$final'''); t = $end - $start
rows = [l.split() for l in open('$DATA/samples')]
heap = [int(r[1]) for r in rows]; rss = [int(r[2]) for r in rows if len(r) > 2]
q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]
print(f'{s[\"total\"]:,} recipients: {s[\"sent\"]:,} sent, {s[\"failed\"]:,} failed, {s[\"skipped\"]:,} skipped; completed in {t:.1f} s = {s[\"sent\"] / t:,.0f} messages/s')
print(f'heap used (5 s samples): median {q(heap, .5)} MB, p90 {q(heap, .9)} MB, max {max(heap)} MB of 256; RSS median {q(rss, .5)} MB, max {max(rss)} MB; peak RSS (VmHWM) $hwm MB')
n = len(heap); print('heap by tenth of the run (MB):', [max(heap[i * n // 10:(i + 1) * n // 10] or [0]) for i in range(10)])"
  stop_herald; unset PORT
fi

if [ "$CRASH" -gt 0 ]; then
  echo "== $CRASH recipients, kill -9 half-way"
  new_data_dir; start_herald
  read -r KEY SENDER < <(run setup "$PORT" bench-password "$SMSC" 2000 "$WINDOW")
  ID=$(camp create "$PORT" "$KEY" "$SENDER" "$CRASH" 0 crash)
  before=$(smsc GET stats | json 'd["repeated_submits"]')
  camp start "$PORT" "$KEY" "$ID" >/dev/null
  camp sent "$PORT" "$KEY" "$ID" $((CRASH / 2)) 1800 >/dev/null
  kill -9 "$HERALD_PID"; wait "$HERALD_PID" 2>/dev/null || true
  killed=$(date +%s.%N)
  echo "killed Herald (pid $HERALD_PID) with SIGKILL at $(smsc GET stats | json 'd["submits_accepted"]') submits; restarting"
  start_herald
  echo "ready again $(python3 -c "print(f'{$(date +%s.%N)-$killed:.1f}')") s after the kill"
  final=$(camp wait "$PORT" "$KEY" "$ID" completed 1800)
  after=$(smsc GET stats | json 'd["repeated_submits"]')
  python3 -c "
import json
s = json.loads('''$final''')
done = s['sent'] + s['failed'] + s['skipped'] + s['canceled']
print(f'after the crash: {s[\"total\"]:,} recipients; sent {s[\"sent\"]:,}, failed {s[\"failed\"]:,}, skipped {s[\"skipped\"]:,}; lost {s[\"total\"] - done:,}')
print(f'submits repeated: {$after - $before} (SMPP window $WINDOW)')"

  echo "== a paused campaign stays paused across kill -9"
  P=$(camp create "$PORT" "$KEY" "$SENDER" 20000 200 paused)
  camp start "$PORT" "$KEY" "$P" >/dev/null
  camp sent "$PORT" "$KEY" "$P" 1000 600 >/dev/null
  camp pause "$PORT" "$KEY" "$P" >/dev/null
  kill -9 "$HERALD_PID"; wait "$HERALD_PID" 2>/dev/null || true
  start_herald
  s1=$(camp status "$PORT" "$KEY" "$P"); sleep 5; s2=$(camp status "$PORT" "$KEY" "$P")
  python3 -c "
import json
a = json.loads('''$s1'''); b = json.loads('''$s2''')
print(f'after restart: status {b[\"status\"]}; sent {a[\"sent\"]:,} then {b[\"sent\"]:,} five seconds later')"
  camp resume "$PORT" "$KEY" "$P" >/dev/null
  final=$(camp wait "$PORT" "$KEY" "$P" completed 600)
  echo "resumed and completed: sent $(echo "$final" | json 'd["sent"]') of $(echo "$final" | json 'd["total"]'), pending $(echo "$final" | json 'd["pending"]')"
fi
