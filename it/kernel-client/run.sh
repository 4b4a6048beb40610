#!/usr/bin/env bash
# Kernel-client harness: boots a Debian kernel under qemu, whose NFS client mounts the server running
# on the host's loopback (the guest sees 127.0.0.1 as 10.0.2.2), and runs workload scripts in the guest.
#
#   it/kernel-client/run.sh [--server edge|ganesha] [--boot-per-workload] [--keep] [--list] [workload...]
#   it/kernel-client/run.sh [--server edge|ganesha] --shell    # interactive root shell in the guest
#   it/kernel-client/run.sh --server external --port N --export PATH [workload...]
#       a server this run does not start (e.g. it/arm-guest's), on 127.0.0.1:N, exporting PATH as the
#       workloads' EXP_RW; only workloads that need EXP_RW alone make sense. A workload's host-side check
#       (NAME.host.sh) runs as EDGE_NFSD_IT_HOST_CHECK NAME SCRIPT ENVFILE (it fails when that is unset).
#
# Environment: NFS_SERVER (edge|ganesha, default edge); EDGE_NFSD_JAR (default
# nfs-server/target/edge-nfsd.jar); EDGE_NFSD_IT_CACHE (cache root, default /var/cache/edge-nfsd-it; the
# guest assets live in its kernel-client/ subdirectory); EDGE_NFSD_IT_LOGS (default target/it-logs; each
# run gets a subdirectory, `latest` points to it); EDGE_NFSD_IT_RUN_DIR (exactly this directory for the
# run's logs); EDGE_NFSD_IT_ACCEL (auto|tcg|kvm, default auto); EDGE_NFSD_IT_NFSVERS (4.1|4.2, the
# workloads' nfsvers=, default 4.1); JAVA (default java).
# Exit status: 0 all selected workloads passed, 1 some failed, 2 the harness could not run.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=it
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
REPO=$IT_REPO
CACHE=$(it_kc_cache)   # own subdirectory: the cache root is shared
SERVER=${NFS_SERVER:-edge}
JAR=${EDGE_NFSD_JAR:-$REPO/nfs-server/target/edge-nfsd.jar}
JAVA=${JAVA:-java}
ACCEL_WANT=${EDGE_NFSD_IT_ACCEL:-auto}
NFSVERS=${EDGE_NFSD_IT_NFSVERS:-4.1}   # nfsvers= of the workloads' mounts (lib.sh's mnt)
PER_BOOT=0
SHELL_MODE=0
KEEP=0

# name and guest-side timeout (seconds), in run order
ALL_WORKLOADS=(
  "basic_ops 240" "mount_default 180" "squash 180" "perms 180" "ro_export 120" "refused_client 240"
  "sparse 300" "locks 300" "sqlite 600" "fio 300" "tar 900" "bigdir 1200"
  "crash_write 600" "restart_lock 600" "host_rename 300" "delegations 480" "nfs42 600"
  "enospc 300" "two_guests 400"
  "ops_capacity 300" "ops_reload 400" "ops_status 300" "crossmnt 240"
)
# workloads that run on a pair of guests at once (boot_pair), not in the single guest's boot
PAIR_WORKLOADS=" two_guests "


SEL=()
EXT_PORT='' EXT_EXPORT=''
while [[ $# -gt 0 ]]; do
  case "$1" in
    --server) SERVER=$2; shift 2 ;;
    --server=*) SERVER=${1#*=}; shift ;;
    --port) EXT_PORT=$2; shift 2 ;;
    --export) EXT_EXPORT=$2; shift 2 ;;
    --boot-per-workload) PER_BOOT=1; shift ;;
    --keep) KEEP=1; shift ;;
    --shell) SHELL_MODE=1; shift ;;
    --list) for w in "${ALL_WORKLOADS[@]}"; do echo "${w%% *}"; done; exit 0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) it_die "unknown option $1" ;;
    *) SEL+=("$1"); shift ;;
  esac
done
[[ "$SERVER" == edge || "$SERVER" == ganesha || "$SERVER" == external ]] || it_die "--server must be edge, ganesha or external"
[[ "$SERVER" != external || ( -n "$EXT_PORT" && -n "$EXT_EXPORT" ) ]] || it_die "--server external needs --port and --export"

PLAN=()
if [[ $SHELL_MODE -eq 1 ]]; then
  PLAN=()
