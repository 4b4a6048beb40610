#!/usr/bin/env bash
# Pi-class benchmark (issue 17): edge-nfsd (the .deb under systemd), nfs-kernel-server and NFS-Ganesha
# (FSAL_VFS, NFSv4.1 only) in turn, in ONE boot of the arm64 guest of it/arm-guest (qemu-system-aarch64
# -M virt -cpu cortex-a53 -smp 1 -m 1024, TCG, a memory hog standing in for a k3s agent), each exporting
# /var/nfs-k8s on the throttled "SD card" disk; the x86 kernel-client guest of it/kernel-client mounts it
# through qemu's hostfwd on 127.0.0.1 (nfsvers=4.1,hard) and runs benchmarks/guest/b_{seq,fio,meta,
# sqlite,tar}.sh. Per run: each workload's figure, and, read inside the ARM guest, the server's CPU
# seconds over the whole set and its peak RSS (VmHWM; knfsd: nfsd threads' CPU, MemAvailable drop).
# With --old-deb, first jar before/after rounds on the same boot (old, new, old, new; each installed with
# dpkg -i and restarted once): start-to-READY, idle VmRSS/VmHWM.
# Writes benchmarks/results/<date>-pi.md (+ .tsv).
#
#   benchmarks/pi.sh [--deb FILE] [--old-deb FILE] [--order "edge knfsd ganesha edge"] [--hog-mib 512]
#                    [--seq-mib 128] [--files 500] [--sqlite-tx 300] [--fio-seconds 15] [--tar-files 400]
#                    [--name NAME]   (results/NAME.md and .tsv; default <date>-pi)
#
# Defaults are the issue's set made smaller (256 MiB, 2,000 files, 1,000 tx) so that four runs fit in
# one TCG boot of about an hour on a shared 2-core host; the sizes used are printed in the results.
# ARM_GUEST_ASSETS=DIR: the arm64 base guest (default: it/arm-guest/build-guest.sh arm64). The servers and
# the JRE come from it/arm-guest/build-bench-image.sh (a cached derived image). Needs root.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=pi
# shellcheck source=../it/lib/host.sh
. "$HERE/../it/lib/host.sh"
# shellcheck source=../it/arm-guest/lib.sh
. "$HERE/../it/arm-guest/lib.sh"
REPO=$IT_REPO
DEB='' OLD_DEB='' ORDER="edge knfsd ganesha edge" HOG_MIB=512 NAME=''
SEQ_MIB=128 META_FILES=500 SQLITE_TX=300 FIO_SECONDS=15 TAR_FILES=400
while [[ $# -gt 0 ]]; do
  case "$1" in
    --deb) DEB=$(readlink -f "$2"); shift 2 ;;
    --old-deb) OLD_DEB=$(readlink -f "$2"); shift 2 ;;
    --order) ORDER=$2; shift 2 ;;
    --hog-mib) HOG_MIB=$2; shift 2 ;;
    --seq-mib) SEQ_MIB=$2; shift 2 ;;
    --files) META_FILES=$2; shift 2 ;;
    --sqlite-tx) SQLITE_TX=$2; shift 2 ;;
    --fio-seconds) FIO_SECONDS=$2; shift 2 ;;
    --tar-files) TAR_FILES=$2; shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) it_die "unknown option $1" ;;
  esac
done
WORKLOADS=(b_seq b_fio b_meta b_sqlite b_tar)
[[ $(id -u) -eq 0 ]] || it_die "run as root"
for t in qemu-system-aarch64 qemu-system-x86_64 mkfs.ext4 debugfs python3; do command -v "$t" >/dev/null || it_die "missing $t"; done
# shellcheck disable=SC2010
[[ -n "$DEB" ]] || DEB=$(ls -t "$REPO"/packaging/target/edge-nfsd_*_all.deb 2>/dev/null | grep -v '+it2_' | head -1)
[[ -n "$DEB" && -f "$DEB" ]] || it_die "no package: mvn -B package first (or --deb FILE)"
[[ -z "$OLD_DEB" || -f "$OLD_DEB" ]] || it_die "no $OLD_DEB"
KC=$(it_kc_cache)
[[ -f "$KC/root.img" ]] || it_die "kernel-client assets missing: it/kernel-client/build-assets.sh"
ACCEL=tcg CPU=qemu64
[[ -f "$KC/accel" && "$(sed -n 2p "$KC/accel")" == kvm ]] && ACCEL=kvm CPU=host

T0=$SECONDS
BASE=${ARM_GUEST_ASSETS:-}
[[ -n "$BASE" ]] || BASE=$("$REPO/it/arm-guest/build-guest.sh" arm64 | tail -1)
GUEST=$("$REPO/it/arm-guest/build-bench-image.sh" "$BASE" | tail -1) || it_die "bench image failed"
[[ -f "$GUEST/root.img" ]] || it_die "no bench image"
it_log "bench image $GUEST after $((SECONDS - T0)) s: $(tr '\n' ',' <"$GUEST/packages")"

