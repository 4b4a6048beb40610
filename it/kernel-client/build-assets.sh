#!/usr/bin/env bash
# Builds the guest assets for the kernel-client harness, from Debian packages only:
#   $CACHE/vmlinuz      the Debian linux-image-*-amd64 kernel (dpkg-deb -x, never installed on the host)
#   $CACHE/initrd.img   a tiny busybox initramfs: loads virtio/ext4/9p modules, mounts the root, switch_root
#   $CACHE/root.img     ext4 image of a debootstrap'ed bookworm root (nfs-common, sqlite3, fio, python3, ...)
#   $CACHE/stamp        hash of this script; run.sh rebuilds when it does not match
#   $CACHE/vmlinux      the uncompressed ELF kernel (PVH boot), when it can be extracted
# CACHE is $EDGE_NFSD_IT_CACHE/kernel-client, by default /var/cache/edge-nfsd-it/kernel-client (outside the
# source tree).
# Needs root, debootstrap, cpio, e2fsprogs (mkfs.ext4 -d), apt-get.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=build-assets
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
CACHE=$(it_kc_cache)   # own subdirectory: the cache root is shared
# the recipe: this script and the shared helpers it uses (not the rest of the library)
STAMP=$( (cat "$HERE/build-assets.sh"; declare -f it_assets_current it_mirror it_mod_closure it_debootstrap_cached it_install_modules) | sha256sum | cut -c1-16)
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1


[[ $(id -u) -eq 0 ]] || it_die "must run as root (debootstrap, mkfs.ext4 -d with ownership)"
for t in debootstrap cpio mkfs.ext4 dpkg-deb apt-get apt-cache gzip; do
  command -v "$t" >/dev/null || it_die "missing tool '$t' (apt-get install -y debootstrap cpio e2fsprogs)"
done

if it_assets_current "$CACHE" "$STAMP" "$FORCE" vmlinuz initrd.img root.img; then
  it_log "assets up to date in $CACHE"
  exit 0
fi

T0=$SECONDS
WORK="$CACHE/work"
rm -rf "$WORK"
mkdir -p "$WORK/debs"
cd "$WORK/debs"

MIRROR=$(it_mirror)
it_log "mirror: $MIRROR"

# ---- kernel ---------------------------------------------------------------------------------------
KPKG=${EDGE_NFSD_IT_KERNEL_PKG:-$(apt-cache depends linux-image-amd64 2>/dev/null \
       | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')}
[[ -n "$KPKG" ]] || it_die "cannot resolve linux-image-amd64 (run apt-get update)"
it_log "downloading $KPKG and busybox-static"
timeout 900 apt-get download -q "$KPKG" busybox-static >/dev/null 2>"$WORK/apt-download.err" \
  || { cat "$WORK/apt-download.err" >&2; it_die "apt-get download failed"; }
mkdir -p "$WORK/k" "$WORK/bb"
dpkg-deb -x ./linux-image-*.deb "$WORK/k"
dpkg-deb -x ./busybox-static_*.deb "$WORK/bb"
KVER=$(ls "$WORK/k/lib/modules" | head -1)
[[ -n "$KVER" && -f "$WORK/k/boot/vmlinuz-$KVER" ]] || it_die "kernel package has no vmlinuz"
MODDIR="$WORK/k/lib/modules/$KVER"
command -v depmod >/dev/null || it_die "missing depmod (apt-get install -y kmod)"
depmod -b "$WORK/k" "$KVER" || it_die "depmod on the extracted kernel failed"
it_log "kernel $KVER"

# ---- initramfs ------------------------------------------------------------------------------------
BOOT_MODS="virtio_pci virtio_blk crc32c_generic ext4 9pnet_virtio 9p"
IR="$WORK/initramfs"
mkdir -p "$IR/bin" "$IR/mods" "$IR/proc" "$IR/sys" "$IR/dev" "$IR/newroot"
cp "$WORK/bb/bin/busybox" "$IR/bin/busybox"
for a in sh mount umount insmod mkdir sleep cat echo switch_root reboot ls; do ln -s busybox "$IR/bin/$a"; done
: >"$IR/mods/order"
while read -r rel; do
  [[ -n "$rel" ]] || continue
  [[ "$rel" != CLOSURE-FAILED ]] || { echo "$rel" >>"$IR/mods/order"; continue; }
  base=$(basename "$rel"); base=${base%.xz}; base=${base%.zst}
  case "$rel" in
    *.xz)  xz -dc "$MODDIR/$rel" >"$IR/mods/$base" ;;
    *.zst) zstd -qdc "$MODDIR/$rel" >"$IR/mods/$base" ;;
    *)     cp "$MODDIR/$rel" "$IR/mods/$base" ;;
  esac
  echo "$base" >>"$IR/mods/order"
