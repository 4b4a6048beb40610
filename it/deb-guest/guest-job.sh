#!/bin/bash
# Runs inside the systemd guest (started by deb-guest-job.service once multi-user.target is up).
# /job is the host's job directory over 9p: phase (1 or 2), debs/, and our results.
# Each step runs under its own timeout and appends "boot<TAB>step<TAB>PASS|FAIL<TAB>seconds<TAB>detail"
# to /job/results.tsv; its output goes to /job/steps/<boot>-<step>.log. Phase 1 ends with a reboot
# (qemu runs with -no-reboot, so the host sees qemu exit and boots the same disk again), phase 2 with
# a power-off.
set -u
export LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin
PHASE=$(cat /job/phase)
BOOT=boot$PHASE
mkdir -p /job/steps
DEB_A=$(cat /job/debs/a.name)
DEB_B=$(cat /job/debs/b.name)
VER_A=$(cat /job/debs/a.version)
VER_B=$(cat /job/debs/b.version)
MNT=/mnt/nfs
DATA=/var/nfs-k8s
MARK="# edited by the deb-guest test: must survive upgrades"

note() { echo "$*" >>/job/steps/"$BOOT-$CUR".detail; }

# step NAME TIMEOUT_SECONDS FUNCTION
step() {
  CUR=$1
  local t0=$SECONDS rc detail
  : >/job/steps/"$BOOT-$1".detail
  timeout --kill-after=10 "$2" bash -c "set -euo pipefail; CUR=$1; $3" >/job/steps/"$BOOT-$1".log 2>&1
  rc=$?
  detail=$(tr '\n\t' '  ' </job/steps/"$BOOT-$1".detail)
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then detail="timed out after $2 s; $detail"; fi
  if [ $rc -eq 0 ]; then
    printf '%s\t%s\tPASS\t%s\t%s\n' "$BOOT" "$1" $((SECONDS - t0)) "$detail" >>/job/results.tsv
  else
    printf '%s\t%s\tFAIL\t%s\t%s\n' "$BOOT" "$1" $((SECONDS - t0)) "exit $rc; $detail (see steps/$BOOT-$1.log)" >>/job/results.tsv
  fi
  sync
  return $rc
}

wait_active() {  # wait_active SECONDS
  local i=0
  while [ "$(systemctl is-active edge-nfsd.service)" != active ]; do
    i=$((i + 1))
    if [ $i -gt "$1" ] || [ "$(systemctl is-active edge-nfsd.service)" = failed ]; then
      systemctl status --no-pager edge-nfsd.service || true
      return 1
    fi
    sleep 1
  done
}

nfs_mount() { mkdir -p $MNT; mount -t nfs -o nfsvers=4.1,hard 127.0.0.1:/var/nfs-k8s $MNT; }

export -f note wait_active nfs_mount
export BOOT DEB_A DEB_B VER_A VER_B MNT DATA MARK

s_systemd() {
  [ "$(cat /proc/1/comm)" = systemd ] || { note "PID 1 is $(cat /proc/1/comm)"; return 1; }
  # Boot is over when no job but this test's own (a oneshot still running) is queued.
  while systemctl list-jobs --no-legend | grep -v deb-guest-job | grep -q .; do sleep 1; done
  systemctl --failed --no-pager || true
  state=$(systemctl is-system-running || true)
  if [ "$state" = starting ] && [ -z "$(systemctl --failed --no-legend)" ]; then state=running; fi
  note "PID 1 systemd $(systemctl --version | head -1 | cut -d' ' -f2), system $state, kernel $(uname -r)"
  case "$state" in running|degraded) ;; *) return 1 ;; esac
}

s_install() {
  if dpkg-query -W -f '${Status}' openjdk-17-jre-headless 2>/dev/null | grep -q 'ok installed'; then
    note "a JRE is already installed: the test must get it through Depends"; return 1
  fi
  cp /job/debs/"$DEB_A" /root/
  cd /root || exit 1
  apt-get install -y ./"$DEB_A" </dev/null
  dpkg-query -W -f '${Status} ${Version}\n' edge-nfsd | grep -q "ok installed $VER_A"
  jre=$(dpkg-query -W -f '${Package} ${Version}' openjdk-17-jre-headless)
  note "edge-nfsd $VER_A; JRE from Debian: $jre ($(readlink -f "$(command -v java)"))"
}
export -f s_install

