#!/bin/bash
# Runs inside the ARM systemd guest (arm-guest-job.service, after multi-user.target). /job is the host's
# job directory over 9p (debs/a.name, our results). Each step appends
# "step<TAB>PASS|FAIL<TAB>seconds<TAB>detail" to /job/results.tsv, its output to /job/steps/STEP.log.
# Ends with a power-off (qemu exits).
set -u
export LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin
mkdir -p /job/steps
DEB=$(cat /job/debs/a.name)
HOG_MIB=512 CDS_SECONDS=180 CDS_ROUNDS=2
# shellcheck disable=SC1091  # written by run.sh: HOG_MIB, CDS_SECONDS, CDS_ROUNDS
[ -f /job/config ] && . /job/config
export DEB HOG_MIB CDS_SECONDS CDS_ROUNDS

note() { echo "$*" >>/job/steps/"$CUR".detail; }
step() {  # NAME TIMEOUT FUNCTION
  CUR=$1
  local t0=$SECONDS rc detail
  : >/job/steps/"$1".detail
  timeout --kill-after=10 "$2" bash -c "set -euo pipefail; CUR=$1; $3" >/job/steps/"$1".log 2>&1
  rc=$?
  detail=$(tr '\n\t' '  ' </job/steps/"$1".detail)
  [ $rc -eq 124 ] || [ $rc -eq 137 ] && detail="timed out after $2 s; $detail"
  if [ $rc -eq 0 ]; then st=PASS; else st=FAIL; detail="exit $rc; $detail"; fi
  printf '%s\t%s\t%s\t%s\n' "$1" "$st" $((SECONDS - t0)) "$detail" >>/job/results.tsv
  sync
  return $rc
}
export -f note

