#!/bin/bash
# PID 1 of the SERVER guest (after the kernel-client initramfs switched to the root on /dev/vda).
# /job is the host's job directory over 9p: config (SERVER_KIND edge|knfsd, EXPORT_MODE sync|async,
# LEASE, GRACE), edge-nfsd.jar, and where this script and the server log to. /dev/vdb is the data disk: the
# export /var/nfs-k8s and the servers' state (/var/lib/edge-nfsd, /var/lib/nfs) live on it, so only what
# the guest flushed survives a power cut (qemu kills this VM without warning).
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
say() { echo "SG uptime $(cut -d' ' -f1 /proc/uptime) $(date +%T.%3N) $*" | tee -a /job/guest.log; }
say "up; server $SERVER_KIND, export $EXPORT_MODE"

# Writeback slowed to a crawl: dirty pages stay in this guest's memory until someone fsyncs them, so
# whatever a server acknowledged without flushing dies with the power cut (no periodic flusher, no
# expiry for an hour, no background writeback before 50% of memory is dirty).
sysctl -q -w vm.dirty_writeback_centisecs=0 vm.dirty_expire_centisecs=360000 \
  vm.dirty_background_ratio=50 vm.dirty_ratio=80
say "writeback: $(sysctl -n vm.dirty_writeback_centisecs) / $(sysctl -n vm.dirty_expire_centisecs) cs, ratios $(sysctl -n vm.dirty_background_ratio)/$(sysctl -n vm.dirty_ratio)"

# The board's hardware RNG (a Pi has bcm2835-rng; here virtio-rng): without one the kernel's crng is
# not ready for a long while under emulation, and the JVM's first SecureRandom waits for it.
modprobe virtio_rng
modprobe virtio_net
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0

# The data disk: mounting it replays the ext4 journal after a power cut (the kernel logs "recovery").
mount -t ext4 /dev/vdb /data || { say "FATAL: cannot mount /dev/vdb"; echo b >/proc/sysrq-trigger; }
dmesg | grep -i 'vdb' | tail -n 5 | sed 's/^/SG dmesg: /' >>/job/guest.log
mkdir -p /data/nfs-k8s /data/edge-nfsd /data/nfs
mount --bind /data/nfs-k8s /var/nfs-k8s
mount --bind /data/edge-nfsd /var/lib/edge-nfsd
mount --bind /data/nfs /var/lib/nfs
say "data disk mounted"

OPTS="rw,$EXPORT_MODE,no_root_squash,no_all_squash,insecure"
if [ "$SERVER_KIND" = edge ]; then
  # As the .deb runs it: its JVM options and MALLOC_ARENA_MAX (from packaging/src/deb/etc/default).
  cp -p /job/edge-nfsd.jar /opt/edge-nfsd.jar
  if [ -f /job/edge-nfsd.jsa ]; then
    cp /job/edge-nfsd.jsa /opt/edge-nfsd.jsa
    JAVA_OPTS="$JAVA_OPTS -XX:SharedArchiveFile=/opt/edge-nfsd.jsa -Xlog:cds=info:file=/job/cds.log"
  fi
  # JNA's stub unpacked by run.sh (as the .deb's postinst does): loaded from /opt/jna, not unpacked to /tmp
  if [ -f /job/libjnidispatch.so ]; then
    mkdir -p /opt/jna
    cp /job/libjnidispatch.so /opt/jna/libjnidispatch.so
    JAVA_OPTS="$JAVA_OPTS -Djna.boot.library.path=/opt/jna -Djna.nounpack=true"
  fi
  # PC_CLASSLOAD_TRACE=1: a timeline of the JVM's start (each class loaded, with the JVM's uptime)
  [ "${CLASSLOAD_TRACE:-0}" = 1 ] && JAVA_OPTS="$JAVA_OPTS -Xlog:class+load:file=/job/classload.log:uptime"
  say "starting edge-nfsd"
  VFLAG=
  [ "${VERBOSE:-0}" = 1 ] && VFLAG=--verbose
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX java $JAVA_OPTS -jar /opt/edge-nfsd.jar $VFLAG \
    --export "/var/nfs-k8s *($OPTS)" --state-dir /var/lib/edge-nfsd --lease "$LEASE" --grace "$GRACE" \
    >>/job/server.log 2>&1 </dev/null &
else
  modprobe nfsd
  mount -t nfsd nfsd /proc/fs/nfsd
  mkdir -p /var/lib/nfs/v4recovery /run/rpcbind
  # knfsd keeps its client records (who may reclaim) in /var/lib/nfs/v4recovery, on the data disk.
  echo "$LEASE" >/proc/fs/nfsd/nfsv4leasetime
  echo "$GRACE" >/proc/fs/nfsd/nfsv4gracetime
  echo "/var/nfs-k8s *($OPTS)" >/etc/exports
  rpcbind -w
  exportfs -ra
  rpc.mountd --no-nfs-version 3 >>/job/server.log 2>&1
  say "starting knfsd"
  rpc.nfsd -N 3 -V 4.1 4 >>/job/server.log 2>&1
  cat /proc/fs/nfsd/versions >>/job/server.log
fi
i=0
while ! ss -Hltn 'sport = :2049' | grep -q . && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
say "port 2049 listening"
dmesg | grep -m1 'crng init done' | sed 's/^/SG dmesg: /' >>/job/guest.log
while true; do
  if [ -f /job/ctl-stop ]; then
    say "stop requested"
    sync
    umount /var/nfs-k8s /var/lib/edge-nfsd /var/lib/nfs 2>/dev/null
    echo b >/proc/sysrq-trigger
  fi
  sleep 1
done