elif [[ ${#SEL[@]} -eq 0 ]]; then
  PLAN=("${ALL_WORKLOADS[@]}")
else
  for s in "${SEL[@]}"; do
    found=
    for w in "${ALL_WORKLOADS[@]}"; do [[ "${w%% *}" == "$s" ]] && { PLAN+=("$w"); found=1; }; done
    [[ -n "$found" ]] || it_die "unknown workload '$s' (--list shows them)"
  done
fi

# ---- preconditions: fail loudly, never skip ------------------------------------------------------
[[ $(id -u) -eq 0 ]] || it_die "must run as root (the exported trees hold files of several owners)"
command -v qemu-system-x86_64 >/dev/null || it_die "qemu-system-x86_64 missing: apt-get install -y qemu-system-x86 (or run .ci/run)"
if [[ "$SERVER" == external ]]; then
  :
elif [[ "$SERVER" == ganesha ]]; then
  command -v ganesha.nfsd >/dev/null || it_die "ganesha.nfsd missing: apt-get install -y nfs-ganesha nfs-ganesha-vfs"
else
  [[ -f "$JAR" ]] || it_die "server jar $JAR missing: build it with 'mvn -B package' first"
  command -v "$JAVA" >/dev/null || it_die "java missing"
fi
T_ASSETS=$SECONDS
"$HERE/build-assets.sh" || it_die "building guest assets failed"
T_ASSETS=$((SECONDS - T_ASSETS))

STAMP=$(date +%Y%m%d-%H%M%S)
LOGROOT=${EDGE_NFSD_IT_LOGS:-$REPO/target/it-logs}
if [[ -n "${EDGE_NFSD_IT_RUN_DIR:-}" ]]; then
  LOGDIR=$EDGE_NFSD_IT_RUN_DIR   # exact directory for this run (KernelClientIT uses it)
  mkdir -p "$LOGDIR"
  LOGDIR=$(cd "$LOGDIR" && pwd)
else
  LOGDIR="$LOGROOT/$STAMP-$SERVER-$$"
  mkdir -p "$LOGDIR"
  LOGDIR=$(cd "$LOGDIR" && pwd)
  ln -sfn "$LOGDIR" "$LOGROOT/latest"
fi
BASE=$(mktemp -d /tmp/edge-nfsd-it.XXXXXX)
chmod 755 "$BASE"
HOST_MOUNTS=()   # mounted by this run under $BASE, unmounted by cleanup
LOOP_DEVS=()     # loop devices this run attached (losetup --find --show), detached by cleanup
# edge-nfsd's admin socket ('edge-nfsd status', 'reload'), in a short path (sun_path holds 108 bytes)
ADMIN_DIR=$(mktemp -d /tmp/edge-nfsd-admin.XXXXXX)
ADMIN_SOCK=$ADMIN_DIR/admin.sock
SERVER_PID=
QEMU_PID=
PAIR_PIDS=
CRASH_REQ=

cleanup() {
  local rc=$?
  local p
  for p in $PAIR_PIDS; do kill -KILL "$p" 2>/dev/null; done
  if [[ -n "$QEMU_PID" ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
    kill -TERM "$QEMU_PID" 2>/dev/null; sleep 1; kill -KILL "$QEMU_PID" 2>/dev/null
    wait "$QEMU_PID" 2>/dev/null
  fi
  stop_server
  for m in "${HOST_MOUNTS[@]}"; do umount -l "$m" 2>/dev/null || it_log "umount $m failed"; done
  # after the lazy unmount: a still-busy device is detached by the kernel when released (autoclear)
  for m in "${LOOP_DEVS[@]}"; do losetup -d "$m" 2>/dev/null || it_log "losetup -d $m failed"; done
  if [[ $KEEP -eq 0 ]]; then rm -rf "$BASE"; else it_log "kept exported trees in $BASE"; fi
  rm -rf "$ADMIN_DIR"
  exit $rc
}
stop_server() {
  it_stop_pid "$SERVER_PID" 10
  SERVER_PID=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- exports: one table, translated for each server ----------------------------------------------
# name  access  squash          anonid  clients
EXPORTS=(
  "rw    rw  no_root_squash  -     *"
  "rsq   rw  root_squash     4242  *"
  "asq   rw  all_squash      4343  *"
  "ro    ro  no_root_squash  -     *"
  "deny  rw  no_root_squash  -     192.0.2.1"
  "full  rw  no_root_squash  -     *"
  "rfl   rw  no_root_squash  -     *"
)
for e in "${EXPORTS[@]}"; do
  read -r name access squash anon clients <<<"$e"
  mkdir -p "$BASE/$name"
done
chmod 777 "$BASE/rsq" "$BASE/asq"
echo "read-only export" >"$BASE/ro/readme"; mkdir -p "$BASE/ro/subdir"
echo "secret" >"$BASE/deny/secret"
# 'full' is a small filesystem of its own, so the enospc workload can fill it (16 MiB, 512 inodes)
if [[ "$SERVER" != external ]]; then
  mount -t tmpfs -o size=16m,nr_inodes=512,mode=0755 edge-nfsd-it-full "$BASE/full" || it_die "mounting a tmpfs on $BASE/full failed"
  HOST_MOUNTS+=("$BASE/full")
  # 'xmnt' (crossmnt) has an 8 MiB tmpfs mounted on its 'sub' directory, for the crossmnt workload
  mkdir -p "$BASE/xmnt/sub"
  echo "under the mount" >"$BASE/xmnt/sub/covered"
  mount -t tmpfs -o size=8m,mode=0755 edge-nfsd-it-xmnt "$BASE/xmnt/sub" || it_die "mounting a tmpfs on $BASE/xmnt/sub failed"
  echo "on the tmpfs" >"$BASE/xmnt/sub/inside"
  HOST_MOUNTS+=("$BASE/xmnt/sub")
  # 'rfl' is XFS with reflinks (a 300 MiB sparse image, loop-mounted), for nfs42's CLONE step
  command -v mkfs.xfs >/dev/null || it_die "mkfs.xfs missing: apt-get install -y xfsprogs"
  truncate -s 300M "$BASE/rfl.img"
  mkfs.xfs -q -m reflink=1 "$BASE/rfl.img" || it_die "mkfs.xfs -m reflink=1 $BASE/rfl.img failed"
  RFL_DEV=$(losetup --find --show "$BASE/rfl.img") || it_die "losetup of $BASE/rfl.img failed"
  LOOP_DEVS+=("$RFL_DEV")
  mount -t xfs "$RFL_DEV" "$BASE/rfl" || it_die "mounting $RFL_DEV (XFS) on $BASE/rfl failed"
  HOST_MOUNTS+=("$BASE/rfl")
  chmod 755 "$BASE/rfl"
fi

PORT=${EXT_PORT:-$(it_free_port)}
METRICS_PORT=$(it_free_port)

# edge-nfsd reads its exports from this file, which the ops_* workloads have the host edit and reload
# (host_ctl reload-*); besides the table above it has three exports of their own: cap (capacity=64Mi),
# chg (turned read-only by a reload) and gone (removed by one).
EXPORTS_FILE=$LOGDIR/exports
OPS_EXPORTS=("cap rw,sync,no_root_squash,insecure,capacity=64Mi" "chg rw,sync,no_root_squash,insecure"
  "gone rw,sync,no_root_squash,insecure" "xmnt rw,sync,no_root_squash,insecure,crossmnt")
write_exports_file() {
  local e name access squash anon clients opts
  for e in "${EXPORTS[@]}"; do
    read -r name access squash anon clients <<<"$e"
    opts="$access,sync,$squash,insecure"
    [[ "$anon" != - ]] && opts+=",anonuid=$anon,anongid=$anon"
    echo "$BASE/$name $clients($opts)"
  done
  for e in "${OPS_EXPORTS[@]}"; do
    read -r name opts <<<"$e"
    mkdir -p "$BASE/$name"; chmod 777 "$BASE/$name"
    echo "$BASE/$name *($opts)"
  done
}

start_edge() {
  # a restart (host_ctl *-restart) keeps what reloads made of the file
  [[ -f "$EXPORTS_FILE" ]] || write_exports_file >"$EXPORTS_FILE"
  local args=(--exports "$EXPORTS_FILE" --admin-socket "$ADMIN_SOCK" --metrics "127.0.0.1:$METRICS_PORT")
  mkdir -p "$LOGDIR/state"
  # The server runs as the .deb ships it: its JVM options and MALLOC_ARENA_MAX (EDGE_JAVA_OPTS overrides).
  local jopts arenas
  read -r -a jopts <<<"$(it_deb_java_opts)"
  arenas=$(it_deb_malloc_arenas)
  printf '%q ' MALLOC_ARENA_MAX="$arenas" "$JAVA" "${jopts[@]}" -jar "$JAR" --bind 127.0.0.1 --port "$PORT" \
    --state-dir "$LOGDIR/state" "${args[@]}" >"$LOGDIR/server.cmd"
  MALLOC_ARENA_MAX=$arenas "$JAVA" "${jopts[@]}" -jar "$JAR" --bind 127.0.0.1 --port "$PORT" \
    --state-dir "$LOGDIR/state" "${args[@]}" >>"$LOGDIR/server.log" 2>&1 </dev/null &
  SERVER_PID=$!
}

start_ganesha() {
  local conf="$LOGDIR/ganesha.conf" id=0 e name access squash anon clients
  mkdir -p "$LOGDIR/ganesha-recovery"
  cat >"$conf" <<EOF
# generated by it/kernel-client/run.sh
NFS_CORE_PARAM {
  Protocols = 4;
  NFS_Port = $PORT;
  Bind_addr = 127.0.0.1;
  Enable_NLM = false;
  Enable_RQUOTA = false;
  Enable_UDP = false;
}
NFS_KRB5 { Active_krb5 = false; }
NFSV4 {
  Graceless = false;
  Grace_Period = 20;
  Lease_Lifetime = 20;
  Minor_Versions = 1, 2;
  Only_Numeric_Owners = true;
  RecoveryBackend = fs;
  RecoveryRoot = "$LOGDIR/ganesha-recovery";
}
EOF
  for e in "${EXPORTS[@]}"; do
    read -r name access squash anon clients <<<"$e"
    id=$((id + 1))
    local gaccess=RW gsquash=No_Root_Squash
    [[ "$access" == ro ]] && gaccess=RO
    [[ "$squash" == root_squash ]] && gsquash=Root_Squash
    [[ "$squash" == all_squash ]] && gsquash=All_Squash
    {
      echo "EXPORT {"
      echo "  Export_Id = $id; Path = \"$BASE/$name\"; Pseudo = \"$BASE/$name\";"
      echo "  Protocols = 4; Transports = TCP; SecType = sys; Access_Type = None; Squash = $gsquash;"
      [[ "$anon" != - ]] && echo "  Anonymous_Uid = $anon; Anonymous_Gid = $anon;"
      echo "  CLIENT { Clients = $clients; Access_Type = $gaccess; Squash = $gsquash; }"
      echo "  FSAL { Name = VFS; }"
      echo "}"
    } >>"$conf"
  done
  echo "ganesha.nfsd -F -f $conf -L $LOGDIR/server.log -N NIV_EVENT -p $LOGDIR/ganesha.pid" >"$LOGDIR/server.cmd"
  ganesha.nfsd -F -f "$conf" -L "$LOGDIR/server.log" -N NIV_EVENT -p "$LOGDIR/ganesha.pid" \
    >>"$LOGDIR/server.stdout" 2>&1 </dev/null &
  SERVER_PID=$!
}

start_server() {
  [[ "$SERVER" == external ]] && return 0
  if [[ "$SERVER" == ganesha ]]; then start_ganesha; else start_edge; fi
}

# wait_ready: until the server accepts connections (60 s); 0 when it does
wait_ready() {
  local _
  if [[ "$SERVER" == external ]]; then it_wait_port 127.0.0.1 "$PORT" 60; return; fi
  for _ in $(seq 1 600); do
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# ---- host control: requests a workload makes through /job/ctl (see guest/lib.sh host_ctl) ----------
# kill9-restart [FILE LEN SHA256]: SIGKILL the server; when FILE is given, check that its first LEN
#   bytes on the host disk have the given checksum while the server is down; start it again.
# term-restart: SIGTERM (clean shutdown), then start again.
# mv SRC DST: rename on the host, behind the server's back (paths relative to the exports' base).
# status-json: 'edge-nfsd status -o json' over the admin socket, into ctl/status.N.
# server-log PATTERN: the server log's last line matching the extended regex PATTERN (fail when none).
# crash-guest: SIGKILL this guest's qemu (boot_pair then boots its second life).
# reload-add NAME OPTS | reload-change NAME OPTS | reload-remove NAME: edit the exports file (NAME under
#   the exports' base, for every client) and run 'edge-nfsd reload'; reload-bad: the same with an invalid
#   line added, which must be refused (the file is put back afterwards). Answer: "ok <its output>" or
#   "refused rc=N <its output>".
# metrics: a /metrics scrape into ctl/metrics.N.
# Answers "ok ..." or "fail ..." in ctl/reply.N.
host_ctl() {  # job
  local job=$1 req n action a b c out
  for req in "$job"/ctl/request.*; do
    [[ -f "$req" && "$req" != *.tmp ]] || continue
    n=${req##*.}
    read -r action a b c <"$req"
    rm -f "$req"
    it_log "host control $n: $action $a $b $c"
    case "$action" in
      kill9-restart|term-restart)
        local sig=KILL; [[ "$action" == term-restart ]] && sig=TERM
        kill -"$sig" "$SERVER_PID" 2>/dev/null
        for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$SERVER_PID" 2>/dev/null; then out="fail server ignored SIG$sig for 30 s"; kill -KILL "$SERVER_PID"; fi
        wait "$SERVER_PID" 2>/dev/null; local st=$?
        out=${out:-ok exit-status=$st}
        if [[ -n "$a" ]]; then
          local got
          got=$(head -c "$b" "$BASE/$a" | sha256sum | cut -d' ' -f1)
          if [[ "$got" == "$c" ]]; then out+=" fsynced-bytes-intact=$b"; else out="fail first $b bytes of $a on disk: sha256 $got, guest fsynced $c"; fi
        fi
        start_server
        wait_ready || out="fail server did not come back"
        it_log "host control $n: server back (pid $SERVER_PID)"
        ;;
      status-json)
        if "$JAVA" -jar "$JAR" status -o json --admin-socket "$ADMIN_SOCK" >"$job/ctl/status.$n" 2>&1; then
          out="ok status in ctl/status.$n"; else out="fail status: $(tail -c 300 "$job/ctl/status.$n")"; fi ;;
      server-log)
        local pat="$a${b:+ $b}${c:+ $c}"
        out=$(grep -E -- "$pat" "$LOGDIR/server.log" | tail -n 1)
        if [[ -n "$out" ]]; then out="ok $out"; else out="fail no line matching '$pat' in the server log"; fi ;;
      crash-guest)
        CRASH_REQ=$job; out="ok" ;;
      mv)
        if mv "$BASE/$a" "$BASE/$b" 2>&1; then out="ok"; else out="fail mv"; fi ;;
      reload-add|reload-change|reload-remove|reload-bad) out=$(edge_reload "$action" "$a" "$b") ;;
      metrics)
        if curl -fsS -o "$job/ctl/metrics.$n" "http://127.0.0.1:$METRICS_PORT/metrics" 2>"$job/ctl/metrics.err"; then
          out="ok metrics.$n"; else out="fail metrics: $(cat "$job/ctl/metrics.err")"; fi ;;
      *) out="fail unknown action $action" ;;
    esac
    echo "$out" >"$job/ctl/reply.$n.tmp" && mv "$job/ctl/reply.$n.tmp" "$job/ctl/reply.$n"
    it_log "host control $n: $out"
  done
}

