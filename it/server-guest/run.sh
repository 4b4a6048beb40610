#!/usr/bin/env bash
# Power-cut harness: the SERVER runs in its own qemu guest (Debian kernel, Debian's openjdk-17 JRE or
# nfs-kernel-server, 1 vCPU under TCG, 1 GiB like a Raspberry Pi 3 B+) whose export and state live on a
# data disk that keeps only what the guest flushed. The kernel-client guest of it/kernel-client mounts it
# (nfsvers=4.1,hard) through the host's loopback port forward and runs the pc.py workers; the host
# SIGKILLs the server guest's qemu mid-workload (a power cut), boots it again on the same disk, and
# times the recovery. In the end the client verifies every acknowledged operation.
#
#   it/server-guest/run.sh [--keep] [CONFIG...]     CONFIG = SERVER:MODE:CUTS, SERVER edge|knfsd,
#                                                   MODE sync|async; default: edge:sync:3 edge:async:1
#   it/server-guest/run.sh --with-knfsd             the default plus knfsd:sync:3 knfsd:async:1
#   it/server-guest/run.sh --boots-only [N]         recovery times only: an edge and a knfsd guest (sync,
#                                                   workers hb lock unless PC_WORKERS), N cuts of each,
#                                                   alternating edge, knfsd, edge, ...; default N 3;
#                                                   boots.md: each boot's power-on to first NULL, first
#                                                   NFSv4.1 COMPOUND NFS4_OK, first heartbeat; medians,
#                                                   edge/knfsd ratio per pair
#
# A sync config passes when nothing acknowledged was lost, no client process saw an error (ESTALE, EIO,
# ...), sqlite's integrity_check is ok and the lock stayed exclusive; an async config (the negative
# control) passes only when the test DID see acknowledged data lost. Exit 0 all configs passed, 1 some
# failed, 2 the harness could not run. Logs, results.md (per config) and summary.md (side by side):
# target/it-logs/server-guest-<time>/.
# Environment: EDGE_NFSD_JAR, EDGE_NFSD_IT_CACHE, EDGE_NFSD_IT_LOGS, EDGE_JAVA_OPTS, PC_RUN_SECONDS (load
# before each cut, default 20), PC_WORKERS (default: every worker), PC_CLASSLOAD_TRACE=1 (the edge-nfsd
# JVM logs each class it loads, with its uptime, to CONFIG/server/classload.log), PC_SERVER_VERBOSE=1
# (edge-nfsd logs at debug level, e.g. every operation that did not return NFS4_OK), EDGE_NFSD_IT_CDS=0
# (no AppCDS archive). The client guest's kernel log after the workload is CONFIG/client/dmesg.log.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=powercut
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
REPO=$IT_REPO
KC=$(it_kc_cache)
SG=$IT_CACHE_ROOT/server-guest
JAR=${EDGE_NFSD_JAR:-$REPO/nfs-server/target/edge-nfsd.jar}
RUN_SECONDS=${PC_RUN_SECONDS:-20}
WORKERS=${PC_WORKERS:-hb applog openfile rename sqlite bigwrite dirops lock}
KEEP=0
BOOTS=0
CONFIGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --keep) KEEP=1; shift ;;
    --boots-only)
      BOOTS=3; shift
      if [[ ${1:-} =~ ^[0-9]+$ ]]; then BOOTS=$1; shift; fi
      [[ $BOOTS -ge 1 && $BOOTS -le 20 ]] || it_die "--boots-only N: N must be 1..20" ;;
    --with-knfsd) CONFIGS+=(edge:sync:3 edge:async:1 knfsd:sync:3 knfsd:async:1); shift ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *:*:*) CONFIGS+=("$1"); shift ;;
    *) it_die "unknown argument $1" ;;
  esac
