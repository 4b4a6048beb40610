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

CACHE=${EDGE_NFSD_IT_CACHE:-/var/cache/edge-nfsd-it}/kernel-client   # own subdirectory: the cache root is shared
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/build-assets.sh"
STAMP=$(sha256sum "$SELF" | cut -c1-16)
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf '[build-assets %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, mkfs.ext4 -d with ownership)"
for t in debootstrap cpio mkfs.ext4 dpkg-deb apt-get apt-cache gzip; do
  command -v "$t" >/dev/null || die "missing tool '$t' (apt-get install -y debootstrap cpio e2fsprogs)"
done

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 3600 9 || die "could not lock $CACHE/.lock"

if [[ $FORCE -eq 0 && -f "$CACHE/stamp" && "$(cat "$CACHE/stamp")" == "$STAMP" \
      && -f "$CACHE/vmlinuz" && -f "$CACHE/initrd.img" && -f "$CACHE/root.img" ]]; then
  log "assets up to date in $CACHE"
  exit 0
fi

T0=$SECONDS
WORK="$CACHE/work"
rm -rf "$WORK"
mkdir -p "$WORK/debs"
cd "$WORK/debs"

# The host's Debian mirror (first deb.debian.org-style URI for the main archive), overridable.
mirror() {
  if [[ -n "${EDGE_NFSD_IT_MIRROR:-}" ]]; then echo "$EDGE_NFSD_IT_MIRROR"; return; fi
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null \
      | awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/ && $i ~ /debian/) { print $i; exit } }')
  if [[ -z "$m" ]]; then
    m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^http/ && $i !~ /security/ && $i ~ /debian/) { print $i; exit } }')
  fi
  echo "${m:-http://deb.debian.org/debian}"
}
MIRROR=$(mirror)
log "mirror: $MIRROR"