# edge_reload ACTION NAME OPTS: edits the exports file as host_ctl's reload-* asks, runs 'edge-nfsd reload'
edge_reload() {
  local action=$1 name=$2 opts=$3 out rc
  case "$action" in
    reload-add) mkdir -p "$BASE/$name"; chmod 777 "$BASE/$name"; echo "$BASE/$name *($opts)" >>"$EXPORTS_FILE" ;;
    reload-change) sed -i "s|^$BASE/$name .*|$BASE/$name *($opts)|" "$EXPORTS_FILE" ;;
    reload-remove) sed -i "\\|^$BASE/$name |d" "$EXPORTS_FILE" ;;
    reload-bad) cp "$EXPORTS_FILE" "$EXPORTS_FILE.good"; echo "$BASE/rw *(rw,no_such_option)" >>"$EXPORTS_FILE" ;;
  esac
  out=$("$JAVA" -jar "$JAR" reload --admin-socket "$ADMIN_SOCK" 2>&1); rc=$?
  [[ "$action" == reload-bad ]] && mv "$EXPORTS_FILE.good" "$EXPORTS_FILE"
  if [[ $rc -eq 0 ]]; then echo "ok $(tr '\n' ' ' <<<"$out")"; else echo "refused rc=$rc $(tr '\n' ' ' <<<"$out")"; fi
}

