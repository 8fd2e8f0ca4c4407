#!/usr/bin/env bash
# The AI agent under load on loopback: Herald from target/herald.jar (its own simulators off) and
# herald.bench.AgentBench, which runs a model simulator and a Twilio simulator in its own JVM, sets
# up a Twilio sender, an agent and an inbound rule, and sends `messages` signed Twilio inbound
# webhooks spread evenly over `seconds`, once per model latency given (a baseline at 0 ms, then the
# model at `latency` ms). Per round: intake (the webhook's answer time) p50/p95/p99/max, replies per
# number (exactly one each), the task times p50/p95/p99 from GET /api/v1/agent-tasks/analytics,
# PASS/FAIL. Finally Herald's peak RSS. Stops what it started by PID.
# Usage: bench/agent.sh [messages=1000] [seconds=10] [latency_ms=1000]
source "$(dirname "$0")/lib.sh"
N=${1:-1000}; SECS=${2:-10}; LATENCY=${3:-1000}
build
new_data_dir; start_herald
echo "Herald ready (pid $HERALD_PID); $(nproc) cores; java $(java -version 2>&1 | head -1)"
echo "agents: worker_instances ${HERALD_AGENTS_WORKER_INSTANCES:-1}, batch_size ${HERALD_AGENTS_BATCH_SIZE:-128} (defaults unless set)"
java -cp "$CP" herald.bench.AgentBench "$PORT" bench-password "$N" "$SECS" 0 "$LATENCY"
echo "Herald peak RSS: $(grep VmHWM /proc/$HERALD_PID/status | awk '{printf "%.0f MB", $2/1024}')"
