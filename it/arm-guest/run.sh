#!/usr/bin/env bash
# edge-nfsd .deb in an ARM systemd guest (Debian bookworm, TCG, -smp 1 -m 1024): arm64 is
# qemu-system-aarch64 -M virt -cpu cortex-a53 (Pi 3/4 class), armhf qemu-system-arm -M virt -cpu cortex-a15
# (Raspberry Pi OS 32-bit class). A memory hog (512 MiB on arm64, none on armhf unless ARM_GUEST_HOG_MIB),
# apt-get install ./edge-nfsd_*.deb (JRE through Depends), the service READY (start-to-READY from
# systemd's timestamps), idle RSS, no OOM and no restart, then start-to-READY without and with the
# class-data sharing archive the postinst made (cds_ab).
# Usage: it/arm-guest/run.sh [--arch arm64|armhf] [--deb FILE]. Exit 0 all passed, 1 a step failed, 2
# could not run. ARM_GUEST_ASSETS=DIR boots an already built asset directory instead of build-guest.sh's.
# Then the x86 kernel-client guest (it/kernel-client/run.sh --server external) mounts the guest's
# /var/nfs-k8s through qemu's hostfwd on a free 127.0.0.1 port (nfsvers=4.1,hard) and runs basic_ops,
# perms and sqlite on arm64, basic_ops on armhf (ARM_GUEST_WORKLOADS overrides).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
LOG_TAG=arm-guest
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
DEB='' ARCH=arm64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --deb) DEB=$(readlink -f "$2"); shift 2 ;;
    --arch) ARCH=$2; shift 2 ;;
    *) it_die "unknown argument: $1" ;;
  esac
done
case "$ARCH" in
  arm64) QEMU=qemu-system-aarch64 MACHINE=virt CPU=cortex-a53 HOG_MIB=${ARM_GUEST_HOG_MIB:-512} WORKLOADS=${ARM_GUEST_WORKLOADS:-basic_ops perms sqlite} ;;
  armhf) QEMU=qemu-system-arm MACHINE=virt,highmem=off CPU=cortex-a15 HOG_MIB=${ARM_GUEST_HOG_MIB:-0} WORKLOADS=${ARM_GUEST_WORKLOADS:-basic_ops} ;;
  *) it_die "--arch must be arm64 or armhf" ;;
