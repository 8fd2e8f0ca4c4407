#!/usr/bin/env bash
# Contact import benchmark on loopback: generates a CSV of ROWS contacts (about 100 bytes a row, so
# 1,000,000 rows is about 100 MB) with one row in a hundred bad (a number too short, no number, or the
# number of an earlier row), starts target/herald.jar with -Xmx256m (embedded PostgreSQL, fresh data
# dir), uploads the file with curl as multipart/form-data, polls the job until it ends, and reports:
#   rows/s end to end (upload start to job completed) and while importing (job started_at to
#   finished_at), Herald's peak heap used (jstat every 200 ms) and GC time, the CPU seconds Herald and
#   PostgreSQL used (to tell a busy machine from a slow import), peak RSS (VmHWM), and
#   errors.csv (lines, and PASS only if it names exactly the bad rows, by row number, on column phone).
# Stops the processes it started (by PID) at the end.
# Usage: bench/contacts-import.sh [rows=1000000] [heap=256m] [extra query, e.g. on_duplicate=update]
source "$(dirname "$0")/lib.sh"
ROWS=${1:-1000000}; HEAP=${2:-256m}; QUERY=${3:-}
build
new_data_dir
WORK=$(mktemp -d /tmp/herald-bench-import.XXXX); DIRS+=("$WORK")
java -cp "$CP" herald.bench.ImportFile generate "$WORK/contacts.csv" "$ROWS" "$WORK/expected.csv"

HERALD_JAVA_OPTS="-Xmx$HEAP ${HERALD_JAVA_OPTS:-}" start_herald
echo "Herald ready (pid $HERALD_PID, -Xmx$HEAP); $(nproc) cores; $(java -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
TOKEN=$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"bench-password"}' "http://127.0.0.1:$PORT/api/v1/auth/login" | json 'd["token"]')

# Heap used (survivors + eden + old, KB) every 200 ms while the import runs.
jstat -gc "$HERALD_PID" 200 >"$WORK/jstat.txt" 2>/dev/null &
JSTAT=$!; PIDS+=("$JSTAT")

# CPU seconds (user + system, with reaped children) of Herald and of all PostgreSQL processes.
ticks() { awk '{print $14+$15+$16+$17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
PG_PID=$(head -1 "$DATA/pg/postmaster.pid")
cpu() {
  local pg=0 t
  for p in "$PG_PID" $(pgrep -P "$PG_PID"); do t=$(ticks "$p"); pg=$((pg + ${t%.*})); done
  echo "$(ticks "$HERALD_PID") $pg"
}
read -r HERALD_CPU0 PG_CPU0 < <(cpu)
START=$(date +%s.%N)
curl -sf -X POST -H "Authorization: Bearer $TOKEN" -F "file=@$WORK/contacts.csv;type=text/csv" \
  "http://127.0.0.1:$PORT/api/v1/contacts/import${QUERY:+?$QUERY}" >"$WORK/accepted.json"
UPLOADED=$(date +%s.%N)
JOB=$(json 'd["id"]' <"$WORK/accepted.json")
echo "upload accepted in $(python3 -c "print(f'{$UPLOADED-$START:.2f}')") s: job $JOB"
while true; do
  curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/jobs/$JOB" >"$WORK/job.json"
  STATE=$(json 'd["state"]' <"$WORK/job.json")
  [[ $STATE == completed || $STATE == failed ]] && break
  sleep 0.2
done
END=$(date +%s.%N)
read -r HERALD_CPU1 PG_CPU1 < <(cpu)
kill "$JSTAT" 2>/dev/null || true

python3 - "$WORK/job.json" "$START" "$END" "$ROWS" <<'EOF'
import json, sys
from datetime import datetime
job = json.load(open(sys.argv[1])); start, end, rows = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
ts = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
running = ts(job["finished_at"]) - ts(job["started_at"])
print(f"job {job['state']}: rows_read {job['rows_read']:,}, imported {job['imported']:,}, updated {job['updated']:,},"
      f" skipped {job['skipped']:,}, failed {job['failed']:,}, error {job['error']}")
print(f"end to end (upload start to completed): {end - start:.2f} s = {rows / (end - start):,.0f} rows/s")
print(f"importing (started_at to finished_at): {running:.2f} s = {rows / running:,.0f} rows/s")
EOF
python3 - "$WORK/jstat.txt" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
head = rows[0]; data = [dict(zip(head, map(float, r))) for r in rows[1:] if r[0] != head[0]]
peak = max(d["S0U"] + d["S1U"] + d["EU"] + d["OU"] for d in data)
old = max(d["OU"] for d in data)
last = data[-1]
print(f"peak heap used {peak / 1024:.0f} MB (old generation peak {old / 1024:.0f} MB) over {len(data)} samples;"
      f" GC during the run: {int(last['YGC'] - data[0]['YGC'])} young, {int(last['FGC'] - data[0]['FGC'])} full,"
      f" {last['GCT'] - data[0]['GCT']:.2f} s")
EOF
HZ=$(getconf CLK_TCK)
echo "CPU during the run: Herald $(( (HERALD_CPU1 - HERALD_CPU0) / HZ )) s, PostgreSQL $(( (PG_CPU1 - PG_CPU0) / HZ )) s; machine load now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Herald peak RSS: $(grep VmHWM /proc/$HERALD_PID/status | awk '{printf "%.0f MB", $2/1024}')"
curl -sf -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/jobs/$JOB/errors.csv" >"$WORK/errors.csv"
echo "errors.csv: $(wc -l <"$WORK/errors.csv") lines (header included)"
java -cp "$CP" herald.bench.ImportFile check "$WORK/errors.csv" "$WORK/expected.csv"
