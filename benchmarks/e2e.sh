#!/usr/bin/env bash
# End-to-end benchmark: edge-nfsd builds and NFS-Ganesha (VFS FSAL), each exporting an ext4 directory
# with honest sync, measured in one run:
#   1. through the Linux kernel NFS client in the qemu guest of it/kernel-client (its assets, kernel,
#      initramfs and guest-init.sh are reused; the bench workloads are benchmarks/guest/b_*.sh):
#      raw TCP link both ways, O_DIRECT sequential write and read, fio 4 KiB random read,
#      create/stat/remove of many files, sqlite transactions/s;
#   2. through the host load generator (io.edgenfsd.bench.load.LoadGen): several sessions, many slots in
#      flight, 1 MiB WRITE/READ and a metadata mix;
# with each server's CPU seconds (utime+stime from /proc/PID/stat) per phase and peak RSS (VmHWM).
# Writes benchmarks/results/<name>.md (and the raw numbers beside it, <name>.tsv).
#
#   benchmarks/e2e.sh [--seq-mib 1024] [--files 5000] [--sqlite-tx 300] [--fio-seconds 20]
#                     [--load-seconds 10] [--load-sessions 4] [--load-slots 4] [--servers "edge ganesha"]
#                     [--rounds 1] [--name <date>]
#
# --servers: `edge` (the tree's nfs-server/target/edge-nfsd.jar), `edge:NAME=JAR` (another build, named
# NAME in the report) and `ganesha`, in the order given; e.g.
#   --servers "edge:ref=/work/jars/ref-b35b94a.jar edge:new=nfs-server/target/edge-nfsd.jar"
# --rounds N runs the whole set N times, the order rotated each round (round r starts with the r-th
# server), each time a fresh server, export and guest boot. The report gives the medians over rounds,
# each edge build against the first one listed (median of the per-round ratios, and each round's), and
# with N > 1 every round's numbers and the spread between rounds (the noise).
# Every edge build gets the same command line (--bind --port --state-dir --export, which builds from
# before issue 11 also take) and the same JVM options.
#
# Environment: EDGE_NFSD_HARNESS (default it/kernel-client of this repository), EDGE_NFSD_IT_CACHE
# (guest assets root, default /var/cache/edge-nfsd-it; the harness keeps them in kernel-client/), EDGE_JAVA_OPTS (default: the options the .deb ships
# in /etc/default/edge-nfsd), JAVA (default java). Needs root, qemu-system-x86, nfs-ganesha(-vfs) when
# ganesha is served, and `mvn -B package -DskipTests` done (benchmarks/target/benchmarks.jar, and
# nfs-server/target/edge-nfsd.jar for plain `edge`).
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
SERVERS="edge ganesha" ROUNDS=1 NAME=$(date +%Y-%m-%d)
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
    --rounds) ROUNDS=$2; shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
WORKLOADS=(b_link b_seq b_fio b_meta b_sqlite)
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || it_die "--rounds: a positive count, not $ROUNDS"
[[ $NAME =~ ^[A-Za-z0-9._-]+$ ]] || it_die "--name: letters, digits, . _ - only"

# the servers: LABELS (names in the report and the raw numbers), KINDS (edge|ganesha), JARS (edge only)
LABELS=() KINDS=() JARS=()
for s in $SERVERS; do
  case "$s" in
    edge) LABELS+=(edge) KINDS+=(edge) JARS+=("$JAR") ;;
    edge:*=*) s=${s#edge:}; LABELS+=("${s%%=*}") KINDS+=(edge) JARS+=("$(realpath -m "${s#*=}")") ;;
    ganesha) LABELS+=(ganesha) KINDS+=(ganesha) JARS+=('') ;;
    *) it_die "--servers: $s is not edge, edge:NAME=JAR or ganesha" ;;
  esac