s_active() {
  wait_active 240
  systemctl status --no-pager edge-nfsd.service || true
  [ "$(systemctl is-enabled edge-nfsd.service)" = enabled ]
  [ "$(systemctl show -P Type edge-nfsd.service)" = notify ]
  [ -d /var/nfs-k8s ]
  [ "$(stat -c %a /var/lib/edge-nfsd)" = 700 ]
  [ -f /var/lib/edge-nfsd/handle.key ]
  [ "$(stat -c %a /var/lib/edge-nfsd/handle.key)" = 600 ]
  pid=$(systemctl show -P MainPID edge-nfsd.service)
  grep -E '^(CapBnd|NoNewPrivs)' /proc/"$pid"/status
  ss -ltnp | grep ':2049 '
  note "active (Type=notify, enabled), pid $pid listens on 2049, $(grep CapBnd /proc/"$pid"/status | tr '\t' ' ')"
}

s_unit_checks() {
  out=$(systemd-analyze verify edge-nfsd.service 2>&1) || { echo "$out"; note "verify: $out"; return 1; }
  [ -z "$out" ] || { echo "$out"; note "verify printed: $out"; return 1; }
  systemd-analyze security --no-pager edge-nfsd.service | tee /job/security-"$BOOT".txt
  note "systemd-analyze verify: clean; security: $(tail -1 /job/security-"$BOOT".txt | sed 's/.*: //')"
}

s_mount_write() {
  nfs_mount
  mount | grep " $MNT "
  grep -q 'vers=4.1' /proc/mounts
  head -c 4194304 /dev/urandom >$MNT/data.bin
  echo "written by the deb-guest test before a reboot" >"$MNT/grüße-ünïcode.txt"
  mkdir -p $MNT/dir/sub && echo nested >$MNT/dir/sub/file
  sync
  (cd $MNT && sha256sum data.bin "grüße-ünïcode.txt" dir/sub/file) | tee /job/data.sha256
  (cd $DATA && sha256sum -c /job/data.sha256)
  umount $MNT
  note "mounted 127.0.0.1:/var/nfs-k8s (nfsvers=4.1,hard), wrote 3 files (4 MiB), same bytes on the local disk"
}

# The operations whose system calls lie at the edge of the unit's sandbox (SystemCallFilter, capability
# bounding set): per-caller credentials (setfsuid/setgroups), open_by_handle_at, chown, setuid bits,
# device nodes, links, renames, times. Checked on the local disk.
s_sandbox_ops() {
  nfs_mount
  cd $MNT || exit 1
  mkdir ops && cd ops || exit 1
  echo a >f && chown 1000:1000 f && chmod 4755 f
  mkfifo fifo
  mknod null c 1 3
  ln f hard && ln -s f sym && mv hard hard2
  touch -d '2001-02-03 04:05:06' f
  truncate -s 1M sparse
  mkdir shared && chmod 1777 shared
  setpriv --reuid=1000 --regid=1000 --clear-groups sh -c 'echo user >shared/mine; mkdir shared/d'
  if setpriv --reuid=1000 --regid=1000 --clear-groups sh -c 'echo x >>/mnt/nfs/ops/null.txt' 2>/dev/null; then
    echo "uid 1000 could write in a root-owned 0755 directory"; exit 1
  fi
  cd /
  umount $MNT
  L=$DATA/ops
  [ "$(stat -c '%u:%g %a' $L/f)" = "1000:1000 4755" ]
  [ "$(stat -c %F $L/fifo)" = fifo ]
  [ "$(stat -c '%F %t,%T' $L/null)" = "character special file 1,3" ]
  [ "$(stat -c %h $L/f)" = 2 ]
  [ "$(readlink $L/sym)" = f ]
  [ "$(date -u -r $L/f +%Y)" = 2001 ]
  [ "$(stat -c '%s %b' $L/sparse | cut -d' ' -f1)" = 1048576 ]
  [ "$(stat -c '%u:%g' $L/shared/mine)" = "1000:1000" ]
  [ "$(stat -c '%u:%g' $L/shared/d)" = "1000:1000" ]
  if journalctl -u edge-nfsd.service -b --no-pager | grep -E 'Operation not permitted|EPERM|ERROR'; then
    note "the server logged a permission error"; exit 1
  fi
  note "chown, setuid bit, fifo, char device, hard/soft link, rename, utimes, sparse truncate, uid 1000's own files: all as on a kernel server"
}

s_journal() {
  journalctl -u edge-nfsd.service -b --no-pager >/job/journal-"$BOOT".txt
  line=$(grep -m1 "ready: mount with" /job/journal-"$BOOT".txt)
  note "${line#*: }"
}

s_reboot_back() {
  wait_active 240
  [ "$(systemctl show -P NRestarts edge-nfsd.service)" = 0 ]
  [ "$(systemctl is-enabled edge-nfsd.service)" = enabled ]
  note "active again after the reboot (enabled, no restarts)"
}