T_SRV=$SECONDS
it_log "server: $SERVER on 127.0.0.1:$PORT, exports under $BASE, logs in $LOGDIR"
start_server
ready=0
wait_ready && ready=1
if [[ $ready -ne 1 ]]; then
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    it_log "server did not accept connections on 127.0.0.1:$PORT within 60 s; its log:"
  else
    wait "$SERVER_PID"; src=$?; SERVER_PID=
    it_log "server exited with status $src before accepting connections on 127.0.0.1:$PORT; its log:"
  fi
  cat "$LOGDIR/server.log" "$LOGDIR/server.stdout" 2>/dev/null | tail -n 100 >&2
  exit 1
fi
it_log "server ready after $((SECONDS - T_SRV)) s (pid $SERVER_PID)"

# ---- accelerator probe ---------------------------------------------------------------------------
KERNEL=$(it_kernel "$CACHE")   # the PVH vmlinux when there is one (faster)
qemu_base() { it_qemu_base "$1" "$2" "$KERNEL" "$CACHE/initrd.img"; }  # accel cpu
ACCEL=tcg CPU=qemu64
probe_kvm() {
  [[ -c /dev/kvm && -r /dev/kvm && -w /dev/kvm ]] || { echo "no usable /dev/kvm"; return 1; }
  local out
  # shellcheck disable=SC2046  # the command line is words by design
  out=$(timeout 20 $(qemu_base kvm host) -append "console=ttyS0 panic=1 it.probe=1" </dev/null 2>&1)
  grep -q IT-PROBE-OK <<<"$out" && return 0
  echo "no IT-PROBE-OK from a KVM boot within 20 s; last console output: $(tr -cd '[:print:]\n' <<<"$out" | grep -v '^\s*$' | tail -n 2 | tr '\n' ' ')"
  return 1
}
case "$ACCEL_WANT" in
  tcg) ;;
  kvm) ACCEL=kvm CPU=host ;;
  auto)
    key="$(cat "$CACHE/stamp" 2>/dev/null) $(uname -r)"
    if [[ -f "$CACHE/accel" && "$(head -n1 "$CACHE/accel")" == "$key" ]]; then
      [[ "$(sed -n 2p "$CACHE/accel")" == kvm ]] && ACCEL=kvm CPU=host
      it_log "accelerator: $ACCEL (cached probe result in $CACHE/accel)"
    else
      T_P=$SECONDS
      if why=$(probe_kvm); then ACCEL=kvm CPU=host; else it_log "KVM probe failed: ${why:0:300}"; fi
      printf '%s\n%s\n' "$key" "$ACCEL" >"$CACHE/accel"
      it_log "accelerator: $ACCEL (probe took $((SECONDS - T_P)) s)"
    fi ;;
  *) it_die "EDGE_NFSD_IT_ACCEL must be auto, tcg or kvm" ;;