# ---- kernel ---------------------------------------------------------------------------------------
KPKG=${EDGE_NFSD_IT_KERNEL_PKG:-$(apt-cache depends linux-image-amd64 2>/dev/null \
       | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')}
[[ -n "$KPKG" ]] || die "cannot resolve linux-image-amd64 (run apt-get update)"
log "downloading $KPKG and busybox-static"
timeout 900 apt-get download -q "$KPKG" busybox-static >/dev/null 2>"$WORK/apt-download.err" \
  || { cat "$WORK/apt-download.err" >&2; die "apt-get download failed"; }
mkdir -p "$WORK/k" "$WORK/bb"
dpkg-deb -x ./linux-image-*.deb "$WORK/k"
dpkg-deb -x ./busybox-static_*.deb "$WORK/bb"
KVER=$(ls "$WORK/k/lib/modules" | head -1)
[[ -n "$KVER" && -f "$WORK/k/boot/vmlinuz-$KVER" ]] || die "kernel package has no vmlinuz"
MODDIR="$WORK/k/lib/modules/$KVER"
command -v depmod >/dev/null || die "missing depmod (apt-get install -y kmod)"
depmod -b "$WORK/k" "$KVER" || die "depmod on the extracted kernel failed"
log "kernel $KVER"

# Transitive closure of modules (by name) through modules.dep; prints paths relative to MODDIR in load order.
mod_closure() {
  awk -v wanted="$*" '
    FILENAME ~ /modules.builtin$/ { n = $0; sub(/.*\//, "", n); sub(/\.ko.*/, "", n); gsub("-", "_", n); builtin[n] = 1; next }
    {
      p = $1; sub(/:$/, "", p); deps[p] = ""
      for (i = 2; i <= NF; i++) deps[p] = deps[p] " " $i
      n = p; sub(/.*\//, "", n); sub(/\.ko.*/, "", n); gsub("-", "_", n); byname[n] = p
    }
    function visit(p,   a, k, c) {
      if (p in seen) return
      seen[p] = 1
      c = split(deps[p], a, " ")
      for (k = 1; k <= c; k++) visit(a[k])
      print p
    }
    END {
      c = split(wanted, w, " ")
      for (i = 1; i <= c; i++) {
        n = w[i]; gsub("-", "_", n)
        if (n in byname) visit(byname[n])
        else if (!(n in builtin)) { print "module not found: " n > "/dev/stderr"; exit 1 }
      }
    }' "$MODDIR/modules.builtin" "$MODDIR/modules.dep"
}

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
done < <(mod_closure $BOOT_MODS || echo "CLOSURE-FAILED")
grep -q CLOSURE-FAILED "$IR/mods/order" && die "module closure failed"
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
log "initramfs: $(wc -l <"$IR/mods/order") modules, $(du -k "$WORK/initrd.img" | cut -f1) KiB"

# ---- guest root -----------------------------------------------------------------------------------
INCLUDE=nfs-common,sqlite3,fio,python3,util-linux,coreutils,tar,diffutils,kmod,iproute2,procps,findutils,xz-utils
# The debootstrap tree is kept (keyed by the package list) so a change elsewhere in this recipe does not
# download everything again.
DB="$CACHE/debootstrap-$(echo "$INCLUDE" | sha256sum | cut -c1-12)"
if [[ ! -f "$DB/.complete" ]]; then
  rm -rf "$DB" "$CACHE"/debootstrap-*
  log "debootstrap bookworm ($INCLUDE)"
  timeout 1800 debootstrap --variant=minbase --include="$INCLUDE" bookworm "$DB" "$MIRROR" \
    >"$WORK/debootstrap.log" 2>&1 || { tail -40 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -rf "$DB"/var/cache/apt/archives/*.deb "$DB"/var/lib/apt/lists/*
  touch "$DB/.complete"
else
  log "reusing debootstrap tree $DB"
fi
ROOT="$WORK/root"
log "copying root"
cp -a "$DB" "$ROOT"
rm -f "$ROOT/.complete"
for b in sqlite3 fio python3 flock mount.nfs setpriv modprobe ip diff tar; do
  chroot "$ROOT" sh -c "command -v $b" >/dev/null || die "guest root lacks $b"
done
chroot "$ROOT" useradd -m -u 1000 -U -s /bin/bash tester
chroot "$ROOT" useradd -m -u 1001 -U -s /bin/bash other
echo itguest >"$ROOT/etc/hostname"
mkdir -p "$ROOT/job"
rm -rf "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/* "$ROOT"/usr/share/locale/* \
       "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/*.log

# Modules the root loads itself with modprobe (network, NFS client) plus the boot ones; depmod in the root.
RMOD="$ROOT/lib/modules/$KVER"
mkdir -p "$RMOD"
while read -r rel; do
  [[ -n "$rel" ]] || continue
  [[ "$rel" != CLOSURE-FAILED ]] || die "module closure failed"
  mkdir -p "$RMOD/$(dirname "$rel")"
  cp "$MODDIR/$rel" "$RMOD/$rel"
done < <(mod_closure $BOOT_MODS virtio_net af_packet nfs nfsv3 nfsv4 sunrpc auth_rpcgss rpcsec_gss_krb5 lockd nfs_acl dns_resolver || echo CLOSURE-FAILED)
cp "$MODDIR"/modules.order "$MODDIR"/modules.builtin* "$RMOD/" 2>/dev/null || true
depmod -b "$ROOT" "$KVER" 2>/dev/null || chroot "$ROOT" depmod "$KVER"

SIZE_MB=$(( $(du -sm "$ROOT" | cut -f1) * 5 / 4 + 128 ))
log "root: $(du -sm "$ROOT" | cut -f1) MiB -> ext4 image of $SIZE_MB MiB"
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
    log "uncompressed ELF kernel extracted for PVH boot"
  else
    log "could not extract an ELF kernel; booting the bzImage"
  fi
fi
mv -f "$WORK/vmlinuz" "$CACHE/vmlinuz"
mv -f "$WORK/initrd.img" "$CACHE/initrd.img"
mv -f "$WORK/root.img" "$CACHE/root.img"
echo "$KVER" >"$CACHE/kernel-version"
rm -f "$CACHE/accel"
echo "$STAMP" >"$CACHE/stamp"
rm -rf "$WORK"
log "done in $((SECONDS - T0)) s: $CACHE/{vmlinuz,initrd.img,root.img} (kernel $KVER)"
