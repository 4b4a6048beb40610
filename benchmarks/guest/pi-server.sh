#!/bin/bash
# benchmarks/pi.sh, inside the arm64 systemd guest (copied to /job/guest-job.sh, run by
# arm-guest-job.service). /job/config: ORDER (server kinds in turn: edge knfsd ganesha), HOG_MIB, AB
# (1: jar before/after rounds with /job/debs/old.deb). Writes "run<TAB>kind<TAB>key<TAB>value" lines to
# /job/pi.tsv. For each run it starts one server exporting /var/nfs-k8s (the SD disk), touches
# /job/serve/N.ready, waits for the host's /job/serve/N.done (the x86 kernel client ran the workloads),
# reads the server's CPU seconds and memory, stops it. Powers off at the end.
set -u
export LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin
ORDER="edge knfsd ganesha edge" HOG_MIB=512 AB=0
# shellcheck disable=SC1091  # written by pi.sh
. /job/config
mkdir -p /job/serve /job/logs
exec >>/job/logs/pi-server.log 2>&1
out() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>/job/pi.tsv; sync; }
log() { echo "[$(cut -d' ' -f1 /proc/uptime)] $*"; }
avail_kb() { awk '/MemAvailable/ { print $2 }' /proc/meminfo; }
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' /proc/"$p"/stat 2>/dev/null || echo 0))); done; echo "$t"; }
hwm() { awk '/^VmHWM/ { print $2 }' /proc/"$1"/status 2>/dev/null || echo 0; }
nfsd_threads() { ps -e -o pid=,comm= | awk '$2 == "nfsd" { print $1 }'; }
port_up() { for _ in $(seq 1 900); do ss -Hltn 'sport = :2049' | grep -q . && return 0; sleep 1; done; return 1; }

while systemctl list-jobs --no-legend | grep -v arm-guest-job | grep -q .; do sleep 1; done
log "boot done: $(uname -r), $(cut -d' ' -f1 /proc/uptime) s"
out 0 guest boot_s "$(cut -d' ' -f1 /proc/uptime)"
if [ "$HOG_MIB" -gt 0 ]; then
  systemd-run --unit=memhog --collect perl -e \
    'my ($n, $mib) = @ARGV; my @held; push @held, chr(65 + $_ % 26) x $n for 1 .. $mib; sleep 14400' 1048576 "$HOG_MIB"
  for _ in $(seq 1 300); do
    r=$(awk '/VmRSS/ { print $2 }' /proc/"$(systemctl show -P MainPID memhog)"/status 2>/dev/null || echo 0)
    [ "${r:-0}" -gt $((HOG_MIB * 1024 - 12288)) ] && break; sleep 1
  done
  out 0 guest hog_rss_kb "$r"
fi

# edge-nfsd from a .deb: dpkg -i (postinst makes the AppCDS archive and restarts the unit, which is
# Type=notify: the restart returns at READY). Start-to-READY from systemd's monotonic timestamps.
# The postinst's dump bound is 180 s, made for real boards; under TCG the dump needs more.
export EDGE_NFSD_CDS_SECONDS=900
ready_sample() {  # label
  local s r pid
  s=$(systemctl show -P ExecMainStartTimestampMonotonic edge-nfsd)
  r=$(systemctl show -P ActiveEnterTimestampMonotonic edge-nfsd)
  pid=$(systemctl show -P MainPID edge-nfsd)
  sleep 20
  out ab "$1" ready_ms $(( (r - s) / 1000 ))
  out ab "$1" idle_rss_kb "$(awk '/^VmRSS/ { print $2 }' /proc/"$pid"/status)"
  out ab "$1" idle_hwm_kb "$(hwm "$pid")"
  log "$1: READY $(( (r - s) / 1000 )) ms, $(grep -E 'VmRSS|VmHWM' /proc/"$pid"/status | tr -s '\t\n ' ' ')"
}
install_deb() {  # old|new
  local t0=$SECONDS
  dpkg -i --force-confold /job/debs/"$1".deb </dev/null || { log "dpkg -i $1 failed"; return 1; }
  out ab "$1" install_s $((SECONDS - t0))
  systemctl is-active edge-nfsd
}
t0=$SECONDS
if [ "$AB" = 1 ]; then
  # old, new, old, new; each install then one restart: 4 READY samples per jar.
  for v in old new old new; do
    install_deb "$v" || break
    ready_sample "$v"
    systemctl restart edge-nfsd && ready_sample "$v"
  done
