#!/usr/bin/env bash
# Metrics on vs off, in one run: the same server jar and JVM options (the .deb's), started alternately
# without and with --metrics 127.0.0.1:PORT (scraped every SCRAPE_EVERY seconds during the phases, 15
# as in packaging/prometheus/edge-nfsd-scrape.yml), each time driven by the host load generator through
# the same phases; the order off/on alternates between rounds. Prints per round and phase: ops/s and server
# CPU microseconds per operation, then the on/off ratios (median over rounds), then the server CPU one
# scrape costs (20 scrapes in a row after the phases). Root, loopback only, bounded: ROUNDS x phases x SECONDS.
#   [SCRAPE_EVERY=15] benchmarks/metrics-ab.sh [ROUNDS] [SECONDS] [PHASES]   e.g. benchmarks/metrics-ab.sh 4 8
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
ROUNDS=${1:-3}
SECONDS_PER_PHASE=${2:-8}
PHASES=${3:-read_4KiB,lookup,metadata_mix,write_1MiB}
JAVA=${JAVA:-java}
SCRAPE_EVERY=${SCRAPE_EVERY:-15}
JAR=${JAR:-$REPO/nfs-server/target/edge-nfsd.jar}
BJAR=$REPO/benchmarks/target/benchmarks.jar
JOPTS=$(. "$REPO/packaging/src/deb/etc/default" && echo "$EDGE_NFSD_JAVA_OPTS")
WORK=$(mktemp -d /var/tmp/edge-metrics-ab.XXXXXX)
SERVER_PID='' SCRAPER_PID=''
cleanup() {
  [[ -n $SCRAPER_PID ]] && kill "$SCRAPER_PID" 2>/dev/null || true
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_ticks() { awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
: >"$WORK/all.tsv"
for r in $(seq 1 "$ROUNDS"); do
  order="off on"; ((r % 2 == 0)) && order="on off"
  for mode in $order; do
    rm -rf "$WORK/exp" "$WORK/state"; mkdir -p "$WORK/exp" "$WORK/state"
    port=$(free_port); mport=$(free_port)
    extra=()
    [[ $mode == on ]] && extra=(--metrics "127.0.0.1:$mport")
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX=2 "$JAVA" $JOPTS -jar "$JAR" serve --bind 127.0.0.1 --port "$port" --state-dir "$WORK/state" \
      --grace 0 --export "$WORK/exp *(rw,sync,no_root_squash,insecure)" "${extra[@]}" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do grep -q "ready:" "$WORK/server.log" && break; sleep 0.2; done
    if [[ $mode == on ]]; then
      ( end=$((SECONDS + 600)); while ((SECONDS < end)); do
          sleep "$SCRAPE_EVERY"; curl -fsS -o /dev/null "http://127.0.0.1:$mport/metrics" || true; done ) &
      SCRAPER_PID=$!
    fi
    "$JAVA" -cp "$BJAR" io.edgenfsd.bench.load.LoadGen --port "$port" --export "$WORK/exp" --sessions 4 --slots 4 \
      --file-mib 64 --seconds "$SECONDS_PER_PHASE" --pid "$SERVER_PID" --phases "$PHASES" >"$WORK/load.tsv"
    awk -F'\t' -v r="$r" -v m="$mode" 'NR > 1 && $4 > 0 { printf "%s\t%s\t%s\t%.0f\t%.1f\n", r, m, $1, $6, $7 * 1e6 / $4 }' \
      "$WORK/load.tsv" | tee -a "$WORK/all.tsv"
    if [[ -n $SCRAPER_PID ]]; then
      kill "$SCRAPER_PID" 2>/dev/null || true; wait "$SCRAPER_PID" 2>/dev/null || true; SCRAPER_PID=
      c0=$(cpu_ticks "$SERVER_PID")
      for _ in $(seq 1 20); do curl -fsS -o /dev/null "http://127.0.0.1:$mport/metrics"; done
      c1=$(cpu_ticks "$SERVER_PID")
      echo "$r scrape_cpu_ms $(( (c1 - c0) * 10 / 20 ))" >>"$WORK/scrape.txt"
    fi
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
  done
done
echo "round/mode/phase/ops_per_s/server_cpu_us_per_op above; on/off, median over $ROUNDS rounds:"
python3 - "$WORK/all.tsv" <<'PY'
import sys, statistics, collections
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n') if l]
v = collections.defaultdict(list)
for r, m, ph, ops, cpu in rows:
    v[(ph, m)].append((int(r), float(ops), float(cpu)))
print("phase\tops/s off\tops/s on\tratio\tcpu us/op off\tcpu us/op on\tratio")
for ph in dict.fromkeys(p for p, _ in v):
    off = {r: (o, c) for r, o, c in v[(ph, 'off')]}
    on = {r: (o, c) for r, o, c in v[(ph, 'on')]}
    rs = sorted(set(off) & set(on))
    ro = statistics.median(on[r][0] / off[r][0] for r in rs)
    rc = statistics.median(on[r][1] / off[r][1] for r in rs)
    print("%s\t%.0f\t%.0f\t%.3f\t%.1f\t%.1f\t%.3f" % (ph, statistics.median(off[r][0] for r in rs),
          statistics.median(on[r][0] for r in rs), ro, statistics.median(off[r][1] for r in rs),
          statistics.median(on[r][1] for r in rs), rc))
PY
echo "server CPU per scrape (ms, each round): $(awk '{ printf "%s ", $3 }' "$WORK/scrape.txt")"
