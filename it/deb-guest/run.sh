#!/usr/bin/env bash
# edge-nfsd .deb in a real systemd guest (Debian bookworm under qemu, systemd as PID 1):
#   boot 1: apt-get install ./edge-nfsd_*.deb (the JRE comes through Depends), service active,
#           unit checks, the guest's kernel client mounts 127.0.0.1:/var/nfs-k8s (nfsvers=4.1,hard)
#           and writes, journal shows the "ready: mount with" line; then the guest reboots;
#   boot 2: (same disk) service back, data there, exports edited, upgrade to a newer build keeps
#           the edit, apt-get remove stops it and keeps config and data, apt-get purge removes
#           config and state but not /var/nfs-k8s.
# Usage: it/deb-guest/run.sh [--deb FILE] [--keep]
#   --deb FILE  the package to test (default: the newest packaging/target/edge-nfsd_*_all.deb);
#               the upgrade package is built from the same tree with -Ddeb.version.suffix=+it2
#   --keep      keep the guest disk (logs are always kept)
# Prints PASS/FAIL per step and "deb-guest: N passed, M failed"; exit 0 all passed, 1 a step
# failed, 2 could not run. Logs: target/it-logs/deb-guest-<time>/ (EDGE_NFSD_IT_LOGS moves the root).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
DEB_A=
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --deb) DEB_A=$(readlink -f "$2"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# Per-boot limits (each guest step also has its own timeout inside the guest).
BOOT1_LIMIT=${DEB_GUEST_BOOT1_LIMIT:-2400}
BOOT2_LIMIT=${DEB_GUEST_BOOT2_LIMIT:-2400}
ACCEL=${EDGE_NFSD_IT_ACCEL:-tcg}

log() { printf '[deb-guest %(%H:%M:%S)T] %s\n' -1 "$*"; }
die2() { log "CANNOT RUN: $*"; exit 2; }

[[ $(id -u) -eq 0 ]] || die2 "must run as root"
for t in qemu-system-x86_64 qemu-img dpkg-deb mvn timeout; do
  command -v "$t" >/dev/null || die2 "missing '$t' (apt-get install -y qemu-system-x86 qemu-utils debootstrap e2fsprogs)"
done

if [[ -z "$DEB_A" ]]; then
  # shellcheck disable=SC2010  # newest first, our own version strings only
  DEB_A=$(ls -t "$TOP"/packaging/target/edge-nfsd_*_all.deb 2>/dev/null | grep -v '+it2_' | head -1)
fi
[[ -n "$DEB_A" && -f "$DEB_A" ]] || die2 "no package: run 'mvn -B package' first (or pass --deb FILE)"
VER_A=$(dpkg-deb -f "$DEB_A" Version)

STAMP=$(date +%Y%m%d-%H%M%S)
LOGROOT=${EDGE_NFSD_IT_LOGS:-$TOP/target/it-logs}
LOGS="$LOGROOT/deb-guest-$STAMP-$$"
mkdir -p "$LOGS"
ln -sfn "$(basename "$LOGS")" "$LOGROOT/deb-guest-latest"
JOB=$(mktemp -d /tmp/edge-nfsd-deb-guest.XXXXXX)
QPID=
cleanup() {
  if [[ -n "$QPID" ]] && kill -0 "$QPID" 2>/dev/null; then
    kill -TERM "$QPID" 2>/dev/null; sleep 2; kill -KILL "$QPID" 2>/dev/null
  fi
  [[ -n "$QPID" ]] && wait "$QPID" 2>/dev/null
  cp -a "$JOB"/results.tsv "$JOB"/steps "$JOB"/journal-*.txt "$JOB"/security-*.txt "$JOB"/guest-job.out "$LOGS"/ 2>/dev/null
  if [[ $KEEP -eq 1 ]]; then log "guest disk kept: $JOB/disk.qcow2"; else rm -rf "$JOB"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T0=$SECONDS
mkdir -p "$JOB/debs"
cp "$DEB_A" "$JOB/debs/"
log "package under test: $(basename "$DEB_A") ($VER_A)"

# The upgrade: the same tree packaged again with a higher version.
log "building the upgrade package (mvn -pl packaging -Ddeb.version.suffix=+it2)"
if ! (cd "$TOP" && timeout 600 mvn -B -q package -pl packaging -Ddeb.version.suffix=+it2 \
        -Ddeb.outputDirectory="$JOB/debs" -Ddeb.work="$JOB/debwork") >"$LOGS/upgrade-build.log" 2>&1; then
  tail -20 "$LOGS/upgrade-build.log"; die2 "could not build the upgrade package"
fi
DEB_B=$(ls "$JOB"/debs/edge-nfsd_*+it2_all.deb | head -1)
VER_B=$(dpkg-deb -f "$DEB_B" Version)
dpkg --compare-versions "$VER_B" gt "$VER_A" || die2 "upgrade version $VER_B is not newer than $VER_A"
basename "$DEB_A" >"$JOB/debs/a.name"; echo "$VER_A" >"$JOB/debs/a.version"
basename "$DEB_B" >"$JOB/debs/b.name"; echo "$VER_B" >"$JOB/debs/b.version"

log "guest assets (first build: about 5 minutes)"
GUEST=$(timeout 1800 "$HERE/build-guest.sh" 2> >(tee "$LOGS/build-guest.log" >&2)) || die2 "guest build failed (see $LOGS/build-guest.log)"
GUEST=$(echo "$GUEST" | tail -1)
log "guest: $GUEST (kernel $(cat "$GUEST/kernel-version")), accel $ACCEL"

cp "$HERE/guest-job.sh" "$JOB/guest-job.sh"
# The persistent disk for this run: a copy-on-write overlay of the cached image, used by both boots.
qemu-img create -q -f qcow2 -F raw -b "$GUEST/root.img" "$JOB/disk.qcow2" || die2 "qemu-img failed"

if [[ "$ACCEL" == kvm ]]; then ACCEL_ARGS=(-accel kvm -cpu host); else ACCEL_ARGS=(-accel tcg -cpu qemu64); fi

SHOWN=0
show_new_results() {
  [[ -f "$JOB/results.tsv" ]] || return 0
  local n
  n=$(wc -l <"$JOB/results.tsv")
  if (( n > SHOWN )); then
    tail -n +$((SHOWN + 1)) "$JOB/results.tsv" | head -n $((n - SHOWN)) \
      | awk -F'\t' '{ printf "  %-4s %s/%s (%ss) %s\n", $3, $1, $2, $4, $5 }'
    SHOWN=$n
  fi
}

# boot N LIMIT: one qemu run; returns when the guest reboots/powers off, or kills it at LIMIT seconds.
boot() {
  local n=$1 limit=$2 t0=$SECONDS
  echo "$n" >"$JOB/phase"
  mkdir -p "$LOGS/boot$n"
  log "boot $n (limit ${limit}s)"
  qemu-system-x86_64 "${ACCEL_ARGS[@]}" -smp 1 -m 1024 -display none -no-reboot \
    -kernel "$GUEST/vmlinuz" -initrd "$GUEST/initrd.img" \
    -append "root=/dev/vda rw console=ttyS0 panic=-1 net.ifnames=0 systemd.show_status=1" \
    -drive file="$JOB/disk.qcow2",if=virtio,format=qcow2 \
    -virtfs local,path="$JOB",mount_tag=job,security_model=none,id=job \
    -nic user,model=virtio-net-pci,restrict=on -serial file:"$LOGS/boot$n/console.log" -monitor none &
  QPID=$!
  while kill -0 "$QPID" 2>/dev/null; do
    show_new_results
    if (( SECONDS - t0 > limit )); then
      log "boot $n: limit of ${limit}s reached, killing qemu"
      kill -KILL "$QPID" 2>/dev/null
      break
    fi
    sleep 5
  done
  wait "$QPID" 2>/dev/null
  QPID=
  show_new_results
  log "boot $n ended after $((SECONDS - t0)) s"
}

boot 1 "$BOOT1_LIMIT"
if [[ -f "$JOB/phase1.done" ]]; then
  boot 2 "$BOOT2_LIMIT"
else
  log "boot 1 did not finish: no second boot"
fi

# Every expected step must have reported; a missing one (guest hung, killed) is a failure.
EXPECTED="boot1/systemd_pid1 boot1/install_deb boot1/service_active boot1/unit_verify_security boot1/nfs_mount_write boot1/sandbox_ops
boot1/journal_ready_line boot2/systemd_pid1 boot2/service_back_after_reboot boot2/data_there_after_reboot
boot2/journal_ready_line boot2/edit_exports boot2/upgrade_keeps_config boot2/remove_keeps_config_data
boot2/purge_removes_config_state"
PASSED=0 FAILED=0
echo
echo "deb-guest results ($(basename "$DEB_A") -> $(basename "$DEB_B")):"
for s in $EXPECTED; do
  r=$(awk -F'\t' -v k="$s" '$1 "/" $2 == k { print $3 "\t" $4 "\t" $5 }' "$JOB/results.tsv" 2>/dev/null | tail -1)
  if [[ -z "$r" ]]; then
    printf '  FAIL %s (did not run)\n' "$s"; FAILED=$((FAILED + 1))
  else
    IFS=$'\t' read -r res secs detail <<<"$r"
    printf '  %s %s (%ss) %s\n' "$res" "$s" "$secs" "$detail"
    if [[ "$res" == PASS ]]; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
  fi
done
log "total $((SECONDS - T0)) s; logs in $LOGS"
echo "deb-guest: $PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