done
[[ ${#LABELS[@]} -gt 0 ]] || it_die "--servers: none given"
for i in "${!LABELS[@]}"; do
  l=${LABELS[$i]}
  [[ $l =~ ^[A-Za-z0-9_-]+$ ]] || it_die "--servers: name $l: letters, digits, _ - only"
  [[ ${KINDS[$i]} == ganesha || $l != ganesha ]] || it_die "--servers: ganesha names NFS-Ganesha, not an edge build"
  [[ $(printf '%s\n' "${LABELS[@]}" | grep -cxF -- "$l") -eq 1 ]] || it_die "--servers: $l given twice"
  [[ ${KINDS[$i]} == ganesha || -f ${JARS[$i]} ]] || it_die "$l: no jar at ${JARS[$i]} (build first: mvn -B package -DskipTests)"
done

[[ $(id -u) -eq 0 ]] || it_die "run as root"
command -v qemu-system-x86_64 >/dev/null || it_die "qemu-system-x86_64 missing"
[[ " ${KINDS[*]} " != *" ganesha "* ]] || command -v ganesha.nfsd >/dev/null \
  || it_die "ganesha.nfsd missing (apt-get install nfs-ganesha nfs-ganesha-vfs)"
[[ -f "$BJAR" ]] || it_die "build first: mvn -B package -DskipTests"
[[ -x "$HARNESS/build-assets.sh" && -f "$HARNESS/guest/guest-init.sh" ]] || it_die "kernel-client harness not found at $HARNESS"
"$HARNESS/build-assets.sh" || it_die "guest assets"
[[ -f "$CACHE/root.img" ]] || it_die "guest root image not found in $CACHE"
ACCEL=tcg CPU=qemu64
[[ -f "$CACHE/accel" && "$(sed -n 2p "$CACHE/accel")" == kvm ]] && ACCEL=kvm CPU=host

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

start_server() {  # index dir port rawdir
  local i=$1 dir=$2 port=$3 d=$4 label=${LABELS[$1]}
  mkdir -p "$d/state"
  if [[ ${KINDS[$i]} == edge ]]; then
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX=$EDGE_MALLOC_ARENA_MAX "$JAVA" $EDGE_JAVA_OPTS -jar "${JARS[$i]}" --bind 127.0.0.1 --port "$port" --state-dir "$d/state" \
      --export "$dir *(rw,sync,no_root_squash,insecure)" >"$d/server.log" 2>&1 </dev/null &
  else
    cat >"$d/ganesha.conf" <<EOC
NFS_CORE_PARAM { Protocols = 4; NFS_Port = $port; Bind_addr = 127.0.0.1; Enable_NLM = false; Enable_RQUOTA = false; Enable_UDP = false; }
NFS_KRB5 { Active_krb5 = false; }
NFSV4 { Graceless = true; Minor_Versions = 1, 2; Only_Numeric_Owners = true; RecoveryBackend = fs; RecoveryRoot = "$d/state"; }
EXPORT {
  Export_Id = 1; Path = "$dir"; Pseudo = "$dir"; Protocols = 4; Transports = TCP; SecType = sys;
  Access_Type = RW; Squash = No_Root_Squash; FSAL { Name = VFS; }
}
EOC
    ganesha.nfsd -F -f "$d/ganesha.conf" -L "$d/server.log" -N NIV_EVENT -p "$d/ganesha.pid" \
      >"$d/server.stdout" 2>&1 </dev/null &
  fi
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    kill -0 "$SERVER_PID" 2>/dev/null || it_die "$label exited at start; see $d/server.log"
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  it_die "$label did not accept connections in 60 s"
}

# One line of results.tsv: round, server, metric, value.
result() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$RAW/results.tsv"; }

# One guest boot running the bench workloads; the host notes the server's CPU ticks as each starts/ends.
run_guest() {  # round index port exportdir rawdir
  local r=$1 label=${LABELS[$2]} kind=${KINDS[$2]} port=$3 exp=$4 job=$5/guest w rc s e
  mkdir -p "$job/workloads" "$job/results"
  cp "$HARNESS/guest/guest-init.sh" "$HARNESS/guest/lib.sh" "$job/"
  : >"$job/plan"
  for w in "${WORKLOADS[@]}"; do cp "$HERE/guest/$w.sh" "$job/workloads/"; echo "$w 1800" >>"$job/plan"; done
  cat >"$job/env" <<EOC
NFS_HOST=10.0.2.2
NFS_PORT=$port
SERVER_KIND=$kind
EOC
  cat >"$job/bench.env" <<EOC
EXP_BENCH=$exp
SINK_PORT=$SINK_PORT
LINK_MIB=$LINK_MIB
SEQ_MIB=$SEQ_MIB
FIO_SECONDS=$FIO_SECONDS
META_FILES=$META_FILES
SQLITE_TX=$SQLITE_TX
EOC
  it_client_guest_cmd "$ACCEL" "$CPU" "$job"
  "${IT_QEMU[@]}" </dev/null >"$job/console.log" 2>&1 &
  QEMU_PID=$!
  it_log "r$r $label: guest booting (qemu $QEMU_PID, $ACCEL)"
  local t0=$SECONDS seen=" " line
  : >"$job/cpu.tsv"
  while kill -0 "$QEMU_PID" 2>/dev/null; do
    while read -r line; do
      [[ "$seen" == *" $line "* ]] && continue
      seen+="$line "
      printf '%s\t%s\n' "$line" "$(cpu_ticks "$SERVER_PID")" >>"$job/cpu.tsv"
      [[ $line == IT-RESULT:* ]] && it_log "r$r $label: ${line#IT-RESULT:} done"
    done < <(grep -aoE 'IT-(START|RESULT) [a-z_]+' "$job/console.log" 2>/dev/null | tr ' ' ':')
    if [[ $((SECONDS - t0)) -gt 3600 ]]; then it_log "r$r $label: guest over 3600 s, killed"; kill -KILL "$QEMU_PID"; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { it_log "r$r $label: server died"; kill -KILL "$QEMU_PID"; }
    sleep 0.2
  done
  wait "$QEMU_PID" 2>/dev/null
  QEMU_PID=
  for w in "${WORKLOADS[@]}"; do
    rc=$(cat "$job/results/$w/rc" 2>/dev/null || echo none)
    [[ $rc == 0 ]] || it_log "r$r $label: $w failed (rc $rc): $(tail -n 5 "$job/results/$w/output.log" 2>/dev/null | tr '\n' ' ')"
    grep -h '^RESULT ' "$job/results/$w/output.log" 2>/dev/null | sed "s/^RESULT /$r\t$label\t/; s/ /\t/" >>"$RAW/results.tsv"
    grep -h '^INFO ' "$job/results/$w/output.log" 2>/dev/null | sed "s/^INFO /$r\t$label\tinfo\t/" >>"$RAW/info.tsv"
    # CPU seconds of the server during this workload
    s=$(awk -F'\t' -v k="IT-START:$w" '$1 == k { print $2 }' "$job/cpu.tsv")
    e=$(awk -F'\t' -v k="IT-RESULT:$w" '$1 == k { print $2 }' "$job/cpu.tsv")
    [[ -n "$s" && -n "$e" ]] && result "$r" "$label" "cpu_s_$w" "$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.2f", (b - a) / 100 }')"
  done
}

# One server of one round: fresh export and state, kernel-client guest, then the host load generator.
run_server() {  # round index
  local r=$1 i=$2 label=${LABELS[$2]} exp=$BASE/$2-r$1 d=$RAW/r$1/${LABELS[$2]} port c0 c1
  mkdir -p "$exp" "$d"
  port=$(it_free_port)
  result "$r" "$label" host_loadavg_1m "$(cut -d' ' -f1 /proc/loadavg)"
  start_server "$i" "$exp" "$port" "$d"
  it_log "r$r $label: serving $exp on 127.0.0.1:$port (pid $SERVER_PID${JARS[$i]:+, ${JARS[$i]}})"
  c0=$(cpu_ticks "$SERVER_PID")
  run_guest "$r" "$i" "$port" "$exp" "$d"
  c1=$(cpu_ticks "$SERVER_PID")
  result "$r" "$label" cpu_s_kernel_client_total "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", (b - a) / 100 }')"
  result "$r" "$label" vmhwm_kib_kernel_client "$(vmhwm "$SERVER_PID")"
  it_log "r$r $label: host load generator ($LOAD_SESSIONS sessions x $LOAD_SLOTS slots)"
  if "$JAVA" -cp "$BJAR" io.edgenfsd.bench.load.LoadGen --port "$port" --export "$exp" \
      --sessions "$LOAD_SESSIONS" --slots "$LOAD_SLOTS" --file-mib "$LOAD_FILE_MIB" --seconds "$LOAD_SECONDS" \
      --pid "$SERVER_PID" >"$d/loadgen.tsv" 2>"$d/loadgen.err"; then
    awk -F'\t' -v r="$r" -v k="$label" 'NR > 1 { printf "%s\t%s\tload_%s_MiBps\t%s\n%s\t%s\tload_%s_ops_per_s\t%s\n%s\t%s\tload_%s_cpu_s\t%s\n%s\t%s\tload_%s_bytes\t%s\n%s\t%s\tload_%s_ops\t%s\n", r, k, $1, $5, r, k, $1, $6, r, k, $1, $7, r, k, $1, $3, r, k, $1, $4 }' \
      "$d/loadgen.tsv" >>"$RAW/results.tsv"
  else
    it_log "r$r $label: load generator failed: $(tail -n 3 "$d/loadgen.err")"
  fi
  result "$r" "$label" vmhwm_kib_all "$(vmhwm "$SERVER_PID")"
  stop_server
  rm -rf "$exp"   # the next server's export starts empty, and the disk does not fill over many rounds
}

: >"$RAW/results.tsv"
: >"$RAW/info.tsv"
: >"$RAW/servers.tsv"
for i in "${!LABELS[@]}"; do printf '%s\t%s\t%s\n' "${LABELS[$i]}" "${KINDS[$i]}" "${JARS[$i]}" >>"$RAW/servers.tsv"; done
N=${#LABELS[@]}
python3 "$HERE/guest/tcp-sink.py" "$RAW/sink.port" $((4 * N * ROUNDS)) &
SINK_PID=$!
for _ in $(seq 1 50); do [[ -s "$RAW/sink.port" ]] && break; sleep 0.1; done
SINK_PORT=$(cat "$RAW/sink.port")

for r in $(seq 1 "$ROUNDS"); do
  order=()
  for k in $(seq 0 $((N - 1))); do order+=($(( (k + r - 1) % N ))); done   # each server goes first once in N rounds
  printf '%s' "$r" >>"$RAW/order.tsv"
  for i in "${order[@]}"; do printf '\t%s' "${LABELS[$i]}" >>"$RAW/order.tsv"; done
  echo >>"$RAW/order.tsv"
  for i in "${order[@]}"; do run_server "$r" "$i"; done
done

python3 "$HERE/guest/report.py" "$RAW" "$NAME" \
  "seq ${SEQ_MIB} MiB, ${META_FILES} files, ${SQLITE_TX} sqlite tx, fio ${FIO_SECONDS} s, load ${LOAD_SESSIONS}x${LOAD_SLOTS} slots ${LOAD_SECONDS} s, ${ROUNDS} round(s), accel $ACCEL, edge JVM: $EDGE_JAVA_OPTS, MALLOC_ARENA_MAX=$EDGE_MALLOC_ARENA_MAX" \
  >"$OUT/$NAME.md"
cp "$RAW/results.tsv" "$OUT/$NAME.tsv"
it_log "results: $OUT/$NAME.md (raw: $RAW)"
cat "$OUT/$NAME.md"
