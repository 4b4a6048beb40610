# Client side of the power-cut harness (runs in the kernel-client guest, sourced lib.sh helpers).
# Mounts the server guest (reached through the host's loopback port forward, 10.0.2.2:NFS_PORT), starts
# every worker of pc.py, waits for the host to finish its power cuts (/job/ctl/stop), then remounts
# and verifies every acknowledged operation. Acknowledgements go to /job/ack (9p, the host's disk).
. /job/lib.sh
ACK=/job/ack
mkdir -p "$ACK" /job/ctl
M=/mnt/pc
mnt "$EXPORT" "$M"
pids=()
for w in $WORKERS; do
  python3 /job/pc.py worker "$w" "$M" "$ACK" &
  pids+=($!)
done
echo "started: $WORKERS"
touch "$ACK/started"
while [ ! -f /job/ctl/stop ]; do sleep 0.5; done
echo "stop requested; waiting for the workers"
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
echo "workers done (any failed: $rc)"
# what the NFS client said about recovery (lost locks, failed reclaims), before the remount adds to it
dmesg >/job/dmesg.log 2>&1 || true
remount "$M"
drop_caches
python3 /job/pc.py verify "$M" "$ACK" /job/verify.json || fail "verify could not run"
cat /job/verify.json
touch /job/verified
