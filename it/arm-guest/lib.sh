# Sourced by it/arm-guest/run.sh and benchmarks/pi.sh (after it/lib/host.sh): the ARM guest's disks and
# its qemu command line, the same for the smoke test and the benchmark.

# arm_guest_disks GUEST_DIR JOB_DIR: JOB/disk.img, a sparse copy of the cached root image, and JOB/sd.img,
# the "SD card" (2 GiB ext4 with nfs-k8s/ and edge-nfsd/: the export and the state directory). Images
# built before build-guest.sh wrote TCG-sized device timeouts (60 s for /dev/vdb: the first boot,
# 2026-12-03, went to emergency mode) get its current fstab lines, so that an older cached image boots.
arm_guest_disks() {
  local guest=$1 job=$2
  cp --sparse=always "$guest/root.img" "$job/disk.img" || it_die "copy of the root image failed"
  if ! debugfs -R 'cat /etc/fstab' "$guest/root.img" 2>/dev/null | grep -q 'device-timeout=900s'; then
    sed 's/x-systemd.device-timeout=[0-9]*s/x-systemd.device-timeout=900s/; s/^\(\/sd\/[^ ]* *[^ ]* *none *bind\),/\1,nofail,/' \
      <(debugfs -R 'cat /etc/fstab' "$guest/root.img" 2>/dev/null) >"$job/fstab"
    grep -q 'device-timeout=900s' "$job/fstab" || it_die "could not read the guest's /etc/fstab"
    debugfs -w -f <(printf 'rm /etc/fstab\nwrite %s /etc/fstab\n' "$job/fstab") "$job/disk.img" >/dev/null 2>&1 \
      || it_die "could not write the guest's /etc/fstab"
    it_log "older image: fstab given build-guest.sh's device timeouts"
  fi
  mkdir -p "$job/sdroot/nfs-k8s" "$job/sdroot/edge-nfsd"; chmod 700 "$job/sdroot/edge-nfsd"
  mkfs.ext4 -q -F -L sd -d "$job/sdroot" "$job/sd.img" 2048M || it_die "mkfs of the SD disk failed"
}

# arm_guest_boot QEMU MACHINE CPU GUEST_DIR JOB_DIR PORT CONSOLE_LOG: starts the guest in the background
# (pid in ARM_QPID): 1 vCPU, 1 GiB, TCG, the two disks of arm_guest_disks, the job directory over 9p,
# user-mode network with restrict=on and the guest's 2049 on 127.0.0.1:PORT.
arm_guest_boot() {
  local qemu=$1 machine=$2 cpu=$3 guest=$4 job=$5 port=$6 console=$7
  # SD-card figures (class 10 / A1): 20 MB/s and 300 IOPS write, 40 MB/s and 1500 IOPS read.
  # shellcheck disable=SC2054
  "$qemu" -M "$machine" -cpu "$cpu" -smp 1 -m 1024 -accel tcg -display none -no-reboot -monitor none \
    -kernel "$guest/vmlinuz" -initrd "$guest/initrd.img" \
    -append "root=/dev/vda rw console=ttyAMA0 panic=-1 net.ifnames=0" \
    -drive file="$job/disk.img",if=none,id=d0,format=raw -device virtio-blk-pci,drive=d0 \
    -drive file="$job/sd.img",if=none,id=d1,format=raw,throttling.bps-write=20000000,throttling.iops-write=300,throttling.bps-read=40000000,throttling.iops-read=1500 \
    -device virtio-blk-pci,drive=d1 \
    -fsdev local,path="$job",security_model=none,id=job -device virtio-9p-pci,fsdev=job,mount_tag=job \
    -netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:"$port"-:2049 -device virtio-net-pci,netdev=n0 \
    -serial file:"$console" &
  # shellcheck disable=SC2034  # read by the caller
  ARM_QPID=$!
}