s_data_there() {
  nfs_mount
  (cd $MNT && sha256sum -c /job/data.sha256)
  umount $MNT
  note "all 3 files intact through NFS after the reboot"
}

s_edit_config() {
  sed -i 's|^/var/nfs-k8s \*(|/var/nfs-k8s 127.0.0.1(|' /etc/edge-nfsd/exports
  echo "$MARK" >>/etc/edge-nfsd/exports
  grep -q '^/var/nfs-k8s 127.0.0.1(rw' /etc/edge-nfsd/exports
  edge-nfsd check-config --exports /etc/edge-nfsd/exports
  systemctl restart edge-nfsd.service
  wait_active 240
  nfs_mount
  ls $MNT >/dev/null
  umount $MNT
  note "exports edited (client * -> 127.0.0.1, marker line), check-config ok, restarted, mount ok"
}

s_upgrade() {
  before=$(systemctl show -P InvocationID edge-nfsd.service)
  cp /job/debs/"$DEB_B" /root/
  cd /root || exit 1
  apt-get install -y ./"$DEB_B" </dev/null
  dpkg-query -W -f '${Status} ${Version}\n' edge-nfsd | grep -q "ok installed $VER_B"
  grep -qxF "$MARK" /etc/edge-nfsd/exports
  grep -q '^/var/nfs-k8s 127.0.0.1(rw' /etc/edge-nfsd/exports
  if ls /etc/edge-nfsd/exports.dpkg-* 2>/dev/null; then note "dpkg left a .dpkg-* copy"; return 1; fi
  wait_active 240
  after=$(systemctl show -P InvocationID edge-nfsd.service)
  [ "$before" != "$after" ] || { note "service was not restarted by the upgrade"; return 1; }
  nfs_mount
  (cd $MNT && sha256sum -c /job/data.sha256)
  umount $MNT
  note "$VER_A -> $VER_B: edited exports kept, service restarted, data readable"
}

s_remove() {
  apt-get remove -y edge-nfsd </dev/null
  dpkg-query -W -f '${Status}\n' edge-nfsd | grep -q 'deinstall ok config-files'
  state=$(systemctl is-active edge-nfsd.service || true)
  [ "$state" != active ] && [ "$state" != activating ] || { note "still $state"; return 1; }
  if ss -ltn | grep -q ':2049 '; then note "port 2049 still open"; return 1; fi
  grep -qxF "$MARK" /etc/edge-nfsd/exports
  [ -f /etc/default/edge-nfsd ]
  [ -f /var/lib/edge-nfsd/handle.key ]
  (cd $DATA && sha256sum -c /job/data.sha256)
  note "stopped ($state, port 2049 closed); exports (edited), /etc/default, handle.key and data kept"
}

s_purge() {
  apt-get purge -y edge-nfsd </dev/null
  if dpkg-query -W -f '${Status}\n' edge-nfsd 2>/dev/null | grep -q installed; then note "still installed"; return 1; fi
  [ ! -e /etc/edge-nfsd ] || { ls -laR /etc/edge-nfsd; note "/etc/edge-nfsd still there"; return 1; }
  [ ! -e /etc/default/edge-nfsd ]
  [ ! -e /var/lib/edge-nfsd ] || { note "/var/lib/edge-nfsd still there"; return 1; }
  [ ! -e /lib/systemd/system/edge-nfsd.service ]
  [ ! -e /etc/systemd/system/multi-user.target.wants/edge-nfsd.service ]
  (cd $DATA && sha256sum -c /job/data.sha256)
  note "config, state and unit links gone; /var/nfs-k8s and its data kept"
}

export -f s_systemd s_active s_unit_checks s_mount_write s_sandbox_ops s_journal s_reboot_back s_data_there \
  s_edit_config s_upgrade s_remove s_purge

echo "=== $BOOT started $(date -u +%T)"
if [ "$PHASE" = 1 ]; then
  step systemd_pid1 180 s_systemd
  step install_deb 1500 s_install && step service_active 300 s_active
  step unit_verify_security 180 s_unit_checks
  step nfs_mount_write 300 s_mount_write
  step sandbox_ops 300 s_sandbox_ops
  step journal_ready_line 60 s_journal
  echo "done" >/job/phase1.done
  sync
  systemctl reboot
else
  step systemd_pid1 180 s_systemd
  step service_back_after_reboot 300 s_reboot_back
  step data_there_after_reboot 300 s_data_there
  step journal_ready_line 60 s_journal
  step edit_exports 300 s_edit_config
  step upgrade_keeps_config 1200 s_upgrade
  step remove_keeps_config_data 300 s_remove
  step purge_removes_config_state 300 s_purge
  echo "done" >/job/phase2.done
  sync
  systemctl poweroff
fi
