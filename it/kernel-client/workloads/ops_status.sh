# `edge-nfsd status -o json` (issue 16) lists this guest's client, a file it holds open and its lock on
# it, while it holds them; and the /metrics counters move by what the guest did: 100 O_DIRECT 4 KiB
# writes are 100 WRITE operations and 409600 bytes written. run.sh's host_ctl asks the server on the
# host (status-json: its admin socket, metrics: its loopback metrics endpoint).
. /job/lib.sh
mnt "$EXP_RW" /mnt/rw
# path in ctl/ of the file a host_ctl answer "ok NAME" names
ctl_file() { local r; r=$(host_ctl "$@"); r=${r#host: ok }; echo "/job/ctl/${r##*/}"; }
# metric VALUE: the sample named exactly $2 (name{labels}) in scrape $1, 0 when absent
metric() { awk -v k="$2" '$1 == k { v = $2 } END { printf "%d\n", v + 0 }' "$1"; }

step "status -o json while the guest holds an open file and a lock"
rm -f /mnt/rw/status-locked
exec 9>>/mnt/rw/status-locked
flock -x 9
ino=$(stat -c %i /mnt/rw/status-locked)
S=$(ctl_file status-json)
J=$(tr -d ' \n' <"$S")
grep -Eq '"owner":"LinuxNFSv4\.[12]' <<<"$J" || fail "status -o json has no Linux client: ${J:0:400}"
grep -q "\"inode\":$ino,\"opens\":\[{\"clientid\":\"[0-9a-f]*\",\"access\":\"[a-z]*\"" <<<"$J" \
  || fail "status -o json does not list the open of inode $ino: ${J:0:800}"
grep -q "\"inode\":$ino,\"opens\":\[[^]]*\],\"locks\":\[{\"clientid\":\"[0-9a-f]*\",\"type\":\"write\"" <<<"$J" \
  || fail "status -o json does not list the write lock on inode $ino: ${J:0:800}"
ok "status -o json lists the guest's client, its open file (inode $ino) and its write lock"
exec 9>&-
sleep 1
S=$(ctl_file status-json)
J=$(tr -d ' \n' <"$S")
if grep -q "\"inode\":$ino,\"opens\":\[[^]]*\],\"locks\":\[{" <<<"$J"; then fail "the lock is still listed after it was released: ${J:0:800}"; fi
ok "after close the lock on inode $ino is no longer listed"

step "metrics: 100 WRITEs move the WRITE counter by 100"
W='edgenfsd_nfs_operations_total{op="WRITE"}'
BW='edgenfsd_nfs_data_bytes_total{direction="write"}'
M0=$(ctl_file metrics)
dd if=/dev/urandom of=/mnt/rw/metrics-100 bs=4k count=100 oflag=direct status=none
M1=$(ctl_file metrics)
w0=$(metric "$M0" "$W"); w1=$(metric "$M1" "$W")
b0=$(metric "$M0" "$BW"); b1=$(metric "$M1" "$BW")
grep -q "^edgenfsd_nfs_operations_total{op=\"WRITE\"}" "$M1" || fail "no WRITE counter in the scrape: $(grep -m3 operations_total "$M1")"
expect_eq "WRITE operations counted for 100 O_DIRECT writes" "$((w1 - w0))" 100
expect_eq "bytes written counted for 100 x 4 KiB" "$((b1 - b0))" 409600
echo "RESULT metrics_write_delta $((w1 - w0))"
rm -f /mnt/rw/status-locked /mnt/rw/metrics-100
umount /mnt/rw
