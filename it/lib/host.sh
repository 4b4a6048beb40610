# shellcheck shell=bash
# Host-side helpers shared by the qemu harnesses (it/kernel-client, it/server-guest) and
# benchmarks/e2e.sh. Sourced, never run. Set LOG_TAG before sourcing to name the caller in log lines.
#
#   it_log MSG / it_die MSG           timestamped log line on stderr; die exits 2 ("could not run")
#   it_mirror                         the host's Debian mirror (EDGE_NFSD_IT_MIRROR overrides)
#   it_mod_closure MODDIR MOD...      kernel modules and their dependencies, in load order
#   it_debootstrap_cached CACHE INCLUDE MIRROR LOG   a kept debootstrap tree with those packages
#   it_install_modules MODDIR ROOT KVER MOD...   those modules and their dependencies into a guest root
#   it_kc_cache                       the kernel-client asset directory (vmlinuz, initrd.img, root.img)
#   it_kernel DIR                     the kernel to boot from an asset dir (the PVH vmlinux when present)
#   it_qemu_base ACCEL CPU KERNEL INITRD   the common qemu command line (1 vCPU, 1 GiB, serial console)
#   it_client_guest_cmd ACCEL CPU JOBDIR   sets IT_QEMU: the kernel-client guest booting JOBDIR's plan
#   it_free_port                      a TCP port nobody listens on
#   it_wait_port HOST PORT SECONDS    wait until a TCP connect succeeds
#   it_deb_java_opts / it_deb_malloc_arenas   the JVM options and MALLOC_ARENA_MAX the .deb ships
#   it_stop_pid PID [SECONDS]         SIGTERM, then SIGKILL after SECONDS (default 10), then reap

IT_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
IT_REPO=$(cd "$IT_LIB_DIR/../.." && pwd)
IT_CACHE_ROOT=${EDGE_NFSD_IT_CACHE:-/var/cache/edge-nfsd-it}

it_log() { printf '[%s %(%H:%M:%S)T] %s\n' "${LOG_TAG:-it}" -1 "$*" >&2; }
it_die() { it_log "ERROR: $*"; exit 2; }

# it_assets_current CACHE STAMP FORCE FILE...: takes CACHE's build lock (fd 9, held until the caller
# exits, so concurrent builders wait) and succeeds when the assets there carry STAMP and every FILE
# exists, i.e. nothing needs building (FORCE=1 always builds).
it_assets_current() {
  local cache=$1 stamp=$2 force=$3 f
  shift 3
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock -w 3600 9 || it_die "could not lock $cache/.lock"
  [[ $force -eq 0 && -f "$cache/stamp" && "$(cat "$cache/stamp")" == "$stamp" ]] || return 1
  for f in "$@"; do [[ -f "$cache/$f" ]] || return 1; done
}

it_mirror() {
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

# Transitive closure of modules (by name) through MODDIR/modules.dep; prints paths relative to MODDIR
# in load order (dependencies first). Built-in modules print nothing; an unknown name fails.
it_mod_closure() {
  local moddir=$1; shift
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
    }' "$moddir/modules.builtin" "$moddir/modules.dep"
}