DATE=$(date +%Y-%m-%d)
NAME=${NAME:-$DATE-pi}
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$REPO/benchmarks/results
RAW=$REPO/benchmarks/target/pi-$STAMP
mkdir -p "$OUT" "$RAW"
JOB=$(mktemp -d /tmp/edge-nfsd-pi.XXXXXX)
QPID='' CPID=''
cleanup() {
  [[ -n "$CPID" ]] && kill -KILL "$CPID" 2>/dev/null
  [[ -n "$QPID" ]] && it_stop_pid "$QPID" 5
  cp -a "$JOB"/pi.tsv "$JOB"/logs "$RAW"/ 2>/dev/null
  rm -rf "$JOB"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$JOB/debs" "$JOB/serve"
cp "$DEB" "$JOB/debs/new.deb"
AB=0
if [[ -n "$OLD_DEB" ]]; then cp "$OLD_DEB" "$JOB/debs/old.deb"; AB=1; fi
cp "$HERE/guest/pi-server.sh" "$JOB/guest-job.sh"
printf 'ORDER="%s"\nHOG_MIB=%s\nAB=%s\n' "$ORDER" "$HOG_MIB" "$AB" >"$JOB/config"
arm_guest_disks "$GUEST" "$JOB"
PORT=$(it_free_port)
T1=$SECONDS
arm_guest_boot qemu-system-aarch64 virt cortex-a53 "$GUEST" "$JOB" "$PORT" "$RAW/arm-console.log"
QPID=$ARM_QPID
it_log "arm64 guest qemu $QPID, NFS on 127.0.0.1:$PORT; order: $ORDER"

# One x86 kernel-client boot running the bench workloads against the ARM guest's server.
run_client() {  # N KIND
  local job=$RAW/run$1-$2
  mkdir -p "$job/workloads" "$job/results"
  cp "$REPO/it/kernel-client/guest/guest-init.sh" "$REPO/it/kernel-client/guest/lib.sh" "$job/"
  : >"$job/plan"
  for w in "${WORKLOADS[@]}"; do cp "$HERE/guest/$w.sh" "$job/workloads/"; echo "$w 2400" >>"$job/plan"; done
  printf 'NFS_HOST=10.0.2.2\nNFS_PORT=%s\nSERVER_KIND=%s\n' "$PORT" "$2" >"$job/env"
  printf 'EXP_BENCH=/var/nfs-k8s\nSEQ_MIB=%s\nFIO_SECONDS=%s\nMETA_FILES=%s\nSQLITE_TX=%s\nTAR_FILES=%s\n' \
    "$SEQ_MIB" "$FIO_SECONDS" "$META_FILES" "$SQLITE_TX" "$TAR_FILES" >"$job/bench.env"
  it_client_guest_cmd "$ACCEL" "$CPU" "$job"
  local t0=$SECONDS
  "${IT_QEMU[@]}" </dev/null >"$job/console.log" 2>&1 &
  CPID=$!
  while kill -0 "$CPID" 2>/dev/null; do
    (( SECONDS - t0 > 5400 )) && { it_log "run $1 $2: client over 5400 s, killed"; kill -KILL "$CPID"; }
    kill -0 "$QPID" 2>/dev/null || { it_log "ARM guest gone"; kill -KILL "$CPID"; }
    sleep 2
  done
  wait "$CPID" 2>/dev/null; CPID=
  printf '%s\t%s\tclient_s\t%s\n' "$1" "$2" $((SECONDS - t0)) >>"$RAW/client.tsv"
  for w in "${WORKLOADS[@]}"; do
    rc=$(cat "$job/results/$w/rc" 2>/dev/null || echo none)
    printf '%s\t%s\t%s_rc\t%s\n%s\t%s\t%s_ms\t%s\n' "$1" "$2" "$w" "$rc" "$1" "$2" "$w" "$(cat "$job/results/$w/millis" 2>/dev/null || echo 0)" >>"$RAW/client.tsv"
    [[ $rc == 0 ]] || it_log "run $1 $2: $w failed (rc $rc): $(tail -n 3 "$job/results/$w/output.log" 2>/dev/null | tr '\n' ' ')"
    grep -h '^RESULT ' "$job/results/$w/output.log" 2>/dev/null | awk -v n="$1" -v k="$2" '{ printf "%s\t%s\t%s\t%s\n", n, k, $2, $3 }' >>"$RAW/client.tsv"
  done
  it_log "run $1 $2: client done in $((SECONDS - t0)) s"
}

: >"$RAW/client.tsv"
N=$(wc -w <<<"$ORDER")
next=1
while kill -0 "$QPID" 2>/dev/null; do
  if (( next <= N )) && [[ -f "$JOB/serve/$next.ready" ]]; then
    kind=$(cat "$JOB/serve/$next.ready")
    it_log "run $next: $kind serving in the guest after $((SECONDS - T1)) s"
    run_client "$next" "$kind"
    touch "$JOB/serve/$next.done"
    next=$((next + 1))
  fi
  (( SECONDS - T1 > 3 * 3600 )) && { it_log "over 3 h, killing the ARM guest"; break; }
  sleep 3
done
it_stop_pid "$QPID" 5; QPID=
it_log "ARM guest ran $((SECONDS - T1)) s, total $((SECONDS - T0)) s"
cp -a "$JOB/pi.tsv" "$RAW/pi.tsv" 2>/dev/null || it_die "the guest wrote no pi.tsv (console: $RAW/arm-console.log)"
cp -a "$JOB/logs" "$RAW/" 2>/dev/null
cat "$RAW/pi.tsv" "$RAW/client.tsv" >"$OUT/$NAME.tsv"
python3 "$HERE/guest/pi-report.py" "$OUT/$NAME.tsv" "$DATE" \
  "seq ${SEQ_MIB} MiB, ${META_FILES} files, ${SQLITE_TX} sqlite tx, fio ${FIO_SECONDS} s, tar ${TAR_FILES} files; hog ${HOG_MIB} MiB; order: ${ORDER}; client accel ${ACCEL}; $(tr '\n' ';' <"$GUEST/packages"); deb $(basename "$DEB")" \
  >"$OUT/$NAME.md"
it_log "results: $OUT/$NAME.md (raw: $RAW)"
cat "$OUT/$NAME.md"
