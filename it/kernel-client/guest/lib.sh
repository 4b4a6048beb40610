# Sourced by every workload (runs in the guest as root). /job/env provides:
#   NFS_HOST NFS_PORT SERVER_KIND NFS_VERS EXP_RW EXP_RSQ EXP_ASQ EXP_RO EXP_DENY EXP_FULL ANON_RSQ ANON_ASQ
set -euo pipefail
. /job/env

NFS_OPTS="nfsvers=${NFS_VERS:-4.1},hard,port=$NFS_PORT"
# used by the workloads that source this file:
# shellcheck disable=SC2034
TESTER=1000   # a guest user (created in the guest root), group 1000
# shellcheck disable=SC2034
OTHER=1001

on_err() {
  local rc=$? line=$1 cmd=$2
  echo "FAIL: line $line: '$cmd' exited with $rc" >&2
}
trap 'on_err $LINENO "$BASH_COMMAND"' ERR

step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

# mnt EXPORT_PATH MOUNTPOINT [extra,options]  (nfsvers=4.1,hard as kubelet mounts; NFS_VERS from
# run.sh's EDGE_NFSD_IT_NFSVERS)
mnt() {
  mkdir -p "$2"
  timeout 90 mount -t nfs -o "$NFS_OPTS${3:+,$3}" "$NFS_HOST:$1" "$2" || fail "mount $NFS_HOST:$1 on $2 failed"
  ok "mounted $NFS_HOST:$1 on $2 ($(awk -v m="$2" '$2 == m { print $4 }' /proc/mounts | tr ',' '\n' | grep -E '^vers=' ))"
}
# remount MOUNTPOINT: unmount and mount again, so nothing is answered from the client's caches.
# Leaves the caller in /.
remount() {
  local src
  src=$(awk -v m="$1" '$2 == m { print $1 }' /proc/mounts)
  [ -n "$src" ] || fail "$1 is not mounted"
  cd /
  timeout 60 umount "$1" || fail "umount $1 failed"
  timeout 90 mount -t nfs -o "$NFS_OPTS" "$src" "$1" || fail "remount of $src failed"
}
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }

# as UID cmd...: run as a non-root user (gid = uid, no supplementary groups)
as() { local u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups -- "$@"; }

# expect_err MESSAGE cmd...: cmd must fail and its stderr must contain MESSAGE (strerror text)
expect_err() {
  local msg=$1 out; shift
  if out=$("$@" 2>&1); then fail "expected '$msg' but succeeded: $*"; fi
  grep -qF -- "$msg" <<<"$out" || fail "expected '$msg' from: $* -- got: $out"
  ok "$* -> $msg"
}
# expect_refused cmd...: cmd must fail with EPERM or EACCES (servers differ in which one a refused
# SETATTR gets; both mean "refused")
expect_refused() {
  local out
  if out=$("$@" 2>&1); then fail "expected a refusal but succeeded: $*"; fi
  grep -qE -- "Operation not permitted|Permission denied" <<<"$out" || fail "expected EPERM/EACCES from: $* -- got: $out"
  ok "$* -> refused ($(grep -oE 'Operation not permitted|Permission denied' <<<"$out" | head -n1))"
}
# expect_eq WHAT GOT WANT
expect_eq() { [ "$2" == "$3" ] || fail "$1: got '$2', want '$3'"; ok "$1 = '$3'"; }
owner() { stat -c '%u:%g' "$1"; }
# try_lock FILE: a non-blocking F_SETLK write lock from a fresh process; prints busy (EAGAIN/EACCES) or
# acquired. Bounded: a mount that stops answering fails it after 240 s.
try_lock() {
  timeout 240 python3 -c '
import errno, fcntl, sys
f = open(sys.argv[1], "r+b")
try:
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
except OSError as e:
    if e.errno in (errno.EAGAIN, errno.EACCES):
        print("busy")
        sys.exit(0)
    raise
print("acquired")' "$1"
}

# host_ctl ACTION [ARGS...]: ask the host (run.sh) to act on the server or the exported disk, and wait
# for its answer (at most 180 s). Prints the answer; fails the workload when the host reports "fail".
host_ctl() {
  local n reply
  n=$(date +%s%N)
  mkdir -p /job/ctl
  echo "$*" >"/job/ctl/request.$n.tmp" && mv "/job/ctl/request.$n.tmp" "/job/ctl/request.$n"
  for _ in $(seq 1 900); do
    if [ -f "/job/ctl/reply.$n" ]; then
      reply=$(cat "/job/ctl/reply.$n")
      echo "host: $reply"
      case "$reply" in fail*) fail "host control '$*': $reply" ;; esac
      return 0
    fi
    sleep 0.2
  done
  fail "host control '$*': no answer in 180 s"
}
