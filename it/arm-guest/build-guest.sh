#!/usr/bin/env bash
# Builds, once, the ARM systemd guest for it/arm-guest/run.sh, from Debian packages only, into
#   $CACHE/<arch>-<hash>/{vmlinuz,initrd.img,root.img,kernel-version,stamp}
# Usage: it/arm-guest/build-guest.sh [arm64|armhf]   (default arm64)
# <hash> is a hash of this script and the arch, so a change here builds a new guest; older ones of the
# same arch are deleted. The root is a debootstrap'ed Debian bookworm of that arch (--foreign, its
# second stage run under qemu-user-static through binfmt_misc), with systemd as PID 1, udev, dbus and
# Debian's stock kernel (linux-image-arm64, or linux-image-armmp for armhf) with its own initramfs-tools
# initramfs, made in the chroot. As in it/deb-guest, the Java runtime is NOT installed: apt's lists and
# the .debs that default-jre-headless needs are left in the image's apt cache, so that the guest's
# "apt-get install ./edge-nfsd_*.deb" resolves the JRE through the package's Depends with no network.
# The kernel and its modules are unpacked in the guest root only (never installed on the host).
# Prints the asset directory on stdout. Needs root, debootstrap, qemu-user-static, binfmt-support,
# e2fsprogs (mkfs.ext4 -d).
set -euo pipefail

ARCH=${1:-arm64}
case "$ARCH" in
  arm64) QARCH=aarch64 KPKG=linux-image-arm64 ;;
  armhf) QARCH=arm KPKG=linux-image-armmp ;;
  *) echo "build-guest.sh: arch must be arm64 or armhf" >&2; exit 2 ;;
esac
CACHE=${EDGE_NFSD_IT_CACHE:-/var/cache/edge-nfsd-it}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG="arm-guest build $ARCH"
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
HASH=$( (cat "$HERE/build-guest.sh"; echo "$ARCH"; declare -f it_mirror) | sha256sum | cut -c1-12)
OUT="$CACHE/$ARCH-$HASH"

[[ $(id -u) -eq 0 ]] || it_die "must run as root (debootstrap, chroot, binfmt_misc)"
for t in debootstrap mkfs.ext4 chroot sha256sum mount "qemu-$QARCH-static" update-binfmts; do
  command -v "$t" >/dev/null || it_die "missing '$t' (apt-get install -y debootstrap e2fsprogs qemu-user-static binfmt-support)"
done

mkdir -p "$CACHE"
exec 8>"$CACHE/.$ARCH-guest.lock"
flock -w 3600 8 || it_die "could not lock $CACHE/.$ARCH-guest.lock"

if [[ -f "$OUT/stamp" && -f "$OUT/root.img" && -f "$OUT/vmlinuz" && -f "$OUT/initrd.img" ]]; then
  it_log "guest up to date in $OUT"
  echo "$OUT"
  exit 0
fi

# The second stage runs the guest's own binaries: the kernel must hand them to qemu-user.
if [[ ! -e /proc/sys/fs/binfmt_misc/register ]]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || it_die "cannot mount binfmt_misc"
fi
if [[ ! -e /proc/sys/fs/binfmt_misc/qemu-$QARCH ]]; then
  update-binfmts --enable "qemu-$QARCH" || it_die "cannot register qemu-$QARCH with binfmt_misc"
fi
# Without the F flag the kernel looks the interpreter up inside the chroot: it must be there too.
INTERP=$(awk '/^interpreter/ { print $2 }' "/proc/sys/fs/binfmt_misc/qemu-$QARCH")
[[ -n "$INTERP" ]] || it_die "qemu-$QARCH has no interpreter in binfmt_misc"

MIRROR=$(it_mirror)
SECURITY=${EDGE_NFSD_IT_SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}

T0=$SECONDS
WORK="$CACHE/$ARCH-guest-work"
ROOT="$WORK/root"
cleanup() {
  for m in dev/pts dev proc sys; do umount -l "$ROOT/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
rm -rf "$WORK"
mkdir -p "$WORK"

INCLUDE=systemd,systemd-sysv,udev,dbus,$KPKG,initramfs-tools,kmod,procps,iproute2,util-linux,ca-certificates
it_log "debootstrap --foreign --arch=$ARCH bookworm from $MIRROR"
timeout 2400 debootstrap --foreign --arch="$ARCH" --variant=minbase --include="$INCLUDE" bookworm "$ROOT" "$MIRROR" \
  >"$WORK/debootstrap.log" 2>&1 || { tail -40 "$WORK/debootstrap.log" >&2; it_die "debootstrap (first stage) failed"; }
mkdir -p "$ROOT$(dirname "$INTERP")"
cp "$(readlink -f "$INTERP")" "$ROOT$INTERP"
it_log "debootstrap second stage under qemu-$QARCH (user mode; the slow part)"
timeout 3600 chroot "$ROOT" /debootstrap/debootstrap --second-stage >>"$WORK/debootstrap.log" 2>&1 \
  || { tail -40 "$WORK/debootstrap.log" >&2; it_die "debootstrap (second stage) failed"; }
it_log "second stage done after $((SECONDS - T0)) s"

cat >"$ROOT/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY bookworm-security main
SRC
mount -t proc proc "$ROOT/proc"
mount -t sysfs sysfs "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"
it_log "apt-get update and upgrade in the guest root; download (only) the Java runtime"
chroot "$ROOT" apt-get -q update >"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log" >&2; it_die "apt-get update failed"; }
chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get -q -y upgrade >>"$WORK/apt.log" 2>&1 \
  || { tail -20 "$WORK/apt.log" >&2; it_die "apt-get upgrade failed"; }
