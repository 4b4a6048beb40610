#!/bin/bash
# Stage 2 of the guest (PID 1 after switch_root): bring up the network, run every workload listed in
# /job/plan in order, each with its own timeout, and write its output, exit status and dmesg to
# /job/results/NAME/. The host reads them after qemu exits. /job is the host's job directory over 9p.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
set +e

mount -t proc proc /proc
mount -t sysfs sysfs /sys
[ -e /dev/null ] || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mkdir -p /run/lock
mount -o remount,rw /
h=$(sed -n 's/.*it\.hostname=\([^ ]*\).*/\1/p' /proc/cmdline)
hostname "${h:-itguest}"   # boot_pair names its guests itguest-a and itguest-b
if grep -q 'it\.peer=1' /proc/cmdline; then   # boot_pair's shared barrier directory
  mkdir -p /peer
  mount -t 9p -o trans=virtio,version=9p2000.L,cache=none peer /peer || echo "IT-WARN: cannot mount 9p peer share"
fi
echo 1 >/proc/sys/kernel/printk_devkmsg 2>/dev/null

finish() {
  sync
  echo "IT-GUEST-DONE"
  echo b >/proc/sysrq-trigger   # qemu runs with -no-reboot, so this ends the VM
  sleep 10
}

modprobe virtio_net || echo "IT-WARN: modprobe virtio_net failed"
modprobe nfsv4 || echo "IT-WARN: modprobe nfsv4 failed"
ip link set lo up
ip link set eth0 up
# Only the user-mode network's own subnet: no default route, so nothing but 10.0.2.2 (the host's
# loopback) is reachable from the guest.
ip addr add 10.0.2.15/24 dev eth0

mkdir -p /job/results
cp /job/lib.sh /tmp/lib.sh 2>/dev/null
dmesg >/job/boot-dmesg.log 2>&1
echo "IT-GUEST-UP $(cut -d' ' -f1 /proc/uptime)"

while read -r name tmo; do
  [ -n "$name" ] || continue
  r=/job/results/$name
  mkdir -p "$r"
  echo "IT-START $name"
  dmesg -C
  t0=$(date +%s%N)
  ( cd /tmp && exec timeout -k 20 "$tmo" bash /job/workloads/"$name".sh ) >"$r/output.log" 2>&1 </dev/null
  rc=$?
  t1=$(date +%s%N)
  [ $rc -eq 124 ] && echo "TIMEOUT: workload exceeded ${tmo}s" >>"$r/output.log"
  [ $rc -eq 137 ] && echo "TIMEOUT: workload exceeded ${tmo}s and was killed" >>"$r/output.log"
  # Leave nothing mounted for the next workload.
  for m in $(awk '$3 ~ /^nfs/ { print $2 }' /proc/mounts | sort -r); do
    timeout 30 umount "$m" 2>/dev/null || timeout 30 umount -f -l "$m" 2>/dev/null
  done
  dmesg >"$r/dmesg.log"
  echo $(( (t1 - t0) / 1000000 )) >"$r/millis"
  echo "$rc" >"$r/rc"
  sync
  echo "IT-RESULT $name rc=$rc ms=$(( (t1 - t0) / 1000000 ))"
done </job/plan

if [ -f /job/shell ]; then
  ( . /job/env
    echo "IT-SHELL: root shell in the guest (exports: $EXP_RW $EXP_RSQ $EXP_ASQ $EXP_RO $EXP_DENY). Try:"
    echo "  mkdir -p /mnt/rw; mount -t nfs -o nfsvers=4.1,hard,port=$NFS_PORT $NFS_HOST:$EXP_RW /mnt/rw"
    echo "  bash /job/workloads/locks.sh" )
  setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
fi
finish
