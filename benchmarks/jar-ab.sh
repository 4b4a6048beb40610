#!/usr/bin/env bash
# Server builds against each other, in one run: each NAME=JAR is started in turn (rotating the order every
# round, a fresh export and state directory each time, the .deb's JVM options) and driven by the host load
# generator through the same phases. Prints per round, build and phase: ops/s and server CPU microseconds
# per operation, and context switches per operation of the server's event-loop and worker threads (from
# /proc/PID/task/*/status), then each build against the first (median ratios over rounds). Root not
# needed; loopback only; bounded: ROUNDS x builds x phases x SECONDS.
#   benchmarks/jar-ab.sh ROUNDS SECONDS PHASES NAME=JAR NAME=JAR...
#   e.g. benchmarks/jar-ab.sh 3 6 lookup,metadata_mix prev=/tmp/prev.jar fd=nfs-server/target/edge-nfsd.jar
# EXPORT_OPTS (default rw,sync,no_root_squash,insecure); the exports live under /var/tmp (ext4 here).
# SESSIONS x SLOTS (default 2 x 4) is the load in flight: SESSIONS=1 SLOTS=1 measures one call at a time.
# FILE_MIB (default 16): each session's file, written by write_1MiB, read by the READ phases (e2e.sh: 256).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
[[ $# -ge 5 ]] || { sed -n '2,11p' "$0"; exit 2; }
ROUNDS=$1 SECS=$2 PHASES=$3
shift 3
NAMES=() JARS=()
for b in "$@"; do
  [[ $b == *=* && -f ${b#*=} ]] || { echo "not NAME=JAR with an existing jar: $b" >&2; exit 2; }
  NAMES+=("${b%%=*}"); JARS+=("${b#*=}")
done
JAVA=${JAVA:-java}
BJAR=$REPO/benchmarks/target/benchmarks.jar
[[ -f $BJAR ]] || { echo "build first: mvn -B package -DskipTests" >&2; exit 2; }
EXPORT_OPTS=${EXPORT_OPTS:-rw,sync,no_root_squash,insecure}
SESSIONS=${SESSIONS:-2} SLOTS=${SLOTS:-4} FILE_MIB=${FILE_MIB:-16}
JOPTS=$(. "$REPO/packaging/src/deb/etc/default" && echo "$EDGE_NFSD_JAVA_OPTS")
WORK=$(mktemp -d /var/tmp/edge-jar-ab.XXXXXX)
SERVER_PID=''
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
port_free() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

n=${#NAMES[@]}
: >"$WORK/all.tsv"
for r in $(seq 1 "$ROUNDS"); do
  for k in $(seq 0 $((n - 1))); do
    i=$(( (k + r - 1) % n ))   # round r starts with build r-1: each build goes first once in n rounds
    rm -rf "$WORK/exp" "$WORK/state"; mkdir -p "$WORK/exp" "$WORK/state"
    port=$(port_free)
    # shellcheck disable=SC2086  # JVM options are words
    MALLOC_ARENA_MAX=2 "$JAVA" $JOPTS -jar "${JARS[$i]}" --bind 127.0.0.1 --port "$port" --state-dir "$WORK/state" \
      --grace 0 --export "$WORK/exp *($EXPORT_OPTS)" >"$WORK/server-${NAMES[$i]}.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    "$JAVA" -cp "$BJAR" io.edgenfsd.bench.load.LoadGen --port "$port" --export "$WORK/exp" --sessions "$SESSIONS" --slots "$SLOTS" \
      --file-mib "$FILE_MIB" --seconds "$SECS" --pid "$SERVER_PID" --phases "$PHASES" >"$WORK/load.tsv"
    awk -F'\t' -v r="$r" -v b="${NAMES[$i]}" 'NR > 1 && $4 > 0 {
        printf "%s\t%s\t%s\t%.0f\t%.1f\t%.2f\t%.2f\n", r, b, $1, $6, $7 * 1e6 / $4, $9 / $4, $10 / $4 }' \
      "$WORK/load.tsv" | tee -a "$WORK/all.tsv"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  done
done
echo "round/build/phase/ops_per_s/server_cpu_us_per_op/loop_ctxt_per_op/worker_ctxt_per_op above ($SESSIONS sessions x $SLOTS slots, $FILE_MIB MiB files);"
echo "against ${NAMES[0]}, median over $ROUNDS rounds:"
python3 - "$WORK/all.tsv" "${NAMES[@]}" <<'PY'
import sys, statistics, collections
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n') if l]
builds = sys.argv[2:]
v = collections.defaultdict(dict)
for r, b, ph, ops, cpu, cl, cw in rows:
    v[(ph, b)][int(r)] = (float(ops), float(cpu), float(cl), float(cw))
print("phase\tbuild\tops/s\tratio ops/s\tcpu us/op\tratio cpu/op\tloop ctxt/op\tworker ctxt/op")
for ph in dict.fromkeys(row[2] for row in rows):
    base = v[(ph, builds[0])]
    for b in builds:
        cur = v[(ph, b)]
        rs = sorted(set(base) & set(cur))
        if not rs:
            continue
        print("%s\t%s\t%.0f\t%.3f\t%.1f\t%.3f\t%.2f\t%.2f" % (ph, b, statistics.median(cur[r][0] for r in rs),
              statistics.median(cur[r][0] / base[r][0] for r in rs), statistics.median(cur[r][1] for r in rs),
              statistics.median(cur[r][1] / base[r][1] for r in rs), statistics.median(cur[r][2] for r in rs),
              statistics.median(cur[r][3] for r in rs)))
PY