# What edge-nfsd's Depends pull on bookworm: default-jre-headless -> openjdk-17-jre-headless and friends.
chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get -q -y --download-only install default-jre-headless \
  >>"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log" >&2; it_die "download of the Java runtime failed"; }
ls "$ROOT"/var/cache/apt/archives/openjdk-17-jre-headless_*_"$ARCH".deb >/dev/null 2>&1 \
  || it_die "openjdk-17-jre-headless ($ARCH) was not downloaded"
chroot "$ROOT" dpkg -s openjdk-17-jre-headless >/dev/null 2>&1 && it_die "the JRE must not be preinstalled"
cleanup
rm -f "$ROOT$INTERP"

KVER=$(ls "$ROOT/lib/modules" | sort -V | tail -1)
[[ -f "$ROOT/boot/vmlinuz-$KVER" && -f "$ROOT/boot/initrd.img-$KVER" ]] || it_die "no kernel/initramfs in the root"

# Boot and test plumbing (as it/deb-guest): root on /dev/vda, the run's job directory over 9p on /job,
# the SD-card disk (/dev/vdb, made by run.sh) holding the export and the state directory, a unit that
# runs /job/guest-job.sh once the system is up, no login (serial console logs only). Device timeouts of
# 900 s and nofail on the binds: under TCG udev in the real root starts after a 60 s timeout for
# /dev/vdb has expired, and the first boot (2026-12-03) went to emergency mode; the job unit's
# RequiresMountsFor still fails the run if the binds are missing.
echo armguest >"$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tarmguest\n' >"$ROOT/etc/hosts"
cat >"$ROOT/etc/fstab" <<'FSTAB'
/dev/vda  /     ext4  errors=remount-ro  0 1
job       /job  9p    trans=virtio,version=9p2000.L,msize=262144,cache=none,nofail,x-systemd.device-timeout=30s  0 0
/dev/vdb  /sd   ext4  nofail,x-systemd.device-timeout=900s  0 2
/sd/nfs-k8s     /var/nfs-k8s       none  bind,nofail,x-systemd.requires-mounts-for=/sd  0 0
/sd/edge-nfsd   /var/lib/edge-nfsd none  bind,nofail,x-systemd.requires-mounts-for=/sd  0 0
FSTAB
mkdir -p "$ROOT/job" "$ROOT/sd" "$ROOT/var/nfs-k8s" "$ROOT/var/lib/edge-nfsd"
printf '9p\n9pnet_virtio\n' >"$ROOT/etc/modules-load.d/arm-guest.conf"
cat >"$ROOT/etc/systemd/system/arm-guest-job.service" <<'UNIT'
[Unit]
Description=edge-nfsd arm-guest test job (/job/guest-job.sh)
After=multi-user.target job.mount
RequiresMountsFor=/job /var/nfs-k8s /var/lib/edge-nfsd
ConditionPathExists=/job/guest-job.sh

[Service]
Type=oneshot
ExecStart=/bin/bash /job/guest-job.sh
StandardOutput=append:/job/guest-job.out
StandardError=append:/job/guest-job.out
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/arm-guest-job.service "$ROOT/etc/systemd/system/multi-user.target.wants/arm-guest-job.service"
cat >"$ROOT/etc/systemd/network/20-eth0.network" <<'NET'
[Match]
Name=eth0

[Network]
DHCP=ipv4
NET
chroot "$ROOT" systemctl enable systemd-networkd.service systemd-networkd-wait-online.service >/dev/null 2>&1 \
  || it_die "cannot enable systemd-networkd"
chroot "$ROOT" systemctl mask serial-getty@ttyAMA0.service getty@tty1.service >/dev/null 2>&1 || true
: >"$ROOT/etc/machine-id"
rm -f "$ROOT/var/lib/dbus/machine-id"
rm -rf "$ROOT"/usr/share/doc/*/changelog* "$ROOT"/usr/share/locale/* "$ROOT"/usr/share/man/*

SIZE_MB=$(( $(du -sm "$ROOT" | cut -f1) + 1200 ))
it_log "root: $(du -sm "$ROOT" | cut -f1) MiB -> ext4 image of $SIZE_MB MiB"
mkfs.ext4 -q -F -L armguest -d "$ROOT" "$WORK/root.img" "${SIZE_MB}M"

rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp"
cp "$ROOT/boot/vmlinuz-$KVER" "$OUT.tmp/vmlinuz"
cp "$ROOT/boot/initrd.img-$KVER" "$OUT.tmp/initrd.img"
mv "$WORK/root.img" "$OUT.tmp/root.img"
echo "$KVER" >"$OUT.tmp/kernel-version"
echo "$HASH" >"$OUT.tmp/stamp"
echo "$((SECONDS - T0))" >"$OUT.tmp/build-seconds"
for old in "$CACHE/$ARCH"-*; do
  case "$old" in "$OUT"|"$OUT.tmp"|"$WORK") ;; *) [[ -d "$old" ]] && rm -rf "$old" ;; esac
done
mv "$OUT.tmp" "$OUT"
rm -rf "$WORK"
it_log "done in $((SECONDS - T0)) s: $OUT (kernel $KVER)"
echo "$OUT"
