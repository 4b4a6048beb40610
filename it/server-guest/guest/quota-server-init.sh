#!/bin/bash
# PID 1 of the SERVER guest for it/server-guest/quota.sh (after the kernel-client initramfs switched to the
# server guest's root on /dev/vda). /job is the host's job directory over 9p: config (JAVA_OPTS,
# MALLOC_ARENA_MAX), exports, edge-nfsd.jar, mod/ (quota_tree.ko and quota_v2.ko of this kernel: the root
# image does not carry them, and ext4's quota feature needs the v2 quota format). /dev/vdb is an ext4
# data disk made with '-O quota,project'; it is mounted with prjquota on /data (exports /data/pv1, /data/pv2).
# Writes to /job: guest.log (milestones), apply.log and apply.rc (edge-nfsd apply-quotas), server.log,
# threads.txt (CapEff of the server's main thread and of each nfsd-N worker, refreshed every 2 s).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
set +e
. /job/config

mount -t proc proc /proc
mount -t sysfs sysfs /sys
[ -e /dev/null ] || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -o remount,rw /
hostname srvguest
say() { echo "QG uptime $(cut -d' ' -f1 /proc/uptime) $*" | tee -a /job/guest.log; }
halt_now() { say "FATAL: $*"; sync; echo b >/proc/sysrq-trigger; sleep 10; }
say "up"

while read -r m; do
  insmod "/job/mod/$m" || halt_now "insmod $m failed"
done </job/mod/order
grep -q '^quota_v2 ' /proc/modules || halt_now "quota_v2 not loaded"
modprobe virtio_rng
modprobe virtio_net
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0

mkdir -p /data
mount -t ext4 -o prjquota /dev/vdb /data || halt_now "cannot mount /dev/vdb with prjquota"
grep ' /data ' /proc/mounts | sed 's/^/QG mount: /' >>/job/guest.log
mkdir -p /data/pv1 /data/pv2 /var/lib/edge-nfsd
say "data disk mounted"

cp -p /job/edge-nfsd.jar /opt/edge-nfsd.jar
# As the unit's ExecStartPre=+ does: the limits are set first, by a separate privileged command.
# shellcheck disable=SC2086
java $JAVA_OPTS -jar /opt/edge-nfsd.jar apply-quotas --exports /job/exports >/job/apply.log 2>&1 </dev/null
echo $? >/job/apply.rc
{
  echo "-- lsattr -pd (project id, P = inherit)"; lsattr -pd /data/pv1 /data/pv2
  echo "-- df -k in the server guest (statfs of a project directory reports its limit)"; df -k /data/pv1 /data/pv2
} >>/job/apply.log 2>&1
say "apply-quotas exit $(cat /job/apply.rc)"

# The server as root (all capabilities; its workers drop CAP_SYS_RESOURCE themselves).
# shellcheck disable=SC2086
MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX java $JAVA_OPTS -jar /opt/edge-nfsd.jar serve --exports /job/exports \
  --state-dir /var/lib/edge-nfsd --lease 10 --grace 10 >>/job/server.log 2>&1 </dev/null &
SRV=$!
say "edge-nfsd started, pid $SRV"

while true; do
  if [ -f /job/ctl-stop ]; then
    say "stop requested; server alive: $(kill -0 $SRV 2>/dev/null && echo yes || echo no)"
    sync
    umount /data 2>/dev/null
    echo b >/proc/sysrq-trigger
    sleep 10
  fi
  if kill -0 $SRV 2>/dev/null; then
    {
      echo "main $(awk '/^CapEff:/ { print $2 }' /proc/$SRV/status)"
      for t in /proc/$SRV/task/*; do
        c=$(cat "$t/comm" 2>/dev/null)
        case "$c" in nfsd-*) echo "$c $(awk '/^CapEff:/ { print $2 }' "$t/status")" ;; esac
      done
    } >/job/threads.tmp 2>/dev/null && mv -f /job/threads.tmp /job/threads.txt
  else
    echo dead >/job/threads.txt
  fi
  sleep 2
done
