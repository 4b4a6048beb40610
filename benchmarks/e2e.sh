#!/usr/bin/env bash
# End-to-end benchmark: edge-nfsd and NFS-Ganesha (VFS FSAL), both exporting an ext4 directory with
# honest sync, measured in one run:
#   1. through the Linux kernel NFS client in the qemu guest of it/kernel-client (its assets, kernel,
#      initramfs and guest-init.sh are reused; the bench workloads are benchmarks/guest/b_*.sh):
#      raw TCP link both ways, O_DIRECT sequential write and read, fio 4 KiB random read,
#      create/stat/remove of many files, sqlite transactions/s;
#   2. through the host load generator (io.edgenfsd.bench.load.LoadGen): several sessions, many slots in
#      flight, 1 MiB WRITE/READ and a metadata mix;
# with each server's CPU seconds (utime+stime from /proc/PID/stat) per phase and peak RSS (VmHWM).
# Writes benchmarks/results/<date>.md (and the raw numbers beside it).
#
#   benchmarks/e2e.sh [--seq-mib 1024] [--files 5000] [--sqlite-tx 300] [--fio-seconds 20]
#                     [--load-seconds 10] [--load-sessions 4] [--load-slots 4] [--servers "edge ganesha"]
#
# Environment: EDGE_NFSD_HARNESS (default it/kernel-client of this repository), EDGE_NFSD_IT_CACHE
# (guest assets root, default /var/cache/edge-nfsd-it; the harness keeps them in kernel-client/), EDGE_JAVA_OPTS (default: the options the .deb ships
# in /etc/default/edge-nfsd), JAVA (default java). Needs root, qemu-system-x86, nfs-ganesha(-vfs), and
# `mvn -B package -DskipTests` done (nfs-server/target/edge-nfsd.jar, benchmarks/target/benchmarks.jar).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=e2e
# shellcheck source=../it/lib/host.sh
. "$HERE/../it/lib/host.sh"
REPO=$IT_REPO
HARNESS=${EDGE_NFSD_HARNESS:-$REPO/it/kernel-client}
CACHE=$(it_kc_cache)   # the harness's own subdirectory
JAVA=${JAVA:-java}
# the .deb's /etc/default/edge-nfsd is the one source of the JVM options and MALLOC_ARENA_MAX
EDGE_JAVA_OPTS=$(it_deb_java_opts)
EDGE_MALLOC_ARENA_MAX=$(it_deb_malloc_arenas)
JAR=$REPO/nfs-server/target/edge-nfsd.jar
BJAR=$REPO/benchmarks/target/benchmarks.jar
SEQ_MIB=1024 META_FILES=5000 SQLITE_TX=300 FIO_SECONDS=20 LINK_MIB=256
LOAD_SECONDS=10 LOAD_SESSIONS=4 LOAD_SLOTS=4 LOAD_FILE_MIB=256
SERVERS="edge ganesha"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seq-mib) SEQ_MIB=$2; shift 2 ;;
    --files) META_FILES=$2; shift 2 ;;
    --sqlite-tx) SQLITE_TX=$2; shift 2 ;;
    --fio-seconds) FIO_SECONDS=$2; shift 2 ;;
    --load-seconds) LOAD_SECONDS=$2; shift 2 ;;
    --load-sessions) LOAD_SESSIONS=$2; shift 2 ;;
    --load-slots) LOAD_SLOTS=$2; shift 2 ;;
    --servers) SERVERS=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
WORKLOADS=(b_link b_seq b_fio b_meta b_sqlite)

[[ $(id -u) -eq 0 ]] || it_die "run as root"
command -v qemu-system-x86_64 >/dev/null || it_die "qemu-system-x86_64 missing"
command -v ganesha.nfsd >/dev/null || it_die "ganesha.nfsd missing (apt-get install nfs-ganesha nfs-ganesha-vfs)"
[[ -f "$JAR" && -f "$BJAR" ]] || it_die "build first: mvn -B package -DskipTests"
[[ -x "$HARNESS/build-assets.sh" && -f "$HARNESS/guest/guest-init.sh" ]] || it_die "kernel-client harness not found at $HARNESS"
"$HARNESS/build-assets.sh" || it_die "guest assets"
[[ -f "$CACHE/root.img" ]] || it_die "guest root image not found in $CACHE"
ACCEL=tcg CPU=qemu64
[[ -f "$CACHE/accel" && "$(sed -n 2p "$CACHE/accel")" == kvm ]] && ACCEL=kvm CPU=host

