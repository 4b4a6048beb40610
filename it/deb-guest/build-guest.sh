#!/usr/bin/env bash
# Builds, once, the systemd guest for it/deb-guest/run.sh, from Debian packages only, into
#   $CACHE/deb-guest-<hash>/{vmlinuz,initrd.img,root.img,kernel-version,stamp}
# <hash> is a hash of this script, so a change here builds a new guest; older ones are deleted.
# The root is a debootstrap'ed Debian bookworm (systemd as PID 1, the stock linux-image-amd64 kernel and
# its initramfs, nfs-common, apt, man-db). Debian's Java runtime is NOT installed: its packages (and
# apt's package lists) are only downloaded into the image's apt cache, so that in the guest
# "apt-get install ./edge-nfsd_*.deb" resolves the JRE through the package's Depends exactly as on a
# user's machine, without network access from the emulated guest.
# Prints the asset directory on stdout. Needs root, debootstrap, e2fsprogs (mkfs.ext4 -d).
set -euo pipefail

CACHE=${EDGE_NFSD_IT_CACHE:-/var/cache/edge-nfsd-it}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG="deb-guest build"
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
HASH=$( (cat "$HERE/build-guest.sh"; declare -f it_mirror) | sha256sum | cut -c1-12)
OUT="$CACHE/deb-guest-$HASH"


[[ $(id -u) -eq 0 ]] || it_die "must run as root (debootstrap, chroot)"
for t in debootstrap mkfs.ext4 chroot sha256sum mount; do
  command -v "$t" >/dev/null || it_die "missing '$t' (apt-get install -y debootstrap e2fsprogs)"
done

mkdir -p "$CACHE"
exec 8>"$CACHE/.deb-guest.lock"
flock -w 3600 8 || it_die "could not lock $CACHE/.deb-guest.lock"

if [[ -f "$OUT/stamp" && -f "$OUT/root.img" && -f "$OUT/vmlinuz" && -f "$OUT/initrd.img" ]]; then
  it_log "guest up to date in $OUT"
  echo "$OUT"
  exit 0
fi

MIRROR=$(it_mirror)
SECURITY=${EDGE_NFSD_IT_SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}

T0=$SECONDS
WORK="$CACHE/deb-guest-work"
ROOT="$WORK/root"
cleanup() {
  for m in dev/pts dev proc sys; do umount -l "$ROOT/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
rm -rf "$WORK"
mkdir -p "$WORK"

INCLUDE=systemd,systemd-sysv,udev,dbus,linux-image-amd64,initramfs-tools,nfs-common,kmod,procps,iproute2,man-db,util-linux,ca-certificates
it_log "debootstrap bookworm from $MIRROR (about 3 minutes)"
debootstrap --variant=minbase --include="$INCLUDE" bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -40 "$WORK/debootstrap.log" >&2; it_die "debootstrap failed"; }

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
ls "$ROOT"/var/cache/apt/archives/openjdk-17-jre-headless_*.deb >/dev/null 2>&1 || it_die "openjdk-17-jre-headless was not downloaded"
chroot "$ROOT" dpkg -s openjdk-17-jre-headless >/dev/null 2>&1 && it_die "the JRE must not be preinstalled"
cleanup

KVER=$(ls "$ROOT/lib/modules" | sort -V | tail -1)
[[ -f "$ROOT/boot/vmlinuz-$KVER" && -f "$ROOT/boot/initrd.img-$KVER" ]] || it_die "no kernel/initramfs in the root"

# Boot and test plumbing: root on /dev/vda, the run's job directory over 9p on /job, a unit that runs
# /job/guest-job.sh once the system is up, no login needed (serial console logs only).
echo debguest >"$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebguest\n' >"$ROOT/etc/hosts"
cat >"$ROOT/etc/fstab" <<'FSTAB'
/dev/vda  /     ext4  errors=remount-ro  0 1
job       /job  9p    trans=virtio,version=9p2000.L,msize=262144,cache=none,nofail,x-systemd.device-timeout=30s  0 0
FSTAB
mkdir -p "$ROOT/job" "$ROOT/mnt/nfs"
printf '9p\n9pnet_virtio\nnfsv4\n' >"$ROOT/etc/modules-load.d/deb-guest.conf"
cat >"$ROOT/etc/systemd/system/deb-guest-job.service" <<'UNIT'
[Unit]
Description=edge-nfsd deb-guest test job (/job/guest-job.sh)
After=multi-user.target job.mount
RequiresMountsFor=/job
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
ln -sf /etc/systemd/system/deb-guest-job.service "$ROOT/etc/systemd/system/multi-user.target.wants/deb-guest-job.service"
# Networking as on a user's machine: systemd-networkd configures eth0 by DHCP (qemu's user-mode network,
# isolated from the host and the outside with restrict=on), so network-online.target means something
# and the server's "ready" line names the guest's address.
cat >"$ROOT/etc/systemd/network/20-eth0.network" <<'NET'
[Match]
Name=eth0

[Network]
DHCP=ipv4
NET
chroot "$ROOT" systemctl enable systemd-networkd.service systemd-networkd-wait-online.service >/dev/null 2>&1 \
  || it_die "cannot enable systemd-networkd"
# No getty on the serial console: nobody logs in, and its output would mix with the console log.
chroot "$ROOT" systemctl mask serial-getty@ttyS0.service getty@tty1.service >/dev/null 2>&1 || true
# A machine-id is made on first boot; the same image then boots twice in one run (a real reboot).
: >"$ROOT/etc/machine-id"
rm -f "$ROOT/var/lib/dbus/machine-id"
rm -rf "$ROOT"/usr/share/doc/*/changelog* "$ROOT"/usr/share/locale/*

SIZE_MB=$(( $(du -sm "$ROOT" | cut -f1) + 1200 ))
it_log "root: $(du -sm "$ROOT" | cut -f1) MiB -> ext4 image of $SIZE_MB MiB"
mkfs.ext4 -q -F -L debguest -d "$ROOT" "$WORK/root.img" "${SIZE_MB}M"

rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp"
cp "$ROOT/boot/vmlinuz-$KVER" "$OUT.tmp/vmlinuz"
cp "$ROOT/boot/initrd.img-$KVER" "$OUT.tmp/initrd.img"
mv "$WORK/root.img" "$OUT.tmp/root.img"
echo "$KVER" >"$OUT.tmp/kernel-version"
echo "$HASH" >"$OUT.tmp/stamp"
for old in "$CACHE"/deb-guest-*; do
  case "$old" in "$OUT"|"$OUT.tmp"|"$WORK"|*.lock) ;; *) [[ -d "$old" ]] && rm -rf "$old" ;; esac
done
mv "$OUT.tmp" "$OUT"
rm -rf "$WORK"
it_log "done in $((SECONDS - T0)) s: $OUT (kernel $KVER)"
echo "$OUT"
