#!/usr/bin/env bash
# Builds, once, the arm64 benchmark guest of benchmarks/pi.sh: a copy of an arm64 guest of
# build-guest.sh with the two anchor servers and the Java runtime installed, into
#   $CACHE/arm64-bench-<hash>/{vmlinuz,initrd.img,root.img,kernel-version,stamp,build-seconds,packages}
# Usage: it/arm-guest/build-bench-image.sh [BASE_ASSET_DIR]   (default: build-guest.sh arm64's output)
# <hash> is a hash of this script and the base's stamp; older bench images are deleted; a lock
# serialises builders. Installed in a chroot under qemu-aarch64-static (binfmt_misc, as build-guest.sh),
# from the host's apt mirror, with a policy-rc.d that starts nothing: nfs-kernel-server, nfs-ganesha,
# nfs-ganesha-vfs (FSAL_VFS) and default-jre-headless (so a benchmark boot installs only the edge-nfsd
# .deb, not 13 min of JRE under TCG). nfs-server.service and nfs-ganesha.service are disabled: all three
# servers want port 2049, the guest job starts one at a time. Prints the asset directory on stdout.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG="arm-guest bench image"
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
CACHE=${EDGE_NFSD_IT_CACHE:-/var/cache/edge-nfsd-it}
PKGS="nfs-kernel-server nfs-ganesha nfs-ganesha-vfs default-jre-headless"
[[ $(id -u) -eq 0 ]] || it_die "must run as root (loop mount, chroot)"
BASE=${1:-}
[[ -n "$BASE" ]] || BASE=$("$HERE/build-guest.sh" arm64 | tail -1)
[[ -f "$BASE/root.img" && -f "$BASE/stamp" ]] || it_die "no arm64 guest in $BASE"
HASH=$( (cat "$HERE/build-bench-image.sh"; cat "$BASE/stamp") | sha256sum | cut -c1-12)
OUT="$CACHE/arm64-bench-$HASH"
exec 8>"$CACHE/.arm64-bench.lock"
flock -w 3600 8 || it_die "could not lock $CACHE/.arm64-bench.lock"
if [[ -f "$OUT/stamp" && -f "$OUT/root.img" ]]; then
  it_log "bench image up to date in $OUT"; echo "$OUT"; exit 0
fi
[[ -e /proc/sys/fs/binfmt_misc/register ]] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
[[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || update-binfmts --enable qemu-aarch64 || it_die "cannot register qemu-aarch64"
INTERP=$(awk '/^interpreter/ { print $2 }' /proc/sys/fs/binfmt_misc/qemu-aarch64)

T0=$SECONDS
WORK="$CACHE/arm64-bench-work"
MNT="$WORK/mnt"
cleanup() {
  for m in dev/pts dev proc sys; do umount -l "$MNT/$m" 2>/dev/null || true; done
  umount "$MNT" 2>/dev/null || true
}
trap cleanup EXIT
cleanup
rm -rf "$WORK"; mkdir -p "$MNT"
cp --sparse=always "$BASE/root.img" "$WORK/root.img"
mount -o loop "$WORK/root.img" "$MNT"
mount -t proc proc "$MNT/proc"; mount -t sysfs sysfs "$MNT/sys"
mount --bind /dev "$MNT/dev"; mount --bind /dev/pts "$MNT/dev/pts"
mkdir -p "$MNT$(dirname "$INTERP")"
cp "$(readlink -f "$INTERP")" "$MNT$INTERP"
printf '#!/bin/sh\nexit 101\n' >"$MNT/usr/sbin/policy-rc.d"; chmod 755 "$MNT/usr/sbin/policy-rc.d"
it_log "apt-get install $PKGS in the arm64 root (qemu-user; the slow part)"
timeout 3000 chroot "$MNT" env DEBIAN_FRONTEND=noninteractive apt-get -q -y install $PKGS >"$WORK/apt.log" 2>&1 \
  || { tail -30 "$WORK/apt.log" >&2; it_die "apt-get install failed (log $WORK/apt.log)"; }
chroot "$MNT" systemctl disable nfs-server.service nfs-ganesha.service >>"$WORK/apt.log" 2>&1 || true
chroot "$MNT" dpkg-query -W -f '${Package} ${Version}\n' nfs-kernel-server nfs-ganesha nfs-ganesha-vfs \
  openjdk-17-jre-headless >"$WORK/packages"
chroot "$MNT" apt-get clean
rm -f "$MNT/usr/sbin/policy-rc.d" "$MNT$INTERP"
cleanup
rm -rf "$OUT.tmp"; mkdir -p "$OUT.tmp"
cp "$BASE/vmlinuz" "$BASE/initrd.img" "$BASE/kernel-version" "$WORK/packages" "$OUT.tmp/"
mv "$WORK/root.img" "$OUT.tmp/root.img"
echo "$HASH" >"$OUT.tmp/stamp"
echo "$((SECONDS - T0))" >"$OUT.tmp/build-seconds"
for old in "$CACHE"/arm64-bench-*; do
  case "$old" in "$OUT"|"$OUT.tmp"|"$WORK") ;; *) [[ -d "$old" ]] && rm -rf "$old" ;; esac
done
mv "$OUT.tmp" "$OUT"
rm -rf "$WORK"
it_log "done in $((SECONDS - T0)) s: $OUT ($(tr '\n' ',' <"$OUT/packages"))"
echo "$OUT"