DATE=$(date +%Y-%m-%d)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$REPO/benchmarks/results
RAW=$REPO/benchmarks/target/e2e-$STAMP
mkdir -p "$OUT" "$RAW"
BASE=$(mktemp -d /var/tmp/edge-nfsd-bench.XXXXXX)   # ext4 here, like the exports of both servers
chmod 755 "$BASE"
SERVER_PID='' QEMU_PID='' SINK_PID=''
cleanup() {
  [[ -n "$QEMU_PID" ]] && kill -KILL "$QEMU_PID" 2>/dev/null
  [[ -n "$SINK_PID" ]] && kill "$SINK_PID" 2>/dev/null
  stop_server
  rm -rf "$BASE"
}
stop_server() {
  it_stop_pid "$SERVER_PID" 10
  SERVER_PID=
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cpu_ticks() { awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat" 2>/dev/null || echo 0; }
vmhwm() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

start_server() {  # kind dir port
  local kind=$1 dir=$2 port=$3 d=$RAW/$1
  mkdir -p "$d/state"
  if [[ $kind == edge ]]; then
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX=$EDGE_MALLOC_ARENA_MAX "$JAVA" $EDGE_JAVA_OPTS -jar "$JAR" --bind 127.0.0.1 --port "$port" --state-dir "$d/state" \
      --export "$dir *(rw,sync,no_root_squash,insecure)" >"$d/server.log" 2>&1 </dev/null &
  else
    cat >"$d/ganesha.conf" <<EOF
NFS_CORE_PARAM { Protocols = 4; NFS_Port = $port; Bind_addr = 127.0.0.1; Enable_NLM = false; Enable_RQUOTA = false; Enable_UDP = false; }
NFS_KRB5 { Active_krb5 = false; }
NFSV4 { Graceless = true; Minor_Versions = 1, 2; Only_Numeric_Owners = true; RecoveryBackend = fs; RecoveryRoot = "$d/state"; }
EXPORT {
  Export_Id = 1; Path = "$dir"; Pseudo = "$dir"; Protocols = 4; Transports = TCP; SecType = sys;
  Access_Type = RW; Squash = No_Root_Squash; FSAL { Name = VFS; }
}
EOF
    ganesha.nfsd -F -f "$d/ganesha.conf" -L "$d/server.log" -N NIV_EVENT -p "$d/ganesha.pid" \
      >"$d/server.stdout" 2>&1 </dev/null &
  fi
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    kill -0 "$SERVER_PID" 2>/dev/null || it_die "$kind exited at start; see $d/server.log"
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  it_die "$kind did not accept connections in 60 s"
}

# One guest boot running the bench workloads; the host notes the server's CPU ticks as each starts/ends.
run_guest() {  # kind port
  local kind=$1 port=$2 job=$RAW/$1/guest
  mkdir -p "$job/workloads" "$job/results"
  cp "$HARNESS/guest/guest-init.sh" "$HARNESS/guest/lib.sh" "$job/"
  : >"$job/plan"
  for w in "${WORKLOADS[@]}"; do cp "$HERE/guest/$w.sh" "$job/workloads/"; echo "$w 1800" >>"$job/plan"; done
  cat >"$job/env" <<EOF
NFS_HOST=10.0.2.2
NFS_PORT=$port
SERVER_KIND=$kind
EOF
  cat >"$job/bench.env" <<EOF
EXP_BENCH=$BASE/$kind
SINK_PORT=$SINK_PORT
LINK_MIB=$LINK_MIB
SEQ_MIB=$SEQ_MIB
FIO_SECONDS=$FIO_SECONDS
META_FILES=$META_FILES
SQLITE_TX=$SQLITE_TX
EOF
  it_client_guest_cmd "$ACCEL" "$CPU" "$job"
  "${IT_QEMU[@]}" </dev/null >"$job/console.log" 2>&1 &
  QEMU_PID=$!
  it_log "$kind: guest booting (qemu $QEMU_PID, $ACCEL)"
  local t0=$SECONDS seen=" " line
  : >"$job/cpu.tsv"
  while kill -0 "$QEMU_PID" 2>/dev/null; do
    while read -r line; do
      [[ "$seen" == *" $line "* ]] && continue
      seen+="$line "
      printf '%s\t%s\n' "$line" "$(cpu_ticks "$SERVER_PID")" >>"$job/cpu.tsv"
      [[ $line == IT-RESULT:* ]] && it_log "$kind: ${line#IT-RESULT:} done"
    done < <(grep -aoE 'IT-(START|RESULT) [a-z_]+' "$job/console.log" 2>/dev/null | tr ' ' ':')
    if [[ $((SECONDS - t0)) -gt 3600 ]]; then it_log "$kind: guest over 3600 s, killed"; kill -KILL "$QEMU_PID"; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { it_log "$kind: server died"; kill -KILL "$QEMU_PID"; }
    sleep 0.2
  done
  wait "$QEMU_PID" 2>/dev/null
  QEMU_PID=
  for w in "${WORKLOADS[@]}"; do
    rc=$(cat "$job/results/$w/rc" 2>/dev/null || echo none)
    [[ $rc == 0 ]] || it_log "$kind: $w failed (rc $rc): $(tail -n 5 "$job/results/$w/output.log" 2>/dev/null | tr '\n' ' ')"
    grep -h '^RESULT ' "$job/results/$w/output.log" 2>/dev/null | sed "s/^RESULT /$kind\t/; s/ /\t/" >>"$RAW/results.tsv"
    grep -h '^INFO ' "$job/results/$w/output.log" 2>/dev/null | sed "s/^INFO /$kind\tinfo\t/" >>"$RAW/info.tsv"
    # CPU seconds of the server during this workload
    s=$(awk -F'\t' -v k="IT-START:$w" '$1 == k { print $2 }' "$job/cpu.tsv")
    e=$(awk -F'\t' -v k="IT-RESULT:$w" '$1 == k { print $2 }' "$job/cpu.tsv")
    [[ -n "$s" && -n "$e" ]] && printf '%s\tcpu_s_%s\t%s\n' "$kind" "$w" "$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", (b - a) / 100 }')" >>"$RAW/results.tsv"
  done
}

: >"$RAW/results.tsv"
: >"$RAW/info.tsv"
python3 "$HERE/guest/tcp-sink.py" "$RAW/sink.port" $((4 * $(wc -w <<<"$SERVERS"))) &
SINK_PID=$!
for _ in $(seq 1 50); do [[ -s "$RAW/sink.port" ]] && break; sleep 0.1; done
SINK_PORT=$(cat "$RAW/sink.port")

for kind in $SERVERS; do
  mkdir -p "$BASE/$kind"
  port=$(it_free_port)
  start_server "$kind" "$BASE/$kind" "$port"
  it_log "$kind: serving $BASE/$kind on 127.0.0.1:$port (pid $SERVER_PID)"
  c0=$(cpu_ticks "$SERVER_PID")
  run_guest "$kind" "$port"
  c1=$(cpu_ticks "$SERVER_PID")
  printf '%s\tcpu_s_kernel_client_total\t%s\n%s\tvmhwm_kib_kernel_client\t%s\n' "$kind" \
    "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", (b - a) / 100 }')" "$kind" "$(vmhwm "$SERVER_PID")" >>"$RAW/results.tsv"
  it_log "$kind: host load generator ($LOAD_SESSIONS sessions x $LOAD_SLOTS slots)"
  if "$JAVA" -cp "$BJAR" io.edgenfsd.bench.load.LoadGen --port "$port" --export "$BASE/$kind" \
      --sessions "$LOAD_SESSIONS" --slots "$LOAD_SLOTS" --file-mib "$LOAD_FILE_MIB" --seconds "$LOAD_SECONDS" \
      --pid "$SERVER_PID" >"$RAW/$kind/loadgen.tsv" 2>"$RAW/$kind/loadgen.err"; then
    awk -F'\t' -v k="$kind" 'NR > 1 { printf "%s\tload_%s_MiBps\t%s\n%s\tload_%s_ops_per_s\t%s\n%s\tload_%s_cpu_s\t%s\n%s\tload_%s_bytes\t%s\n%s\tload_%s_ops\t%s\n", k, $1, $5, k, $1, $6, k, $1, $7, k, $1, $3, k, $1, $4 }' \
      "$RAW/$kind/loadgen.tsv" >>"$RAW/results.tsv"
  else
    it_log "$kind: load generator failed: $(tail -n 3 "$RAW/$kind/loadgen.err")"
  fi
  printf '%s\tvmhwm_kib_all\t%s\n' "$kind" "$(vmhwm "$SERVER_PID")" >>"$RAW/results.tsv"
  stop_server
done

python3 "$HERE/guest/report.py" "$RAW/results.tsv" "$RAW/info.tsv" "$DATE" \
  "seq ${SEQ_MIB} MiB, ${META_FILES} files, ${SQLITE_TX} sqlite tx, fio ${FIO_SECONDS} s, load ${LOAD_SESSIONS}x${LOAD_SLOTS} slots ${LOAD_SECONDS} s, accel $ACCEL, edge JVM: $EDGE_JAVA_OPTS, MALLOC_ARENA_MAX=$EDGE_MALLOC_ARENA_MAX" \
  >"$OUT/$DATE.md"
cp "$RAW/results.tsv" "$OUT/$DATE.tsv"
it_log "results: $OUT/$DATE.md (raw: $RAW)"
cat "$OUT/$DATE.md"
