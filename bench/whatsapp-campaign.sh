#!/usr/bin/env bash
# A WhatsApp template campaign with per-recipient parameters against the Cloud API simulator as a
# process of its own: COUNT recipients (1 % invalid numbers, 1 % on the blacklist, 1 % without the
# name the template needs) on a sender at RATE/s; the simulator fails UNDELIVERABLE of the accepted
# messages with Cloud API error 131026. Prints the steady-state rate by the simulator's clock (from
# 5 s after its first accepted message to its last) against RATE, the accounting (sent, failed and
# skipped by reason, adding up to COUNT), recipients sent twice or not at all, and whether each
# message carried its recipient's own parameters.
# Usage: bench/whatsapp-campaign.sh [count=10000] [rate=80] [undeliverable=0.01]
source "$(dirname "$0")/lib.sh"
COUNT=${1:-10000}; RATE=${2:-80}; UNDELIVERABLE=${3:-0.01}
wa() { java -cp "$CP" herald.bench.WhatsAppCampaignRun "$@" | tail -1; }
build
new_data_dir
PORT=$(free_port); SIM_PORT=$(free_port)
java -cp "$CP" herald.bench.WhatsAppSimRun "$SIM_PORT" "http://127.0.0.1:$PORT/webhooks/whatsapp" \
  "$UNDELIVERABLE" 0.5 >"$DATA/sim.log" 2>&1 &
SIM_PID=$!; PIDS+=("$SIM_PID")
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$SIM_PORT/_sim/messages" >/dev/null 2>&1 && break; sleep 0.1; done
start_herald

echo "== WhatsApp campaign: $COUNT recipients, template order_update with per-recipient parameters, $RATE/s"
read -r KEY SENDER < <(wa setup "$PORT" bench-password "http://127.0.0.1:$SIM_PORT" "$RATE")
ID=$(wa create "$PORT" "$KEY" "$SENDER" "$COUNT" "$RATE")
STATUS=$(java -cp "$CP" herald.bench.WhatsAppCampaignRun wait "$PORT" "$KEY" "$ID" $(( COUNT / ${RATE%.*} * 3 + 120 )) | tail -1)
curl -sf "http://127.0.0.1:$SIM_PORT/_sim/messages" >"$DATA/sim-messages.json"
python3 - "$DATA/sim-messages.json" "$STATUS" "$COUNT" "$RATE" <<'PY'
import json, sys, collections
messages = json.load(open(sys.argv[1]))["data"]
status = json.loads(sys.argv[2]); count = int(sys.argv[3]); rate = float(sys.argv[4])
times = sorted(m["accepted_at"] for m in messages)
steady = [t for t in times if t >= times[0] + 5000]
span = (steady[-1] - steady[0]) / 1000
achieved = (len(steady) - 1) / span
dev = (achieved / rate - 1) * 100
print(f"simulator accepted {len(times):,} messages; overall {(len(times) - 1) / ((times[-1] - times[0]) / 1000):.2f}/s over {(times[-1] - times[0]) / 1000:.1f} s")
print(f"steady state (from 5 s after the first): {len(steady):,} messages in {span:.2f} s = {achieved:.2f}/s against {rate:g}/s = {dev:+.2f} %  {'PASS' if abs(dev) <= 2 else 'FAIL'} (within ±2 %)")
per_second = collections.Counter(t // 1000 for t in steady[1:-1])
inner = sorted(per_second.items())[1:-1]
if inner:
    print(f"messages per wall-clock second (whole seconds of the steady state): min {min(n for _, n in inner)}, max {max(n for _, n in inner)}")
sent, failed, skipped = status["sent"], status["failed"], status["skipped"]
print(f"campaign {status['status']}: total {status['total']:,} = sent {sent:,} + failed {failed:,} + skipped {skipped:,} (+ pending {status['pending']}, queued {status['queued']}, canceled {status['canceled']})")
print(f"  sent: {status['delivered']:,} of them delivered (or read)")
print(f"  failed by reason: {json.dumps(status['failed_by_reason'], sort_keys=True)}")
print(f"  skipped by reason: {json.dumps(status['skipped_by_reason'], sort_keys=True)}")
accounted = sent + failed + skipped == count == status["total"]
by_to = collections.Counter(m["to"] for m in messages)
twice = sum(1 for n in by_to.values() if n > 1)
wrong = 0
for m in messages:
    i = int(m["to"]) - 14154000000
    p = m["request"]["template"]["components"][0]["parameters"]
    if p[0]["text"] != f"Guest{i}" or p[1]["text"] != f"A-{i}":
        wrong += 1
expected_sent = count - skipped
print(f"simulator: {len(by_to):,} recipients, {twice} sent twice; {wrong} messages with another recipient's parameters; Herald sent {sent + failed:,} = simulator {len(messages):,}: {'yes' if sent + failed == len(messages) == expected_sent else 'NO'}")
print("PASS" if accounted and twice == 0 and wrong == 0 and abs(dev) <= 2 and len(messages) == expected_sent else "FAIL",
      "(every recipient accounted for, each sent once with its own parameters, pacing within ±2 %)")
PY
