#!/usr/bin/env bash
# Builds, once, the root image of the power-cut harness's SERVER guest, from Debian packages only:
#   $CACHE/root.img   ext4 image of a debootstrap'ed bookworm root with Debian's openjdk-17-jre-headless,
#                     nfs-kernel-server (the reference) and the kernel modules the server side needs
#                     (virtio_net, nfsd), matching the kernel-client harness's kernel
#   $CACHE/stamp      hash of this script + the kernel version; a mismatch rebuilds
# CACHE is $EDGE_NFSD_IT_CACHE/server-guest (default /var/cache/edge-nfsd-it/server-guest). The kernel and
# the busybox initramfs are the kernel-client harness's (it/kernel-client/build-assets.sh, run first);
# nothing here changes them. Idempotent: a second run finds the stamp and returns at once.
# Needs root, debootstrap, e2fsprogs (mkfs.ext4 -d), apt-get.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=server-guest-assets
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
KC=$(it_kc_cache)
CACHE=$IT_CACHE_ROOT/server-guest
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

[[ $(id -u) -eq 0 ]] || it_die "must run as root (debootstrap, mkfs.ext4 -d with ownership)"
for t in debootstrap mkfs.ext4 dpkg-deb apt-get depmod chroot; do
  command -v "$t" >/dev/null || it_die "missing tool '$t' (apt-get install -y debootstrap e2fsprogs kmod)"
done
"$HERE/../kernel-client/build-assets.sh" || it_die "kernel-client assets (kernel, initramfs) failed"
KVER=$(cat "$KC/kernel-version")
STAMP="$(sha256sum "$HERE/build-assets.sh" | cut -c1-16)-$KVER"

if it_assets_current "$CACHE" "$STAMP" "$FORCE" root.img; then
  it_log "assets up to date in $CACHE"
  exit 0
fi

T0=$SECONDS
WORK="$CACHE/work"
rm -rf "$WORK"
mkdir -p "$WORK/debs"
MIRROR=$(it_mirror)
it_log "mirror: $MIRROR, kernel $KVER"

# The kernel-client guest root only carries the client's modules; the server needs nfsd too.
(cd "$WORK/debs" && timeout 900 apt-get download -q "linux-image-$KVER" >/dev/null 2>"$WORK/apt-download.err") \
  || { cat "$WORK/apt-download.err" >&2; it_die "apt-get download linux-image-$KVER failed (apt-get update?)"; }
mkdir -p "$WORK/k"
dpkg-deb -x "$WORK"/debs/linux-image-*.deb "$WORK/k"
MODDIR="$WORK/k/lib/modules/$KVER"
depmod -b "$WORK/k" "$KVER"

INCLUDE=openjdk-17-jre-headless,nfs-kernel-server,rpcbind,e2fsprogs,iproute2,procps,kmod,util-linux,coreutils
DB=$(it_debootstrap_cached "$CACHE" "$INCLUDE" "$MIRROR" "$WORK/debootstrap.log")
ROOT="$WORK/root"
cp -a "$DB" "$ROOT"
rm -f "$ROOT/.complete"
for b in java rpc.nfsd exportfs rpc.mountd rpcbind ip mkfs.ext4; do
  chroot "$ROOT" sh -c "command -v $b" >/dev/null || it_die "server guest root lacks $b"
done
echo srvguest >"$ROOT/etc/hostname"
mkdir -p "$ROOT/job" "$ROOT/data" "$ROOT/var/nfs-k8s" "$ROOT/var/lib/edge-nfsd"
rm -rf "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/locale/* "$ROOT"/var/log/*.log

it_install_modules "$MODDIR" "$ROOT" "$KVER" virtio_pci virtio_blk ext4 9pnet_virtio 9p virtio_net af_packet virtio_rng nfsd

SIZE_MB=$(( $(du -sm "$ROOT" | cut -f1) * 5 / 4 + 256 ))
it_log "root: $(du -sm "$ROOT" | cut -f1) MiB -> ext4 image of $SIZE_MB MiB"
mkfs.ext4 -q -F -L srvroot -d "$ROOT" "$WORK/root.img" "${SIZE_MB}M"
mv -f "$WORK/root.img" "$CACHE/root.img"
echo "$STAMP" >"$CACHE/stamp"
rm -rf "$WORK"
it_log "done in $((SECONDS - T0)) s: $CACHE/root.img"
