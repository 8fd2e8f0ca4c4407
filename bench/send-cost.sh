#!/usr/bin/env bash
# What one single send costs: Herald with an SMPP sender (window 100) to the independent sink
# (herald.bench.SmppSink, no receipts) takes WARM single POST /api/v1/messages from ab at CONNECTIONS
# to warm up, then REQUESTS more while the CPU time of Herald's JVM (per thread group) and of its
# embedded PostgreSQL (postmaster and backends) is read from /proc before and after. Prints
# requests/s, p50/p99, CPU microseconds per request for each, and the busiest thread groups. CPU time
# per request depends far less on what else the machine runs than requests/s does, so it is the
# figure to compare between builds on a shared machine. Every process it starts is stopped by PID.
# Usage: bench/send-cost.sh [requests=20000] [warm=20000]   env: CONNECTIONS=50
source "$(dirname "$0")/lib.sh"
REQUESTS=${1:-20000}; WARM=${2:-20000}; CONNECTIONS=${CONNECTIONS:-50}
command -v ab >/dev/null || { echo "needs ab (apt-get install apache2-utils)" >&2; exit 1; }
[ -f target/herald.jar ] || mvn -B -q package -DskipTests
[ -f target/test-classes/herald/bench/SmppSink.class ] || mvn -B -q test-compile
[ -f target/bench.classpath ] ||
  mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
JAR=$(mktemp -d /tmp/herald-bench-jar.XXXX)/herald.jar; cp target/herald.jar "$JAR"
DIRS+=("$(dirname "$JAR")")
SINK_CP="target/test-classes:$(tr ':' '\n' <target/bench.classpath | grep -E '/(jsmpp|slf4j-api)-' | paste -sd:)"
SINK=$(free_port); SINK_HTTP=$(free_port)
java -cp "$SINK_CP" herald.bench.SmppSink "$SINK" "$SINK_HTTP" >/dev/null 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$SINK_HTTP/stats" >/dev/null 2>&1 && break; sleep 0.1; done

new_data_dir; start_herald
bench_key_and_sender "$SINK" 100
echo '{"to":"+14155550100","body":"Herald bench"}' >"$DATA/one.json"
AB=(ab -k -q -c "$CONNECTIONS" -p "$DATA/one.json" -T application/json -H "Authorization: Bearer $key")
"${AB[@]}" -n "$WARM" "$api/messages" >/dev/null
sleep 3

# cpu: "<thread group> <seconds>" lines for Herald's threads, then "postgres <seconds>"
cpu() {
  python3 - "$HERALD_PID" "$(head -1 "$DATA/pg/postmaster.pid")" <<'EOF'
import collections, os, re, sys
hz = os.sysconf('SC_CLK_TCK'); pid, pm = sys.argv[1], sys.argv[2]
def fields(path):
    text = open(path).read()
    return text[text.index('(') + 1:text.rindex(')')], text.rsplit(')', 1)[1].split()
groups = collections.Counter()
for t in os.listdir(f'/proc/{pid}/task'):
    try:
        name, f = fields(f'/proc/{pid}/task/{t}/stat')
        groups[re.sub(r'\d+', 'N', name)] += (int(f[11]) + int(f[12])) / hz
    except (OSError, ValueError):
        pass
name, f = fields(f'/proc/{pm}/stat')
pg = sum(int(x) for x in f[11:15]) / hz
for p in os.listdir('/proc'):
    if p.isdigit():
        try:
            _, f = fields(f'/proc/{p}/stat')
            if f[1] == pm:
                pg += (int(f[11]) + int(f[12])) / hz
        except (OSError, ValueError):
            pass
for k, v in groups.items():
    print(k.replace(' ', '_'), v)
print('postgres', pg)
EOF
}
cpu >"$DATA/cpu0"
"${AB[@]}" -n "$REQUESTS" "$api/messages" >"$DATA/ab.txt"
sleep 3
cpu >"$DATA/cpu1"
python3 - "$DATA/cpu0" "$DATA/cpu1" "$DATA/ab.txt" "$REQUESTS" "$CONNECTIONS" <<'EOF'
import re, sys
read = lambda p: {k: float(v) for k, v in (l.split() for l in open(p))}
a, b, n = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[4])
ab = open(sys.argv[3]).read()
rps = re.search(r'Requests per second:\s+([\d.]+)', ab).group(1)
p50 = re.search(r'\n\s+50%\s+(\d+)', ab).group(1); p99 = re.search(r'\n\s+99%\s+(\d+)', ab).group(1)
failed = re.search(r'Failed requests:\s+(\d+)', ab).group(1)
d = {k: b[k] - a.get(k, 0) for k in b}
pg = d.pop('postgres'); jvm = sum(d.values())
print(f'{n} single sends at {sys.argv[5]} connections: {rps} req/s, p50 {p50} ms, p99 {p99} ms, {failed} failed')
print(f'CPU per request: Herald JVM {jvm / n * 1e6:.0f} us, PostgreSQL {pg / n * 1e6:.0f} us')
top = sorted(d.items(), key=lambda x: -x[1])[:6]
print('Herald threads (s):', ', '.join(f'{k} {v:.2f}' for k, v in top))
EOF
