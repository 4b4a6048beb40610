#!/usr/bin/env bash
# Per-volume capacity enforced by the kernel, proven in guests (issue 16). The host's kernel lacks the v2
# quota format, so the SERVER runs in the server guest of run.sh (Debian's 6.1 kernel, its cached root;
# quota_tree.ko and quota_v2.ko come from the same kernel package, fetched once into
# $EDGE_NFSD_IT_CACHE/quota-modules/KVER and loaded over the 9p job share). Its data disk is ext4 made with
# '-O quota,project' and mounted with prjquota; edge-nfsd exports /data/pv1 (capacity=32Mi) and /data/pv2
# (no capacity), both no_root_squash. 'edge-nfsd apply-quotas' sets the limit first (as the unit's
# ExecStartPre=+ does), then the server runs as root with all capabilities, its nfsd-N workers dropping
# CAP_SYS_RESOURCE. The kernel-client guest mounts both as root (guest/quota-client.sh): df shows 32M on
# pv1; 40 x 1 MiB O_DIRECT writes into pv1 fail with "Disk quota exceeded" near 32 MiB; pv2 takes 40 MiB;
# the server keeps serving and the files written before keep their sha256.
#
#   it/server-guest/quota.sh [--keep]      exit 0 pass, 1 fail, 2 could not run
#
# Logs: target/it-logs/quota-<time>/ (server/apply.log, server/server.log, server/threads.txt,
# client/results/quota/output.log, summary.txt). Bounded: each guest and wait has a timeout (< 15 min in all).
# Environment: EDGE_NFSD_JAR, EDGE_NFSD_IT_CACHE, EDGE_NFSD_IT_LOGS, EDGE_JAVA_OPTS.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOG_TAG=quota
# shellcheck source=../lib/host.sh
. "$HERE/../lib/host.sh"
REPO=$IT_REPO
KC=$(it_kc_cache)
SG=$IT_CACHE_ROOT/server-guest
JAR=${EDGE_NFSD_JAR:-$REPO/nfs-server/target/edge-nfsd.jar}
KEEP=0
case "${1:-}" in
  --keep) KEEP=1 ;;
  -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
  "") ;;
  *) it_die "unknown argument $1" ;;
esac

[[ $(id -u) -eq 0 ]] || it_die "must run as root"
for t in qemu-system-x86_64 mkfs.ext4 dpkg-deb apt-get depmod python3; do
  command -v "$t" >/dev/null || it_die "missing tool '$t'"
done
[[ -f "$JAR" ]] || it_die "server jar $JAR missing: mvn -B package -DskipTests"
"$HERE/build-assets.sh" || it_die "building the server guest assets failed"
KVER=$(cat "$KC/kernel-version")

# quota_tree.ko, quota_v2.ko (and whatever they need) of the guests' kernel, in load order.
MODS=$IT_CACHE_ROOT/quota-modules/$KVER
(
  flock -w 900 9 || it_die "could not lock $MODS.lock"
  [[ -s "$MODS/order" ]] && exit 0
  w=$(mktemp -d "$IT_CACHE_ROOT/quota-modules-work.XXXXXX")
  trap 'rm -rf "$w"' EXIT
  (cd "$w" && timeout 900 apt-get download -q "linux-image-$KVER" >/dev/null 2>"$w/apt.err") \
    || { cat "$w/apt.err" >&2; it_die "apt-get download linux-image-$KVER failed (apt-get update?)"; }
  dpkg-deb -x "$w"/linux-image-*.deb "$w/k"
  depmod -b "$w/k" "$KVER"
  list=$(it_mod_closure "$w/k/lib/modules/$KVER" quota_v2) || it_die "no quota_v2 module in linux-image-$KVER"
  mkdir -p "$MODS"
  : >"$MODS/order.new"
  while read -r rel; do
    [[ -n "$rel" ]] || continue
    cp "$w/k/lib/modules/$KVER/$rel" "$MODS/"
    basename "$rel" >>"$MODS/order.new"
  done <<<"$list"
  mv -f "$MODS/order.new" "$MODS/order"
  it_log "quota modules of $KVER: $(tr '\n' ' ' <"$MODS/order")"
) 9>"$IT_CACHE_ROOT/quota-modules.lock" || exit 2