esac
# armhf: highmem=off, since the armmp kernel has no LPAE and cannot reach virt's PCIe ECAM above 4 GiB
# (first armhf boot, 2026-12-03: "pci-host-generic: can't claim ECAM area", no /dev/vda).
LIMIT=${ARM_GUEST_LIMIT:-3600}
# The postinst's AppCDS dump under TCG needs more than the 180 s a real board gets (ARM_GUEST_CDS_SECONDS,
# 0: no archive); cds_ab then restarts the service ARM_GUEST_CDS_ROUNDS times without and with it.
CDS_SECONDS=${ARM_GUEST_CDS_SECONDS:-900} CDS_ROUNDS=${ARM_GUEST_CDS_ROUNDS:-2}
[[ $CDS_SECONDS == 0 ]] && CDS_ROUNDS=0
[[ $(id -u) -eq 0 ]] || it_die "must run as root"
for t in "$QEMU" debugfs mkfs.ext4; do command -v "$t" >/dev/null || it_die "missing $t"; done
# shellcheck disable=SC2010
[[ -n "$DEB" ]] || DEB=$(ls -t "$TOP"/packaging/target/edge-nfsd_*_all.deb 2>/dev/null | grep -v '+it2_' | head -1)
[[ -n "$DEB" && -f "$DEB" ]] || it_die "no package: mvn -B package first (or --deb FILE)"
LOGS=${EDGE_NFSD_IT_LOGS:-$TOP/target/it-logs}/arm-guest-$ARCH-$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$LOGS"
JOB=$(mktemp -d /tmp/edge-nfsd-arm-guest.XXXXXX)
QPID=
cleanup() {
  [[ -n "$QPID" ]] && it_stop_pid "$QPID" 5
  cp -a "$JOB"/results.tsv "$JOB"/steps "$JOB"/*.txt "$JOB"/guest-job.out "$LOGS"/ 2>/dev/null
  rm -rf "$JOB"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
T0=$SECONDS
if [[ -n "${ARM_GUEST_ASSETS:-}" ]]; then
  GUEST=$ARM_GUEST_ASSETS
  [[ -f "$GUEST/root.img" && -f "$GUEST/vmlinuz" && -f "$GUEST/initrd.img" ]] || it_die "no guest assets in $GUEST"
else
  GUEST=$("$HERE/build-guest.sh" "$ARCH" 2> >(tee "$LOGS/build-guest.log" >&2)) || it_die "guest build failed"
  GUEST=$(echo "$GUEST" | tail -1)
fi
it_log "assets ready after $((SECONDS - T0)) s: $GUEST"
mkdir -p "$JOB/debs"; cp "$DEB" "$JOB/debs/"; basename "$DEB" >"$JOB/debs/a.name"
cp "$HERE/guest-job.sh" "$JOB/"
printf 'HOG_MIB=%s\nCDS_SECONDS=%s\nCDS_ROUNDS=%s\n' "$HOG_MIB" "$CDS_SECONDS" "$CDS_ROUNDS" >"$JOB/config"
arm_guest_disks "$GUEST" "$JOB"
PORT=$(it_free_port)
T1=$SECONDS
arm_guest_boot "$QEMU" "$MACHINE" "$CPU" "$GUEST" "$JOB" "$PORT" "$LOGS/console.log"
QPID=$ARM_QPID
it_log "qemu pid $QPID, guest NFS on 127.0.0.1:$PORT, limit ${LIMIT}s"
SHOWN=0 KC_PID='' KC_RC='' 
while kill -0 "$QPID" 2>/dev/null; do
  if [[ -z "$KC_PID" && -z "$KC_RC" && -f "$JOB/server.ready" ]]; then
    it_log "server READY in the guest: kernel client on 127.0.0.1:$PORT, workloads $WORKLOADS"
    # shellcheck disable=SC2086  # a list of workload names
    ARM_GUEST_JOB=$JOB EDGE_NFSD_IT_HOST_CHECK=$HERE/host-check.sh EDGE_NFSD_IT_RUN_DIR=$LOGS/kernel-client \
      "$HERE/../kernel-client/run.sh" --server external --port "$PORT" --export /var/nfs-k8s $WORKLOADS \
      >"$LOGS/kernel-client.log" 2>&1 &
    KC_PID=$!
  fi
  if [[ -n "$KC_PID" ]] && ! kill -0 "$KC_PID" 2>/dev/null; then
    wait "$KC_PID"; KC_RC=$?; KC_PID=''
    it_log "kernel client exited $KC_RC"; touch "$JOB/client.done"
  fi
  if [[ -f "$JOB/results.tsv" ]] && (( $(wc -l <"$JOB/results.tsv") > SHOWN )); then
    tail -n +$((SHOWN + 1)) "$JOB/results.tsv"; SHOWN=$(wc -l <"$JOB/results.tsv")
  fi
  (( SECONDS - T1 > LIMIT )) && { it_log "limit reached, killing qemu"; break; }
  sleep 5
done
it_stop_pid "$QPID" 5; QPID=
[[ -n "$KC_PID" ]] && it_stop_pid "$KC_PID" 10
it_log "guest ran $((SECONDS - T1)) s, total $((SECONDS - T0)) s, logs in $LOGS"
FAILED=0
STEPS="systemd_pid1 memory_hog install_deb service_ready exports_insecure kernel_client no_oom cds_ab"
[[ $CDS_ROUNDS -gt 0 ]] || STEPS=${STEPS/ cds_ab/}
[[ $HOG_MIB -gt 0 ]] || STEPS=${STEPS/ memory_hog/}
for s in $STEPS; do
  r=$(awk -F'\t' -v k="$s" '$1 == k' "$JOB/results.tsv" 2>/dev/null | tail -1)
  if [[ -z "$r" ]]; then echo "  FAIL $s (did not run)"; FAILED=$((FAILED + 1)); continue; fi
  echo "  $r" | tr '\t' ' '
  [[ "$r" == *$'\t'PASS$'\t'* ]] || FAILED=$((FAILED + 1))
done
for w in $WORKLOADS; do
  r=$(awk -F'\t' -v k="$w" '$1 == k { print $1 " " $2 " " $4 " ms" }' "$LOGS/kernel-client/summary.tsv" 2>/dev/null)
  [[ -n "$r" ]] || r="$w FAIL (did not run)"
  echo "  client $r"
  [[ "$r" == "$w PASS "* ]] || FAILED=$((FAILED + 1))
done
echo "arm-guest $ARCH: $FAILED failed"
[[ $FAILED -eq 0 ]]
