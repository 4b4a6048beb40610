#!/usr/bin/env bash
# it/pynfs/run.sh [--minor N] [--lease S] [--update] [CODES...]
#
# Runs the pynfs server conformance suite (../shared/pynfs, see its README) against a freshly started
# edge-nfsd (nfs-server/target/edge-nfsd.jar) on 127.0.0.1 and compares the failures with the expected
# list it/pynfs/expected-failures-4.MINOR.txt (one code a line, '#' comments: why it still fails).
# Exit 0: every test not in the list passed. Exit 1: a test outside the list failed (a regression), or
# the suite did not run to the end. Tests in the list that now pass are reported, so the list shrinks.
# --update rewrites the list from this run's failures (review the diff before committing).
# Output in target/pynfs-4.MINOR/: server.log, summary.txt, failures.txt, testserver.log.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
minor=1 lease=20 update=0 codes=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minor) minor=$2; shift 2 ;;
    --lease) lease=$2; shift 2 ;;
    --update) update=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "pynfs/run.sh: unknown option $1" >&2; exit 2 ;;
    *) codes+=("$1"); shift ;;
  esac
done
[[ ${#codes[@]} -gt 0 ]] || codes=(all)
# ../shared/pynfs beside the checkout; for a git worktree, beside the main checkout
pynfs=${PYNFS_DIR:-$top/../shared/pynfs}
if [[ ! -d $pynfs && -z ${PYNFS_DIR:-} ]]; then
  common=$(git -C "$top" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  [[ -n $common ]] && pynfs=$(dirname "$common")/../shared/pynfs
fi
jar=$top/nfs-server/target/edge-nfsd.jar
expected=$top/it/pynfs/expected-failures-4.$minor.txt
out=$top/target/pynfs-4.$minor
log() { printf '[pynfs %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
[[ -x $pynfs/run.sh ]] || { echo "pynfs/run.sh: no pynfs suite at $pynfs (set PYNFS_DIR)" >&2; exit 2; }
[[ -f $jar ]] || { echo "pynfs/run.sh: $jar missing: run mvn -B package first" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "pynfs/run.sh: run as root (pynfs --maketree makes devices and files of several owners)" >&2; exit 2; }

mkdir -p "$out"
work=$(mktemp -d /tmp/edge-nfsd-pynfs.XXXXXX)
export_dir=$work/export
mkdir -p "$export_dir" "$work/state"
chmod 0777 "$export_dir"
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=
for p in $(seq 20490 20590); do
  if ! ss -Hltn "sport = :$p" | grep -q .; then port=$p; break; fi
done
[[ -n $port ]] || { echo "pynfs/run.sh: no free port in 20490-20590" >&2; exit 2; }

# pynfs runs as root over TCP from an unprivileged source port: no_root_squash and insecure.
java -jar "$jar" --bind 127.0.0.1 --port "$port" --state-dir "$work/state" --lease "$lease" \
  --export "$export_dir 127.0.0.1(rw,sync,no_root_squash,insecure)" >"$out/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$out/server.log" >&2; echo "pynfs/run.sh: server exited" >&2; exit 1; }
  sleep 0.5
done
log "edge-nfsd on 127.0.0.1:$port (pid $server_pid, lease $lease s), pynfs minor version $minor: ${codes[*]}"

rc=0
PYNFS_MINOR=$minor "$pynfs/run.sh" "127.0.0.1:$port$export_dir" "$out" "${codes[@]}" || rc=$?
cat "$out/summary.txt"
if [[ $rc -ne 0 ]]; then
  echo "pynfs/run.sh: the suite did not run to the end (run.sh exit $rc), see $out/testserver.log" >&2
  exit 1
fi
grep -q '^pynfs: no tests run' "$out/summary.txt" && { echo "pynfs/run.sh: no tests ran" >&2; exit 1; }

failing=$(sed -n 's/^failing: //p' "$out/summary.txt" | tr ' ' '\n' | sed '/^$/d' | sort -u)
if [[ $update -eq 1 ]]; then
  {
    echo "# pynfs 4.$minor tests that fail on edge-nfsd today (it/pynfs/run.sh --update); each should say why."
    for c in $failing; do
      why=$(grep -m1 "^$c: " "$out/failures.txt" | cut -c1-160 || true)
      echo "$c  # ${why#"$c: "}"
    done
  } >"$expected"
  log "wrote $(echo "$failing" | sed '/^$/d' | wc -l) codes to $expected"
  exit 0
fi
allowed=
if [[ -f $expected ]]; then allowed=$(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$expected" | sort -u); fi
regressions=$(comm -23 <(echo "$failing") <(echo "$allowed") | sed '/^$/d')
fixed=$(comm -13 <(echo "$failing") <(echo "$allowed") | sed '/^$/d')
if [[ -n $fixed && ${codes[*]} == all ]]; then
  log "now passing, remove from $(basename "$expected"): ${fixed//$'\n'/ }"
fi
if [[ -n $regressions ]]; then
  log "FAILED outside the expected list:"
  for c in $regressions; do grep -m1 "^$c: " "$out/failures.txt" || echo "$c"; done
  exit 1
fi
log "ok: no failure outside $(basename "$expected")"