esac
[[ "$ACCEL" == tcg ]] && it_log "using TCG: -accel tcg -cpu qemu64, 1 vCPU"

# ---- one guest boot runs a list of workloads ------------------------------------------------------
RESULTS=()   # "name status rc millis"
job_env() {  # JOB [EXTRA_LINE...]: the guest's /job/env
  local job=$1; shift
  cat >"$job/env" <<EOF
NFS_HOST=10.0.2.2
NFS_PORT=$PORT
SERVER_KIND=$SERVER
NFS_VERS=$NFSVERS
EXP_RW=${EXT_EXPORT:-$BASE/rw}
EXP_RSQ=$BASE/rsq
EXP_ASQ=$BASE/asq
EXP_RO=$BASE/ro
EXP_DENY=$BASE/deny
EXP_FULL=$BASE/full
EXP_XMNT=$BASE/xmnt
EXP_RFL=$BASE/rfl
ANON_RSQ=4242
ANON_ASQ=4343
EOF
  [[ $# -eq 0 ]] || printf '%s\n' "$@" >>"$job/env"
}
boot() {  # boot N "name tmo" ...
  local n=$1; shift
  local job="$LOGDIR/boot$n" total=120 w name tmo
  mkdir -p "$job/workloads" "$job/results" "$job/ctl"
  cp "$HERE/guest/guest-init.sh" "$HERE/guest/lib.sh" "$job/"
  : >"$job/plan"
  for w in "$@"; do
    read -r name tmo <<<"$w"
    cp "$HERE/workloads/$name.sh" "$job/workloads/"
    echo "$name $tmo" >>"$job/plan"
    total=$((total + tmo + 60))
  done
  if [[ $SHELL_MODE -eq 1 ]]; then
    cp "$HERE"/workloads/*.sh "$job/workloads/"
    touch "$job/shell"
  fi
  job_env "$job"
  local console="$job/console.log" t0=$SECONDS up=
  if [[ $SHELL_MODE -eq 1 ]]; then
    it_log "interactive guest: workloads are in /job/workloads, helpers in /job/lib.sh; 'exit' ends it"
    it_client_guest_cmd "$ACCEL" "$CPU" "$job"
    "${IT_QEMU[@]}"
    return
  fi
  it_client_guest_cmd "$ACCEL" "$CPU" "$job"
  "${IT_QEMU[@]}" </dev/null >"$console" 2>&1 &
  QEMU_PID=$!
  it_log "boot $n: qemu pid $QEMU_PID ($ACCEL), workloads: $(cut -d' ' -f1 "$job/plan" | tr '\n' ' ')(limit ${total}s)"
  local reported=" "
  report_new() {  # log each finished workload once (the guest writes results/NAME/rc last)
    local f nm
    for f in "$job"/results/*/rc; do
      [[ -f "$f" ]] || continue
      nm=$(basename "$(dirname "$f")")
      [[ "$reported" == *" $nm "* ]] && continue
      reported+="$nm "
      it_log "boot $n: $nm finished, exit status $(cat "$f"), $(cat "$job/results/$nm/millis" 2>/dev/null) ms"
    done
  }
  while kill -0 "$QEMU_PID" 2>/dev/null; do
    sleep 0.2
    if [[ -z "$up" ]] && grep -q IT-GUEST-UP "$console" 2>/dev/null; then
      up=$((SECONDS - t0)); it_log "boot $n: guest up after ${up} s"
    fi
    report_new
    host_ctl "$job"
    if [[ $((SECONDS - t0)) -gt $total ]]; then
      it_log "boot $n: guest exceeded ${total} s, killing qemu"
      echo "HOST: qemu killed after ${total} s" >>"$console"
      kill -KILL "$QEMU_PID" 2>/dev/null
      break
    fi
    if [[ "$SERVER" != external ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
      it_log "boot $n: the server process died; stopping the guest"
      echo "HOST: server died" >>"$console"
      kill -KILL "$QEMU_PID" 2>/dev/null
      break
    fi
  done
  wait "$QEMU_PID" 2>/dev/null
  QEMU_PID=
  report_new
  it_log "boot $n: qemu exited after $((SECONDS - t0)) s"
  BOOT_SECS+=("boot$n:${up:-?}s-to-up,$((SECONDS - t0))s-total")

  for w in "$@"; do
    read -r name tmo <<<"$w"
    local r="$job/results/$name" status rc ms
    mkdir -p "$r"
    rc=$(cat "$r/rc" 2>/dev/null || echo none)
    ms=$(cat "$r/millis" 2>/dev/null || echo 0)
    status=PASS
    [[ "$rc" == 0 ]] || status=FAIL
    if [[ "$rc" == none ]]; then
      echo "workload did not complete: the guest stopped before reporting (see console.log)" >>"$r/output.log"
    fi
    if [[ "$rc" == 0 && -f "$HERE/workloads/$name.host.sh" ]]; then
      if [[ "$SERVER" == external ]]; then
        if [[ -z "${EDGE_NFSD_IT_HOST_CHECK:-}" ]]; then
          echo "FAIL: external server and no EDGE_NFSD_IT_HOST_CHECK to run $name.host.sh where its disk is" >"$r/host.log"
          status=FAIL; rc="host-check"
        elif ! $EDGE_NFSD_IT_HOST_CHECK "$name" "$HERE/workloads/$name.host.sh" "$job/env" >"$r/host.log" 2>&1; then
          status=FAIL; rc="host-check"
        fi
      elif ! (set -a; . "$job/env"; set +a; bash "$HERE/workloads/$name.host.sh") >"$r/host.log" 2>&1; then
        status=FAIL; rc="host-check"
      fi
    fi
    RESULTS+=("$name $status $rc $ms $job")
  done
}

# ---- a pair of guests at once (PAIR_WORKLOADS) -----------------------------------------------------
# Both boot the same cached root (each through qemu's own snapshot overlay), as itguest-a and itguest-b
# with distinct nfs.nfs4_unique_id= on their kernel command lines, so the server sees two clients of two
# principals. Each has its own job directory (pair-a, pair-b); a shared 9p directory (/peer in the guest)
# carries their barrier files. When A asks for crash-guest, its qemu is SIGKILLed and A boots again
# (pair-a2, same host name and unique id: a client reboot). The workload passes when B and A2 pass.
boot_pair() {  # "name tmo"
  local name tmo
  read -r name tmo <<<"$1"
  local peer="$LOGDIR/pair-peer" total=$((tmo + 240)) t0=$SECONDS r p alive
  local -A pid=()
  rm -rf "$peer"; mkdir -p "$peer"; chmod 777 "$peer"
  pair_start() {  # ROLE (a, b, a2)
    local role=$1 job="$LOGDIR/pair-$1" host="itguest-${1:0:1}" i
    mkdir -p "$job/workloads" "$job/results" "$job/ctl"
    cp "$HERE/guest/guest-init.sh" "$HERE/guest/lib.sh" "$job/"
    cp "$HERE/workloads/$name.sh" "$job/workloads/"
    echo "$name $tmo" >"$job/plan"
    job_env "$job" "ROLE=$role" "NFS4_UNIQUE_ID=it-$host-$PORT"
    it_client_guest_cmd "$ACCEL" "$CPU" "$job"
    for i in "${!IT_QEMU[@]}"; do
      [[ "${IT_QEMU[i]}" == -append ]] && IT_QEMU[i+1]+=" it.hostname=$host it.peer=1 nfs.nfs4_unique_id=it-$host-$PORT"
    done
    IT_QEMU+=(-virtfs "local,path=$peer,mount_tag=peer,security_model=none,id=peer")
    "${IT_QEMU[@]}" </dev/null >"$job/console.log" 2>&1 &
    pid[$role]=$!
    PAIR_PIDS+=" $!"
    it_log "pair: guest $role ($host) qemu pid $! ($ACCEL)"
  }
  pair_start a
  pair_start b
  while :; do
    alive=0
    for r in "${!pid[@]}"; do kill -0 "${pid[$r]}" 2>/dev/null && alive=1; done
    [[ $alive -eq 1 ]] || break
    sleep 0.2
    for r in a b a2; do [[ -d "$LOGDIR/pair-$r/ctl" ]] && host_ctl "$LOGDIR/pair-$r"; done
    if [[ -n "$CRASH_REQ" ]]; then
      r=${CRASH_REQ##*/pair-}; CRASH_REQ=
      kill -KILL "${pid[$r]}" 2>/dev/null; wait "${pid[$r]}" 2>/dev/null
      it_log "pair: guest $r crashed (qemu pid ${pid[$r]} SIGKILLed) after $((SECONDS - t0)) s"
      echo "HOST: qemu SIGKILLed on the guest's request" >>"$LOGDIR/pair-$r/console.log"
      unset "pid[$r]"
      [[ "$r" == a ]] && pair_start a2
    fi
    if [[ $((SECONDS - t0)) -gt $total ]]; then
      it_log "pair: exceeded ${total} s, killing both guests"
      for p in "${pid[@]}"; do kill -KILL "$p" 2>/dev/null; done
      break
    fi
    if [[ "$SERVER" != external ]] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
      it_log "pair: the server process died; stopping the guests"
      for p in "${pid[@]}"; do kill -KILL "$p" 2>/dev/null; done
      break
    fi
  done
  for p in "${pid[@]}"; do wait "$p" 2>/dev/null; done
  PAIR_PIDS=
  local secs=$((SECONDS - t0)) status=PASS rc=0 out="$LOGDIR/pair/results/$name"
  it_log "pair: both guests exited after $secs s"
  BOOT_SECS+=("pair:${secs}s-total")
  mkdir -p "$out"
  : >"$out/output.log"; : >"$out/dmesg.log"
  for r in a b a2; do
    local res="$LOGDIR/pair-$r/results/$name" got
    { echo "---------------- guest $r ($res) ----------------"; cat "$res/output.log" 2>/dev/null; } >>"$out/output.log"
    { echo "---------------- guest $r ----------------"; cat "$res/dmesg.log" 2>/dev/null; } >>"$out/dmesg.log"
    got=$(cat "$res/rc" 2>/dev/null || echo none)
    # A's first life ends in the crash it asks for: an exit status there means it failed before
    [[ "$r" == a && "$got" == none ]] && continue
    if [[ "$got" != 0 ]]; then status=FAIL; rc="$r:$got"; fi
  done
  RESULTS+=("$name $status $rc $((secs * 1000)) $LOGDIR/pair")
}

BOOT_SECS=()
T_RUN=$SECONDS
if [[ $SHELL_MODE -eq 1 ]]; then
  boot 1
  exit 0
fi
SINGLE=() PAIRS=()
for w in "${PLAN[@]}"; do
  if [[ "$PAIR_WORKLOADS" == *" ${w%% *} "* ]]; then PAIRS+=("$w"); else SINGLE+=("$w"); fi
done
if [[ $PER_BOOT -eq 1 ]]; then
  i=0; for w in "${SINGLE[@]}"; do i=$((i + 1)); boot "$i" "$w"; done
elif [[ ${#SINGLE[@]} -gt 0 ]]; then
  boot 1 "${SINGLE[@]}"
fi
for w in "${PAIRS[@]}"; do boot_pair "$w"; done
T_RUN=$((SECONDS - T_RUN))
stop_server

# ---- report ----------------------------------------------------------------------------------------
FAILED=0
: >"$LOGDIR/summary.tsv"
for res in "${RESULTS[@]}"; do
  read -r name status rc ms job <<<"$res"
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$status" "$rc" "$ms" "$job/results/$name" >>"$LOGDIR/summary.tsv"
  if [[ "$status" != PASS ]]; then
    FAILED=$((FAILED + 1))
    r="$job/results/$name"
    {
      echo "================ FAILED: $name (exit status $rc) against $SERVER ================"
      echo "---------------- output ($r/output.log) ----------------"
      cat "$r/output.log" 2>/dev/null
      if [[ -f "$r/host.log" ]]; then echo "---------------- host-side check ----------------"; cat "$r/host.log"; fi
      echo "---------------- exit status: $rc ----------------"
      echo "---------------- guest dmesg ($r/dmesg.log) ----------------"
      cat "$r/dmesg.log" 2>/dev/null || { echo "(none; last console lines:)"; tail -n 60 "$job/console.log"; }
      echo "---------------- server log ($LOGDIR/server.log, last 300 lines) ----------------"
      tail -n 300 "$LOGDIR/server.log" 2>/dev/null
      echo "================ end of $name ================"
    } | tee "$r/failure-report.txt" >&2
  fi
done
echo >&2
it_log "summary ($SERVER, accel $ACCEL, assets check ${T_ASSETS}s, ${BOOT_SECS[*]}, workloads+boots ${T_RUN}s):"
while IFS=$'\t' read -r name status rc ms _; do
  printf '  %-16s %-5s rc=%-10s %6.1f s\n' "$name" "$status" "$rc" "$(awk -v m="$ms" 'BEGIN { print m / 1000 }')" >&2
done <"$LOGDIR/summary.tsv"
it_log "logs: $LOGDIR"
[[ $FAILED -eq 0 ]] || { it_log "$FAILED workload(s) failed"; exit 1; }
exit 0