s_systemd() {
  [ "$(cat /proc/1/comm)" = systemd ] || { note "PID 1 is $(cat /proc/1/comm)"; return 1; }
  while systemctl list-jobs --no-legend | grep -v arm-guest-job | grep -q .; do sleep 1; done
  state=$(systemctl is-system-running || true)
  if [ "$state" = starting ] && [ -z "$(systemctl --failed --no-legend)" ]; then state=running; fi
  findmnt /var/nfs-k8s; findmnt /var/lib/edge-nfsd
  note "systemd $(systemctl --version | head -1 | cut -d' ' -f2), $state, kernel $(uname -r) $(uname -m), $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), boot $(cut -d' ' -f1 /proc/uptime) s; export+state on $(findmnt -n -o SOURCE /sd)"
  case "$state" in running|degraded) ;; *) return 1 ;; esac
}
# A stand-in for a k3s agent: HOG_MIB MiB (512 unless /job/config says otherwise) touched and held in
# 1 MiB strings (perl-base is Essential). Not "$x = "x" x (512*1024*1024)": perl folds that constant at
# compile time and the assignment copies it, so it peaks at 1 GiB (VmHWM 1,053,368 kB on the x86 host's
# perl 5.36, bookworm's too); in the 1 GiB guest that thrashed until the step's 300 s timeout.
s_hog() {
  systemd-run --unit=memhog --collect perl -e \
    'my ($n, $mib) = @ARGV; my @held; push @held, chr(65 + $_ % 26) x $n for 1 .. $mib; sleep 7200' \
    1048576 "$HOG_MIB"
  want=$(( HOG_MIB * 1024 - 12 * 1024 ))
  for _ in $(seq 1 240); do
    pid=$(systemctl show -P MainPID memhog.service)
    rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$want" ] && break; sleep 1
  done
  echo "$pid" >/run/memhog.pid
  note "memhog pid $pid VmRSS ${rss} kB (${HOG_MIB} MiB wanted); $(free -m | awk '/Mem:/ {print "used " $3 " MiB, avail " $7 " MiB"}')"
  [ "${rss:-0}" -gt "$want" ]
}
s_install() {
  cp /job/debs/"$DEB" /root/
  cd /root || return 1
  # the postinst's class-data sharing dump is bounded by EDGE_NFSD_CDS_SECONDS (180 s by default, which
  # a TCG-emulated board does not meet: no archive on arm64 in session 10)
  EDGE_NFSD_CDS_SECONDS=$CDS_SECONDS apt-get install -y ./"$DEB" </dev/null
  dpkg-query -W -f '${Status}\n' edge-nfsd | grep -q 'ok installed'
  cds="no CDS archive"
  [ -s /var/cache/edge-nfsd/edge-nfsd.jsa ] && cds="CDS archive $(du -k /var/cache/edge-nfsd/edge-nfsd.jsa | cut -f1) kB"
  note "JRE $(dpkg-query -W -f '${Version}' openjdk-17-jre-headless) $(dpkg --print-architecture); $cds (limit $CDS_SECONDS s)"
}
s_ready() {
  for _ in $(seq 1 600); do
    st=$(systemctl is-active edge-nfsd.service || true)
    [ "$st" = active ] && break
    [ "$st" = failed ] && { systemctl status --no-pager edge-nfsd; return 1; }
    sleep 1
  done
  [ "$st" = active ]
  s=$(systemctl show -P ExecMainStartTimestampMonotonic edge-nfsd)
  r=$(systemctl show -P ActiveEnterTimestampMonotonic edge-nfsd)
  pid=$(systemctl show -P MainPID edge-nfsd)
  echo "$pid" >/run/edge-nfsd.pid.ready
  sleep 20   # idle
  grep -E 'VmRSS|VmHWM' /proc/"$pid"/status
  note "start-to-READY $(( (r - s) / 1000 )) ms; idle $(awk '/VmRSS|VmHWM/ {printf "%s %s kB ", $1, $2}' /proc/"$pid"/status); $(journalctl -u edge-nfsd -b --no-pager -o cat | grep -o '[A-Za-z0-9_-]* transport' | head -1)"
  echo "$(( (r - s) / 1000 ))" >/job/ready-ms
}
# No OOM anywhere in this boot (kernel log and journal), the server never restarted by systemd
# (NRestarts=0, same MainPID as at READY) and the hog is the same process it was. Reports the server's
# VmHWM (its peak RSS over the whole run).
s_no_oom() {
  if journalctl -b -k --no-pager | grep -iE 'out of memory|oom-kill|oom_reaper|killed process'; then
    note "OOM in the kernel log"; return 1
  fi
  if journalctl -b --no-pager | grep -iE 'out of memory|java.lang.OutOfMemoryError|oom-kill'; then
    note "OOM in the journal"; return 1
  fi
  pid=$(systemctl show -P MainPID edge-nfsd)
  restarts=$(systemctl show -P NRestarts edge-nfsd)
  systemctl is-active edge-nfsd
  [ "$restarts" = 0 ] || { note "edge-nfsd NRestarts=$restarts"; return 1; }
  [ "$pid" = "$(cat /run/edge-nfsd.pid.ready)" ] || { note "edge-nfsd MainPID $pid, was $(cat /run/edge-nfsd.pid.ready)"; return 1; }
  hog=none
  if [ "$HOG_MIB" -gt 0 ]; then
    systemctl is-active memhog
    hog=$(cat /run/memhog.pid)
    [ "$(systemctl show -P MainPID memhog)" = "$hog" ] || { note "memhog is not pid $hog any more"; return 1; }
    hog="pid $hog alive, VmRSS $(awk '/VmRSS/ {print $2}' /proc/"$hog"/status) kB"
  fi
  note "no OOM (kernel log, journal); edge-nfsd active, NRestarts=0, pid $pid; server $(awk '/VmRSS|VmHWM/ {printf "%s %s kB ", $1, $2}' /proc/"$pid"/status); memhog $hog; $(free -m | awk '/Mem:/ {print "used " $3 " MiB, avail " $7 " MiB"}'), swap $(free -m | awk '/Swap:/ {print $2}') MiB"
}
# The kernel-client guest reaches us through qemu's user-mode network (from 10.0.2.2, unprivileged
# ports): the export must say insecure. Then the host runs the workloads; their host-side checks
# (NAME.host.sh) come to us through /job/hostcheck, since this disk is the server's.
s_exports() {
  echo '/var/nfs-k8s *(rw,sync,no_root_squash,no_all_squash,insecure)' >/etc/edge-nfsd/exports
  systemctl reload edge-nfsd
  systemctl is-active edge-nfsd
  note "exports: $(cat /etc/edge-nfsd/exports); reloaded"
}
s_clients() {
  mkdir -p /job/hostcheck
  touch /job/server.ready
  for _ in $(seq 1 2400); do
    [ -f /job/client.done ] && break
    for req in /job/hostcheck/*.req; do
      [ -f "$req" ] || continue
      n=$(basename "$req" .req); rm -f "$req"
      rc=0
      # shellcheck disable=SC1090  # the env file the kernel-client run wrote
      (set -a; . /job/hostcheck/"$n".env; set +a; bash /job/hostcheck/"$n".host.sh) >/job/hostcheck/"$n".out 2>&1 || rc=$?
      echo $rc >/job/hostcheck/"$n".rc.tmp && mv /job/hostcheck/"$n".rc.tmp /job/hostcheck/"$n".rc
      note "host check $n: rc $rc"
    done
    sleep 1
  done
  [ -f /job/client.done ]
  pid=$(systemctl show -P MainPID edge-nfsd)
  note "after the workloads: $(awk '/VmRSS|VmHWM/ {printf "%s %s kB ", $1, $2}' /proc/"$pid"/status)"
}
# Start-to-READY and idle RSS with and without the postinst's class-data sharing archive, alternating,
# CDS_ROUNDS pairs, after everything else (the restarts would fail no_oom's same-MainPID check).
ready_once() {  # LABEL
  systemctl restart edge-nfsd.service
  systemctl is-active --quiet edge-nfsd.service
  s=$(systemctl show -P ExecMainStartTimestampMonotonic edge-nfsd)
  r=$(systemctl show -P ActiveEnterTimestampMonotonic edge-nfsd)
  sleep 20   # idle, as in service_ready
  pid=$(systemctl show -P MainPID edge-nfsd)
  note "$1: start-to-READY $(( (r - s) / 1000 )) ms, idle $(awk '/VmRSS/ {printf "%s %s kB", $1, $2}' /proc/"$pid"/status)"
}
s_cds() {
  jsa=/var/cache/edge-nfsd/edge-nfsd.jsa
  [ -s "$jsa" ] || { note "no archive was made at install: nothing to compare"; return 1; }
  for _ in $(seq 1 "$CDS_ROUNDS"); do
    mv "$jsa" "$jsa.off"
    ready_once "without CDS"
    mv "$jsa.off" "$jsa"
    ready_once "with CDS"
  done
}
export -f s_systemd s_hog s_install s_ready s_no_oom s_exports s_clients ready_once s_cds

step systemd_pid1 600 s_systemd
if [ "$HOG_MIB" -gt 0 ]; then step memory_hog 300 s_hog; fi
step install_deb 2400 s_install && step service_ready 900 s_ready && step exports_insecure 120 s_exports \
  && step kernel_client 2500 s_clients
step no_oom 60 s_no_oom
if [ "$CDS_ROUNDS" -gt 0 ]; then step cds_ab $(( CDS_ROUNDS * 2 * 400 )) s_cds; fi
journalctl -u edge-nfsd -b --no-pager >/job/journal.txt 2>&1
dmesg >/job/dmesg.txt
touch /job/done
sync
systemctl poweroff