LOGROOT=${EDGE_NFSD_IT_LOGS:-$REPO/target/it-logs}
D="$LOGROOT/quota-$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$D/server/mod" "$D/client/workloads"
D=$(cd "$D" && pwd)
ln -sfn "$(basename "$D")" "$LOGROOT/quota-latest"
SRV_PID='' CLI_PID=''
cleanup() {
  [[ -n "$CLI_PID" ]] && kill -KILL "$CLI_PID" 2>/dev/null
  [[ -n "$SRV_PID" ]] && kill -KILL "$SRV_PID" 2>/dev/null
  wait 2>/dev/null
  [[ $KEEP -eq 1 ]] || rm -f "$D/data.img" "$D/server/edge-nfsd.jar"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
T0=$SECONDS
FAILS=()
check() { if eval "$2"; then it_log "ok: $1"; echo "PASS $1" >>"$D/summary.txt"; else it_log "FAIL: $1"; echo "FAIL $1" >>"$D/summary.txt"; FAILS+=("$1"); fi; }

truncate -s 256M "$D/data.img"
mkfs.ext4 -q -F -O quota,project -L quotadata "$D/data.img" || it_die "mkfs.ext4 -O quota,project failed"
cp "$MODS"/*.ko "$MODS/order" "$D/server/mod/"
cp "$HERE/guest/quota-server-init.sh" "$D/server/guest-init.sh"
cp -p "$JAR" "$D/server/edge-nfsd.jar"
cat >"$D/server/exports" <<'EOF'
/data/pv1 *(rw,sync,no_root_squash,no_all_squash,insecure,capacity=32Mi)
/data/pv2 *(rw,sync,no_root_squash,no_all_squash,insecure)
EOF
cat >"$D/server/config" <<EOF
JAVA_OPTS="$(it_deb_java_opts)"
MALLOC_ARENA_MAX=$(it_deb_malloc_arenas)
EOF
PORT=$(it_free_port)

it_log "server guest: ext4 -O quota,project data disk, exports pv1 capacity=32Mi and pv2; logs in $D"
# shellcheck disable=SC2046
$(it_qemu_base tcg qemu64 "$(it_kernel "$KC")" "$KC/initrd.img") \
  -append "console=ttyS0 panic=1 loglevel=4 net.ifnames=0 no_timer_check" \
  -drive "file=$SG/root.img,format=raw,if=virtio,snapshot=on" \
  -drive "file=$D/data.img,format=raw,if=virtio" \
  -netdev "user,id=n0,ipv6=off,net=10.0.2.0/24,host=10.0.2.2,hostfwd=tcp:127.0.0.1:$PORT-10.0.2.15:2049" \
  -device virtio-net-pci,netdev=n0 -device virtio-rng-pci \
  -virtfs "local,path=$D/server,mount_tag=job,security_model=none,id=job" \
  </dev/null >"$D/server-console.log" 2>&1 &
SRV_PID=$!
if ! python3 "$HERE/rpc-null.py" 127.0.0.1 "$PORT" 300 >/dev/null; then
  it_log "the server never answered; console and logs:"
  tail -n 30 "$D/server-console.log" "$D/server/guest.log" "$D/server/apply.log" "$D/server/server.log" >&2 2>/dev/null
  exit 1
fi
it_log "server guest serving after $((SECONDS - T0)) s"
sed 's/^/  apply-quotas: /' "$D/server/apply.log" >&2
check "apply-quotas exit 0" '[[ "$(cat "$D/server/apply.rc" 2>/dev/null)" == 0 ]]'
check "apply-quotas: /data/pv1 project N, 32 MiB, enforced" \
  'grep -qE "^/data/pv1: project [0-9]+, 32 MiB, enforced$" "$D/server/apply.log"'
check "the server reports the quota enforced at start" \
  'grep -q "export /data/pv1: capacity 32 MiB enforced by project quota" "$D/server/server.log"'

cp "$REPO/it/kernel-client/guest/guest-init.sh" "$REPO/it/kernel-client/guest/lib.sh" "$D/client/"
cp "$HERE/guest/quota-client.sh" "$D/client/workloads/quota.sh"
echo "quota 600" >"$D/client/plan"
printf 'NFS_HOST=10.0.2.2\nNFS_PORT=%s\nSERVER_KIND=edge\n' "$PORT" >"$D/client/env"
it_client_guest_cmd tcg qemu64 "$D/client"
t=$SECONDS
"${IT_QEMU[@]}" </dev/null >"$D/client-console.log" 2>&1 &
CLI_PID=$!
end=$((SECONDS + 720))
while kill -0 "$CLI_PID" 2>/dev/null && [[ $SECONDS -lt $end ]]; do sleep 1; done
kill -KILL "$CLI_PID" 2>/dev/null; wait "$CLI_PID" 2>/dev/null; CLI_PID=
it_log "client guest done after $((SECONDS - t)) s"
OUT="$D/client/results/quota/output.log"
[[ -f "$OUT" ]] || { it_log "the client ran no workload; console:"; tail -n 30 "$D/client-console.log" >&2; exit 1; }
sed 's/^/  client: /' "$OUT" >&2
grep '^RESULT' "$OUT" >>"$D/summary.txt"
check "client workload (df 32M, EDQUOT near 32 MiB, pv2 writes, data intact) rc 0" \
  '[[ "$(cat "$D/client/results/quota/rc" 2>/dev/null)" == 0 ]] && grep -q QUOTA-CLIENT-PASS "$OUT"'
check "the server still answers after the client" 'python3 "$HERE/rpc-null.py" 127.0.0.1 "$PORT" 30 >/dev/null'

# Capabilities as the guest's kernel shows them: CAP_SYS_RESOURCE is bit 24 (0x1000000).
sleep 3
sed 's/^/  CapEff: /' "$D/server/threads.txt" >&2
# caps WHO: "main" passes when it holds the bit; "workers" when there is at least one nfsd-N and none has it,
# all keeping CAP_DAC_OVERRIDE (bit 1)
caps() {
  local name hex n=0 bad=0
  while read -r name hex; do
    case "$1:$name" in
      main:main) n=1; (( (16#$hex >> 24) & 1 )) || bad=1 ;;
      workers:nfsd-*) n=$((n + 1)); (( (16#$hex >> 24) & 1 )) && bad=1; (( (16#$hex >> 1) & 1 )) || bad=1 ;;
    esac
  done <"$D/server/threads.txt"
  [[ $n -gt 0 && $bad -eq 0 ]]
}
check "the server's main thread has CAP_SYS_RESOURCE" 'caps main'
check "every nfsd-N worker lacks CAP_SYS_RESOURCE (and keeps CAP_DAC_OVERRIDE)" 'caps workers'

touch "$D/server/ctl-stop"
end=$((SECONDS + 60))
while kill -0 "$SRV_PID" 2>/dev/null && [[ $SECONDS -lt $end ]]; do sleep 1; done
kill -KILL "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null; SRV_PID=
grep -iE 'exception|error' "$D/server/server.log" | head -n 5 | sed 's/^/  server.log: /' >&2
echo "wall time $((SECONDS - T0)) s" >>"$D/summary.txt"
cat "$D/summary.txt" >&2
it_log "total $((SECONDS - T0)) s; logs in $D"
[[ ${#FAILS[@]} -eq 0 ]] || { it_log "${#FAILS[@]} check(s) failed"; exit 1; }
exit 0
