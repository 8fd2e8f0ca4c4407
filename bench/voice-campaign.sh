#!/usr/bin/env bash
# A voice campaign of N numbers (default 2,000) with a cap of 30 concurrent calls and 10 calls/s
# against the ARI simulator on loopback (mixed answered / busy / no answer / answering machines,
# 1 s of ring, 4 s of message): runs VoiceCampaignLoadTest at that size (embedded PostgreSQL,
# Herald and the simulator in the test JVM) and prints its figures line. PASS only if the test
# passes: live channels sampled every 100 ms never above 30 and reaching 30, every number with a
# disposition, one CDR per attempt, no retry before its delay.
# Usage: bench/voice-campaign.sh [numbers]
set -euo pipefail
cd "$(dirname "$0")/.."
NUMBERS="${1:-2000}"
LOG="$(mktemp -t voice-campaign.XXXXXX.log)"
export VOICE_CAMPAIGN_NUMBERS="$NUMBERS"
# Maven and the test JVM it forks (which stops when Maven goes) are the only processes started.
mvn -B test -Dtest=VoiceCampaignLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
  >"$LOG" 2>&1 </dev/null &
PID=$!
trap 'kill "$PID" 2>/dev/null || true' EXIT
status=0
wait "$PID" || status=$?
trap - EXIT
grep -h "VoiceCampaignLoadTest:" target/surefire-reports/*VoiceCampaignLoadTest*-output.txt || true
if [ "$status" -eq 0 ]; then
  echo "PASS ($NUMBERS numbers; maven log $LOG)"
else
  grep -E "expected|but was|FAIL" "$LOG" | head -20 || true
  echo "FAIL ($NUMBERS numbers; maven log $LOG)"
  exit 1
fi