done
if [[ $BOOTS -gt 0 ]]; then
  [[ ${#CONFIGS[@]} -eq 0 ]] || it_die "--boots-only takes no CONFIG"
  CONFIGS=(edge:sync:"$BOOTS" knfsd:sync:"$BOOTS")
  WORKERS=${PC_WORKERS:-hb lock}
  RUN_SECONDS=${PC_RUN_SECONDS:-10}
fi
[[ ${#CONFIGS[@]} -gt 0 ]] || CONFIGS=(edge:sync:3 edge:async:1)

[[ $(id -u) -eq 0 ]] || it_die "must run as root"
command -v qemu-system-x86_64 >/dev/null || it_die "qemu-system-x86_64 missing (.ci/install-deps)"
command -v mkfs.ext4 >/dev/null || it_die "mkfs.ext4 missing"
[[ -f "$JAR" ]] || it_die "server jar $JAR missing: mvn -B package -DskipTests"
"$HERE/build-assets.sh" || it_die "building the server guest assets failed"

LOGROOT=${EDGE_NFSD_IT_LOGS:-$REPO/target/it-logs}
LOGDIR="$LOGROOT/server-guest-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$LOGDIR"
LOGDIR=$(cd "$LOGDIR" && pwd)
ln -sfn "$(basename "$LOGDIR")" "$LOGROOT/server-guest-latest"
# per config directory: its server guest's qemu, its client guest's qemu, its forwarded port
declare -A SRV=() CLI=() PORTS=()
cleanup() {
  local p
  for p in "${CLI[@]}" "${SRV[@]}"; do [[ -n "$p" ]] && kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  [[ $KEEP -eq 1 ]] || rm -f "$LOGDIR"/*/data.img
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ms() { date +%s%3N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }   # the host's: every guest shares its 2 cores
acks() { local f="$1/ack/$2.log"; [[ -f "$f" ]] && wc -l <"$f" || echo 0; }

# snapshot_acks CFGDIR: remember each worker's acknowledgement count (in BASE_ACKS)
declare -A BASE_ACKS=()
snapshot_acks() {
  local w
  for w in $WORKERS; do BASE_ACKS[$w]=$(acks "$1/client" "$w"); done
}
# wait_progress CFGDIR SECONDS: until every worker still alive acknowledged something since the
# snapshot; prints those that did not
wait_progress() {
  local end=$((SECONDS + $2)) w waiting
  while :; do
    waiting=
    for w in $WORKERS; do
      [[ -f "$1/client/ack/$w.err" ]] && continue
      [[ $(acks "$1/client" "$w") -gt ${BASE_ACKS[$w]} ]] || waiting+=" $w"
    done
    [[ -z "$waiting" || $SECONDS -ge $end ]] && break
    sleep 1
  done
  echo "$waiting"
}

# boot_server CFGDIR N: power the server guest on (its disk: the data image, cache=none, see README)
boot_server() {
  local d=$1 n=$2
  # shellcheck disable=SC2046
  $(it_qemu_base tcg qemu64 "$(it_kernel "$KC")" "$KC/initrd.img") \
    -append "console=ttyS0 panic=1 loglevel=4 net.ifnames=0 no_timer_check" \
    -drive "file=$SG/root.img,format=raw,if=virtio,snapshot=on" \
    -drive "file=$d/data.img,format=raw,if=virtio,cache=none" \
    -netdev "user,id=n0,ipv6=off,net=10.0.2.0/24,host=10.0.2.2,hostfwd=tcp:127.0.0.1:${PORTS[$d]}-10.0.2.15:2049" \
    -device virtio-net-pci,netdev=n0 -device virtio-rng-pci \
    -virtfs "local,path=$d/server,mount_tag=job,security_model=none,id=job" \
    </dev/null >"$d/server-console.$n.log" 2>&1 &
  SRV[$d]=$!
}

# wait_serving CFGDIR N: after a power-on, until the first ONC RPC NULL is answered (T_NULL, epoch ms),
# then until the first NFSv4.1 COMPOUND is answered NFS4_OK (T_COMPOUND); 300 s at most each
wait_serving() {
  local d=$1 n=$2
  T_NULL=$(python3 "$HERE/rpc-null.py" 127.0.0.1 "${PORTS[$d]}" 300) &&
    T_COMPOUND=$(python3 "$HERE/rpc-null.py" 127.0.0.1 "${PORTS[$d]}" 300 compound) && return 0
  it_log "boot $n: the server did not answer; its console and log:"
  tail -n 30 "$d/server-console.$n.log" >&2
  tail -n 30 "$d/server/server.log" >&2
  return 1
}

# make_cds_archive OUT: a class-data-sharing archive of the server's start-up classes (AppCDS, JDK 17's
# -XX:ArchiveClassesAtExit), dumped by the server guest's own JVM (the kept debootstrap tree its root
# image was made from, run in a chroot) for this jar at the path the guest runs it from (/opt): a JVM
# accepts an archive only from the same JVM build and for the same jar path, size and mtime. A Pi
# would make it once at package installation. EDGE_NFSD_IT_CDS=0 runs without it. Like the .deb's
# postinst, it first unpacks JNA's native stub for the guest (LOGDIR/libjnidispatch.so), which the
# server guest then loads with -Djna.boot.library.path instead of unpacking it at every boot.
make_cds_archive() {
  local out=$1 db port pid rc=0
  db=$(ls -d "$SG"/debootstrap-*/ 2>/dev/null | head -n1)
  [[ -n "$db" && -x "$db/usr/bin/java" ]] || { it_log "no server guest tree for the CDS archive"; return 1; }
  (
    flock -w 600 9 || exit 1
    mkdir -p "$db/opt" "$db/tmp/cds-exp" "$db/tmp/cds-state"
    cp -p "$JAR" "$db/opt/edge-nfsd.jar"
    rm -f "$db/opt/edge-nfsd.jsa"
    mount --bind /proc "$db/proc" && mount --bind /dev "$db/dev" || exit 1
    port=$(it_free_port)
    rm -rf "$db/opt/jna"
    chroot "$db" java -cp /opt/edge-nfsd.jar io.edgenfsd.vfs.linux.JnaStub /opt/jna >"$LOGDIR/jna-unpack.log" 2>&1 \
      && cp "$db/opt/jna/libjnidispatch.so" "$LOGDIR/libjnidispatch.so"
    local jna=()
    [[ -f "$LOGDIR/libjnidispatch.so" ]] && jna=(-Djna.boot.library.path=/opt/jna -Djna.nounpack=true)
    # shellcheck disable=SC2046
    chroot "$db" java $(it_deb_java_opts) "${jna[@]}" -XX:ArchiveClassesAtExit=/opt/edge-nfsd.jsa -jar /opt/edge-nfsd.jar \
      --bind 127.0.0.1 --port "$port" --state-dir /tmp/cds-state --export "/tmp/cds-exp *(rw,sync,insecure)" \
      >"$LOGDIR/cds-dump.log" 2>&1 </dev/null &
    pid=$!
    python3 "$HERE/rpc-null.py" 127.0.0.1 "$port" 120 >/dev/null || rc=1
    it_stop_pid "$pid" 60
    umount "$db/dev" "$db/proc"
    [[ $rc -eq 0 && -s "$db/opt/edge-nfsd.jsa" ]] && cp "$db/opt/edge-nfsd.jsa" "$out"
    rm -rf "$db/opt/edge-nfsd.jar" "$db/opt/edge-nfsd.jsa" "$db/opt/jna" "$db/tmp/cds-exp" "$db/tmp/cds-state"
    [[ -s "$out" ]]
  ) 9>"$SG/.lock"
}

# prepare_config SERVER MODE: the config's directory LOGDIR/SERVER-MODE with a fresh data disk, the
# server guest's config, the jar and the AppCDS archive
prepare_config() {
  local kind=$1 mode=$2 d="$LOGDIR/$1-$2"
  mkdir -p "$d/server" "$d/client/workloads" "$d/client/ack" "$d/client/ctl"
  : >"$d/cuts.tsv"
  truncate -s 1G "$d/data.img"
  mkfs.ext4 -q -F -L pcdata "$d/data.img"
  cp "$HERE/guest/server-init.sh" "$d/server/guest-init.sh"
  cat >"$d/server/config" <<EOF
SERVER_KIND=$kind
EXPORT_MODE=$mode
LEASE=15
GRACE=30
JAVA_OPTS="$(it_deb_java_opts)"
MALLOC_ARENA_MAX=$(it_deb_malloc_arenas)
CLASSLOAD_TRACE=${PC_CLASSLOAD_TRACE:-0}
VERBOSE=${PC_SERVER_VERBOSE:-0}
EOF
  if [[ $kind == edge ]]; then
    cp -p "$JAR" "$d/server/edge-nfsd.jar"
    [[ -f "$LOGDIR/edge-nfsd.jsa" ]] && cp "$LOGDIR/edge-nfsd.jsa" "$d/server/"
    [[ -f "$LOGDIR/libjnidispatch.so" ]] && cp "$LOGDIR/libjnidispatch.so" "$d/server/"
  fi
}

# cuts.tsv, one line per boot: N, first-boot|cut, power-on to NULL, to the first heartbeat (or - / never),
# cut to the first heartbeat, host load at power-on, power-on to the first COMPOUND NFS4_OK (seconds)

# first_boot CFGDIR SERVER: the first power-on, on the fresh disk
first_boot() {
  local d=$1 t_on load
  PORTS[$d]=$(it_free_port)
  load=$(loadavg)
  t_on=$(now_ms)
  boot_server "$d" 0
  wait_serving "$d" 0 || return 1
  it_log "$2 first boot: NULL answered after $(secs "$t_on" "$T_NULL") s, COMPOUND after $(secs "$t_on" "$T_COMPOUND") s"
  printf '0\tfirst-boot\t%s\t-\t-\t%s\t%s\n' "$(secs "$t_on" "$T_NULL")" "$load" "$(secs "$t_on" "$T_COMPOUND")" >>"$d/cuts.tsv"
}

# start_client CFGDIR SERVER: boot the client guest; it mounts the server and starts the workers
start_client() {
  local d=$1 end
  cp "$REPO/it/kernel-client/guest/guest-init.sh" "$REPO/it/kernel-client/guest/lib.sh" "$HERE/guest/pc.py" "$d/client/"
  cp "$HERE/workloads/powercut.sh" "$d/client/workloads/"
  echo "powercut 3000" >"$d/client/plan"
  cat >"$d/client/env" <<EOF
NFS_HOST=10.0.2.2
NFS_PORT=${PORTS[$d]}
SERVER_KIND=$2
EXPORT=/var/nfs-k8s
WORKERS="$WORKERS"
EOF
  it_client_guest_cmd tcg qemu64 "$d/client"
  "${IT_QEMU[@]}" </dev/null >"$d/client-console.log" 2>&1 &
  CLI[$d]=$!
  end=$((SECONDS + 240))
  while [[ ! -f "$d/client/ack/started" && $SECONDS -lt $end ]] && kill -0 "${CLI[$d]}" 2>/dev/null; do sleep 0.5; done
  [[ -f "$d/client/ack/started" ]] || { it_log "client did not start its workers"; tail -n 30 "$d/client-console.log" >&2; return 1; }
  it_log "$2 client workers running: $WORKERS"
}

# power_cut CFGDIR SERVER I: load for RUN_SECONDS, SIGKILL the server guest, power it on again, time the
# recovery. 0 recovered, 1 the server did not come back, 2 the client's heartbeat did not resume.
power_cut() {
  local d=$1 kind=$2 i=$3 before waiting t_cut t_on t_first load end w
  # load: RUN_SECONDS, and every worker that is still alive acknowledged something since the last cut
  snapshot_acks "$d"
  sleep "$RUN_SECONDS"
  waiting=$(wait_progress "$d" 120)
  [[ -n "$waiting" ]] && it_log "$kind cut $i: no acknowledgement since the last cut from:$waiting (cutting anyway)"
  before=$(acks "$d/client" hb)
  kill -KILL "${SRV[$d]}"; wait "${SRV[$d]}" 2>/dev/null
  t_cut=$(now_ms)
  it_log "$kind cut $i: server guest's qemu SIGKILLed (acknowledged so far: $(for w in $WORKERS; do printf '%s=%s ' "$w" "$(acks "$d/client" "$w")"; done))"
  sleep 1
  load=$(loadavg)
  t_on=$(now_ms)
  boot_server "$d" "$i"
  wait_serving "$d" "$i" || return 1
  t_first=
  end=$((SECONDS + 400))
  while [[ $SECONDS -lt $end ]]; do
    [[ $(acks "$d/client" hb) -gt $before ]] && { t_first=$(now_ms); break; }
    [[ -f "$d/client/ack/hb.err" ]] && break
    sleep 0.2
  done
  if [[ -z "$t_first" ]]; then
    it_log "$kind cut $i: NULL after $(secs "$t_on" "$T_NULL") s, but the client's heartbeat never resumed"
    printf '%s\tcut\t%s\tnever\tnever\t%s\t%s\n' "$i" "$(secs "$t_on" "$T_NULL")" "$load" "$(secs "$t_on" "$T_COMPOUND")" >>"$d/cuts.tsv"
    return 2
  fi
  it_log "$kind cut $i: power-on to NULL $(secs "$t_on" "$T_NULL") s, to COMPOUND $(secs "$t_on" "$T_COMPOUND") s, to the client's first served call $(secs "$t_on" "$t_first") s ($(secs "$t_cut" "$t_first") s after the cut; host load $load)"
  printf '%s\tcut\t%s\t%s\t%s\t%s\t%s\n' "$i" "$(secs "$t_on" "$T_NULL")" "$(secs "$t_on" "$t_first")" "$(secs "$t_cut" "$t_first")" "$load" "$(secs "$t_on" "$T_COMPOUND")" >>"$d/cuts.tsv"
  # every live worker makes progress after the recovery (the lock worker's probe included)
  snapshot_acks "$d"
  waiting=$(wait_progress "$d" 180)
  [[ -n "$waiting" ]] && it_log "$kind cut $i: after the recovery, no progress from:$waiting"
  return 0
}

# finish_config CFGDIR: the client stops its workers and verifies; both guests off
finish_config() {
  local d=$1 end
  touch "$d/client/ctl/stop"
  end=$((SECONDS + 600))
  while kill -0 "${CLI[$d]}" 2>/dev/null && [[ $SECONDS -lt $end ]]; do sleep 1; done
  kill -KILL "${CLI[$d]}" 2>/dev/null; wait "${CLI[$d]}" 2>/dev/null; CLI[$d]=
  kill -KILL "${SRV[$d]}" 2>/dev/null; wait "${SRV[$d]}" 2>/dev/null; SRV[$d]=
  grep -h 'EXT4-fs (vdb)' "$d/server/guest.log" >"$d/journal-replay.log" 2>/dev/null   # "recovery complete" per cut
  [[ -f "$d/client/verify.json" ]] || { it_log "client did not verify; its output:"; cat "$d/client/results/powercut/output.log" >&2; return 1; }
  return 0
}

# run_config SERVER MODE CUTS: one fresh data disk, one client boot, CUTS power cuts. Appends to RESULTS.
run_config() {
  local kind=$1 mode=$2 cuts=$3 d="$LOGDIR/$1-$2" i rc
  it_log "== $kind, $mode export, $cuts power cut(s); logs in $d"
  prepare_config "$kind" "$mode"
  first_boot "$d" "$kind" || return 1
  start_client "$d" "$kind" || return 1
  for i in $(seq 1 "$cuts"); do
    power_cut "$d" "$kind" "$i"; rc=$?
    [[ $rc -eq 1 ]] && return 1
    [[ $rc -eq 2 ]] && break
  done
  finish_config "$d"
}

# boots_only N: an edge and a knfsd server guest (sync exports), each with its client guest, all up at
# once; then N rounds of one power cut of edge's guest and one of knfsd's (alternating, so that both
# see the same host load). boots.md: every boot and the medians.
boots_only() {
  local n=$1 k i rc ok=0
  for k in edge knfsd; do
    it_log "== $k, sync export, for --boots-only $n; logs in $LOGDIR/$k-sync"
    prepare_config "$k" sync
    first_boot "$LOGDIR/$k-sync" "$k" || return 1
  done
  for k in edge knfsd; do start_client "$LOGDIR/$k-sync" "$k" || return 1; done
  for i in $(seq 1 "$n"); do
    for k in edge knfsd; do
      power_cut "$LOGDIR/$k-sync" "$k" "$i"; rc=$?
      [[ $rc -eq 0 ]] || ok=1
      [[ $rc -eq 1 ]] && break 2   # a server that did not come back: boots.md of what was measured
    done
  done
  for k in edge knfsd; do finish_config "$LOGDIR/$k-sync" || ok=1; done
  python3 "$HERE/boots.py" "$LOGDIR" $WORKERS >"$LOGDIR/boots.md" || ok=1
  cat "$LOGDIR/boots.md" >&2
  return $ok
}

# judge SERVER MODE: reads the config's verify.json and cuts.tsv, prints its table rows, returns 0/1
judge() {
  python3 - "$LOGDIR/$1-$2" "$1" "$2" <<'EOF'
import json, sys
d, kind, mode = sys.argv[1:4]
res = json.load(open(d + "/client/verify.json"))
cuts = [l.rstrip("\n").split("\t") for l in open(d + "/cuts.tsv")]
real = [c for c in cuts if c[1] == "cut"]
lost = sum(max(r["lost"], 0) for k, r in res.items() if k != "hb")
errors = {k: r["error"] for k, r in res.items() if r["error"]}
broken = [k for k, r in res.items() if r["lost"] < 0 or (k != "hb" and r["acked"] <= 0)]
corrupt = "CORRUPT" in res.get("sqlite", {}).get("detail", "") or "error" in res.get("sqlite", {}).get("detail", "")
unrecovered = [c for c in real if c[3] == "never"]
# State the client's kernel gave up on in recovery (a lock whose reclaim failed or was never sent, an open
# it could not reclaim): the processes may not notice (the lock probe comes from the same client), so the
# kernel's own word counts. Lines as fs/nfs/nfs4state.c prints them.
import os, re
kmsg = []
if os.path.exists(d + "/client/dmesg.log"):
    pat = re.compile(r"NFS: .*(lost \d+ locks|unhandled error|recovery failed|reclaim failed|Lock reclaim failed)")
    kmsg = [l.strip() for l in open(d + "/client/dmesg.log", errors="replace") if pat.search(l)]
for k, r in res.items():
    if k == "hb":
        continue
    print("| %s | %s | %s | %s / %s | %s | %s |" % (kind, mode, k, r["lost"], r["acked"], r["detail"],
          r["error"] or "none"))
for c in cuts:
    print("| %s | %s | %s | power-on to serving %s s | to first served client call %s s | cut to first served %s s, host load %s |" % (
        kind, mode, "first boot" if c[1] != "cut" else "cut " + c[0], c[2], c[3], c[4], c[5]))
if mode == "sync":
    ok = lost == 0 and not errors and not broken and not corrupt and not unrecovered and len(real) > 0 and not kmsg
    why = "lost %d, errors %s, broken %s, sqlite corrupt %s, unrecovered cuts %d, client kernel %s" % (
        lost, errors or "none", broken or "none", corrupt, len(unrecovered), kmsg or "quiet")
else:
    ok = lost > 0 or corrupt
    why = "negative control: %d acknowledged operations lost%s" % (lost, ", sqlite corrupt" if corrupt else "")
print("VERDICT %s %s %s: %s" % ("PASS" if ok else "FAIL", kind, mode, why))
sys.exit(0 if ok else 1)
EOF
}

T0=$SECONDS
FAILED=0
if [[ "${EDGE_NFSD_IT_CDS:-1}" == 1 && " ${CONFIGS[*]}" == *" edge:"* ]]; then
  if make_cds_archive "$LOGDIR/edge-nfsd.jsa"; then
    it_log "AppCDS archive for the server guest's JVM: $(du -k "$LOGDIR/edge-nfsd.jsa" | cut -f1) KiB ($((SECONDS - T0)) s)"
  else
    it_die "could not make the AppCDS archive (see $LOGDIR/cds-dump.log; EDGE_NFSD_IT_CDS=0 runs without)"
  fi
fi
if [[ $BOOTS -gt 0 ]]; then
  boots_only "$BOOTS"; rc=$?
  it_log "total $((SECONDS - T0)) s; boots.md and logs in $LOGDIR"
  exit "$rc"
fi
{
  echo "| server | export | workload / cut | lost / acknowledged | detail | client error |"
  echo "|---|---|---|---|---|---|"
} >"$LOGDIR/results.md"
for c in "${CONFIGS[@]}"; do
  IFS=: read -r kind mode cuts <<<"$c"
  [[ $kind == edge || $kind == knfsd ]] && [[ $mode == sync || $mode == async ]] || it_die "bad config $c"
  t=$SECONDS
  if run_config "$kind" "$mode" "$cuts"; then
    judge "$kind" "$mode" >"$LOGDIR/$kind-$mode/judge.txt"; rc=$?
  else
    echo "VERDICT FAIL $kind $mode: the harness did not complete the run" >"$LOGDIR/$kind-$mode/judge.txt"; rc=1
  fi
  grep -v '^VERDICT' "$LOGDIR/$kind-$mode/judge.txt" >>"$LOGDIR/results.md"
  grep '^VERDICT' "$LOGDIR/$kind-$mode/judge.txt" | sed "s/\$/ ($((SECONDS - t)) s)/" | tee -a "$LOGDIR/verdicts.txt" >&2
  [[ $rc -eq 0 ]] || FAILED=$((FAILED + 1))
done
python3 "$HERE/summary.py" "$LOGDIR" >"$LOGDIR/summary.md" 2>&1
cat "$LOGDIR/results.md" "$LOGDIR/summary.md" >&2
it_log "total $((SECONDS - T0)) s; logs and results.md in $LOGDIR"
[[ $FAILED -eq 0 ]] || { it_log "$FAILED config(s) failed"; exit 1; }
exit 0