else
  apt-get install -y /job/debs/new.deb </dev/null
fi
out 0 guest ab_phase_s $((SECONDS - t0))
if [ "$AB" = 1 ]; then
  dpkg -i --force-confold /job/debs/new.deb </dev/null >/dev/null 2>&1 || true   # the last round's may have failed
fi
jsa=/var/cache/edge-nfsd/edge-nfsd.jsa
if [ -s "$jsa" ]; then out 0 guest cds_archive_kb "$(du -k "$jsa" | cut -f1)"; else out 0 guest cds_archive_kb 0; fi
systemctl stop edge-nfsd
echo '/var/nfs-k8s *(rw,sync,no_root_squash,no_all_squash,insecure)' >/etc/edge-nfsd/exports
# knfsd: the issue's line; insecure because the forwarded connections come from 10.0.2.2's unprivileged
# ports (the qemu user-mode network), as for edge-nfsd.
echo '/var/nfs-k8s *(rw,sync,no_root_squash,no_all_squash,insecure)' >/etc/exports
# Ganesha: FSAL_VFS, NFSv4.1 only, TCP. Sync semantics: Ganesha's VFS FSAL honours the client's stable
# writes and COMMIT with fsync (no async option set); no grace (Graceless) so a fresh start serves at once.
cat >/etc/ganesha/ganesha.conf <<'EOF'
NFS_CORE_PARAM { Protocols = 4; NFS_Port = 2049; Enable_NLM = false; Enable_RQUOTA = false; Enable_UDP = false; }
NFS_KRB5 { Active_krb5 = false; }
NFSV4 { Graceless = true; Minor_Versions = 1; Only_Numeric_Owners = true; RecoveryBackend = fs; }
EXPORT {
  Export_Id = 1; Path = "/var/nfs-k8s"; Pseudo = "/var/nfs-k8s"; Protocols = 4; Transports = TCP;
  SecType = sys; Access_Type = RW; Squash = No_Root_Squash; FSAL { Name = VFS; }
}
EOF

n=0
for kind in $ORDER; do
  n=$((n + 1))
  find /var/nfs-k8s -mindepth 1 -delete; sync; echo 3 >/proc/sys/vm/drop_caches
  a0=$(avail_kb)
  case "$kind" in
    edge) systemctl start edge-nfsd; pids=$(systemctl show -P MainPID edge-nfsd) ;;
    knfsd) systemctl start nfs-server; pids="$(nfsd_threads) $(pidof rpc.mountd)" ;;
    ganesha) systemctl start nfs-ganesha; port_up; pids=$(pidof ganesha.nfsd) ;;
  esac
  if ! port_up; then log "$kind: nothing on 2049"; out "$n" "$kind" failed start; continue; fi
  c0=$(ticks $pids)
  out "$n" "$kind" avail_before_kb "$a0"
  log "run $n $kind: pids $pids, serving"
  echo "$kind" >/job/serve/"$n".ready
  for _ in $(seq 1 5400); do [ -f /job/serve/"$n".done ] && break; sleep 1; done
  c1=$(ticks $pids)
  out "$n" "$kind" cpu_s "$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", (b - a) / 100 }')"
  out "$n" "$kind" avail_after_kb "$(avail_kb)"
  case "$kind" in
    edge) out "$n" "$kind" hwm_kb "$(hwm "$pids")"; systemctl stop edge-nfsd ;;
    knfsd)
      out "$n" "$kind" threads "$(nfsd_threads | wc -l)"
      out "$n" "$kind" mountd_hwm_kb "$(hwm "$(pidof rpc.mountd)")"
      out "$n" "$kind" slab_kb "$(awk '/^Slab/ { print $2 }' /proc/meminfo)"
      systemctl stop nfs-server ;;
    ganesha) out "$n" "$kind" hwm_kb "$(hwm "$pids")"; systemctl stop nfs-ganesha ;;
  esac
  log "run $n $kind: done"
done
[ "$HOG_MIB" -gt 0 ] && out 0 guest hog_alive "$(systemctl is-active memhog)"
out 0 guest oom_lines "$(journalctl -b -k --no-pager | grep -ciE 'out of memory|oom-kill')"
journalctl -b --no-pager -u edge-nfsd -u nfs-server -u nfs-ganesha >/job/logs/journal.txt 2>&1
cp /var/log/ganesha/ganesha.log /job/logs/ 2>/dev/null
touch /job/done
sync
systemctl poweroff