# A debootstrap'ed bookworm minbase tree with the given packages, kept in CACHE/debootstrap-<hash of
# the list> so that a change elsewhere in a recipe does not download everything again. Prints its path.
it_debootstrap_cached() {  # CACHE INCLUDE MIRROR LOGFILE
  local db
  db="$1/debootstrap-$(echo "$2" | sha256sum | cut -c1-12)"
  if [[ ! -f "$db/.complete" ]]; then
    rm -rf "$db" "$1"/debootstrap-*
    it_log "debootstrap bookworm ($2), a few minutes"
    timeout 2400 debootstrap --variant=minbase --include="$2" bookworm "$db" "$3" >"$4" 2>&1 \
      || { tail -40 "$4" >&2; it_die "debootstrap failed"; }
    rm -rf "$db"/var/cache/apt/archives/*.deb "$db"/var/lib/apt/lists/*
    touch "$db/.complete"
  else
    it_log "reusing debootstrap tree $db"
  fi
  echo "$db"
}

# Copies the modules (and their dependencies) from an unpacked kernel package's MODDIR into ROOT and
# runs depmod there, so the guest can modprobe them.
it_install_modules() {  # MODDIR ROOT KVER MOD...
  local moddir=$1 root=$2 kver=$3 rel list
  shift 3
  local rmod="$root/lib/modules/$kver"
  list=$(it_mod_closure "$moddir" "$@") || it_die "module closure failed"
  mkdir -p "$rmod"
  while read -r rel; do
    [[ -n "$rel" ]] || continue
    mkdir -p "$rmod/$(dirname "$rel")"
    cp "$moddir/$rel" "$rmod/$rel"
  done <<<"$list"
  cp "$moddir"/modules.order "$moddir"/modules.builtin* "$rmod/" 2>/dev/null || true
  depmod -b "$root" "$kver" 2>/dev/null || chroot "$root" depmod "$kver"
}

it_kc_cache() { echo "$IT_CACHE_ROOT/kernel-client"; }

it_kernel() {
  if [[ -f "$1/vmlinux" && "${EDGE_NFSD_IT_BZIMAGE:-0}" != 1 ]]; then echo "$1/vmlinux"; else echo "$1/vmlinuz"; fi
}

it_qemu_base() {  # ACCEL CPU KERNEL INITRD
  echo qemu-system-x86_64 -accel "$1" -cpu "$2" -smp 1 -m 1024 -nographic -no-reboot -monitor none \
    -kernel "$3" -initrd "$4"
}

# The kernel-client guest: its root opened with snapshot=on (never modified), user-mode networking (the
# host's 127.0.0.1 is 10.0.2.2), the job directory over 9p; the initramfs runs JOBDIR/guest-init.sh.
it_client_guest_cmd() {  # ACCEL CPU JOBDIR
  local kc
  kc=$(it_kc_cache)
  # shellcheck disable=SC2207
  IT_QEMU=($(it_qemu_base "$1" "$2" "$(it_kernel "$kc")" "$kc/initrd.img"))
  # shellcheck disable=SC2054  # qemu option values contain commas
  IT_QEMU+=(-append "console=ttyS0 panic=1 loglevel=4 net.ifnames=0 no_timer_check it.run=1"
    -drive "file=$kc/root.img,format=raw,if=virtio,snapshot=on"
    -netdev "user,id=n0,ipv6=off,net=10.0.2.0/24,host=10.0.2.2" -device virtio-net-pci,netdev=n0
    -virtfs "local,path=$3,mount_tag=job,security_model=none,id=job")
}

it_free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    if ! ss -Hltn "sport = :$p" | grep -q .; then echo "$p"; return 0; fi
  done
  it_die "no free port"
}

it_wait_port() {  # HOST PORT SECONDS
  local end=$((SECONDS + $3))
  while [[ $SECONDS -lt $end ]]; do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

it_deb_java_opts() {
  if [[ -n "${EDGE_JAVA_OPTS:-}" ]]; then echo "$EDGE_JAVA_OPTS"; return; fi
  # shellcheck disable=SC1091
  (. "$IT_REPO/packaging/src/deb/etc/default" && echo "$EDGE_NFSD_JAVA_OPTS")
}
it_deb_malloc_arenas() {
  # shellcheck disable=SC1091
  (. "$IT_REPO/packaging/src/deb/etc/default" && echo "${MALLOC_ARENA_MAX:-}")
}

it_stop_pid() {  # PID [SECONDS]
  local pid=$1 tenths=$(( ${2:-10} * 10 ))
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 "$tenths"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      it_log "pid $pid ignored SIGTERM for ${2:-10} s, SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  wait "$pid" 2>/dev/null
  return 0
}