done < <(it_mod_closure "$MODDIR" $BOOT_MODS || echo "CLOSURE-FAILED")
grep -q CLOSURE-FAILED "$IR/mods/order" && it_die "module closure failed"
cat >"$IR/init" <<'EOF'
#!/bin/sh
# edge-nfsd kernel-client harness: stage 1 (initramfs)
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /mods/order); do insmod /mods/$m 2>/dev/null || echo "initramfs: insmod $m failed"; done
if grep -q 'it.probe=1' /proc/cmdline; then
  echo "IT-PROBE-OK"
  reboot -f
fi
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
mount -t ext4 -o rw /dev/vda /newroot || { echo "IT-FATAL: cannot mount root"; reboot -f; }
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none job /newroot/job \
  || { echo "IT-FATAL: cannot mount 9p job share"; reboot -f; }
umount /proc /sys
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /bin/bash /job/guest-init.sh
EOF
chmod 755 "$IR/init"
(cd "$IR" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initrd.img"
it_log "initramfs: $(wc -l <"$IR/mods/order") modules, $(du -k "$WORK/initrd.img" | cut -f1) KiB"

# ---- guest root -----------------------------------------------------------------------------------
INCLUDE=nfs-common,sqlite3,fio,python3,util-linux,coreutils,tar,diffutils,kmod,iproute2,procps,findutils,xz-utils
# The debootstrap tree is kept (keyed by the package list) so a change elsewhere in this recipe does not
# download everything again.
DB=$(it_debootstrap_cached "$CACHE" "$INCLUDE" "$MIRROR" "$WORK/debootstrap.log")
ROOT="$WORK/root"
it_log "copying root"
cp -a "$DB" "$ROOT"
rm -f "$ROOT/.complete"
for b in sqlite3 fio python3 flock mount.nfs setpriv modprobe ip diff tar; do
  chroot "$ROOT" sh -c "command -v $b" >/dev/null || it_die "guest root lacks $b"
done
chroot "$ROOT" useradd -m -u 1000 -U -s /bin/bash tester
chroot "$ROOT" useradd -m -u 1001 -U -s /bin/bash other
echo itguest >"$ROOT/etc/hostname"
mkdir -p "$ROOT/job"
rm -rf "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/share/locale/* \
       "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/*.log

# Modules the root loads itself with modprobe (network, NFS client) plus the boot ones; depmod in the root.
it_install_modules "$MODDIR" "$ROOT" "$KVER" $BOOT_MODS virtio_net af_packet nfs nfsv3 nfsv4 sunrpc auth_rpcgss rpcsec_gss_krb5 lockd nfs_acl dns_resolver

SIZE_MB=$(( $(du -sm "$ROOT" | cut -f1) * 5 / 4 + 128 ))
it_log "root: $(du -sm "$ROOT" | cut -f1) MiB -> ext4 image of $SIZE_MB MiB"
rm -f "$WORK/root.img"
mkfs.ext4 -q -F -L itroot -d "$ROOT" "$WORK/root.img" "${SIZE_MB}M"

cp "$WORK/k/boot/vmlinuz-$KVER" "$WORK/vmlinuz"
# The uncompressed ELF kernel, when it can be cut out of the bzImage: qemu boots it through its PVH
# entry point, skipping the BIOS real-mode loader and the decompression (about 6 s less under TCG).
rm -f "$CACHE/vmlinux"
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$WORK/vmlinuz" | head -n1 | cut -d: -f1 || true)
if [[ -n "$off" ]]; then
  tail -c +$((off + 1)) "$WORK/vmlinuz" | xz -dcq >"$WORK/vmlinux" 2>/dev/null || true
  if [[ "$(head -c 4 "$WORK/vmlinux" | od -An -tx1 | tr -d ' ')" == 7f454c46 ]] \
     && [[ $(stat -c %s "$WORK/vmlinux") -gt 10000000 ]]; then
    mv -f "$WORK/vmlinux" "$CACHE/vmlinux"
    it_log "uncompressed ELF kernel extracted for PVH boot"
  else
    it_log "could not extract an ELF kernel; booting the bzImage"
  fi
fi
mv -f "$WORK/vmlinuz" "$CACHE/vmlinuz"
mv -f "$WORK/initrd.img" "$CACHE/initrd.img"
mv -f "$WORK/root.img" "$CACHE/root.img"
echo "$KVER" >"$CACHE/kernel-version"
rm -f "$CACHE/accel"
echo "$STAMP" >"$CACHE/stamp"
rm -rf "$WORK"
it_log "done in $((SECONDS - T0)) s: $CACHE/{vmlinuz,initrd.img,root.img} (kernel $KVER)"
