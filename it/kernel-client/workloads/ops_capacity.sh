# capacity= (issue 16): df on an export with capacity=64Mi shows 64 MiB, and what is left of it after
# writing; the export beside it shows the real disk.
# (run.sh exports cap with capacity=64Mi.)
. /job/lib.sh
B=$(dirname "$EXP_RW")
mnt "$B/cap" /mnt/cap
mnt "$EXP_RW" /mnt/rw
size_kib=$(df -k --output=size /mnt/cap | tail -n 1 | tr -d ' ')
expect_eq "df size of the capacity=64Mi export (KiB)" "$size_kib" 65536
avail0=$(df -k --output=avail /mnt/cap | tail -n 1 | tr -d ' ')
[ "$avail0" -le 65536 ] || fail "available $avail0 KiB is more than the capacity"
dd if=/dev/zero of=/mnt/cap/ten-mib bs=1M count=10 conv=fsync status=none
sleep 35   # report-only volumes are walked every 30 s; quota-enforced ones report at once
avail1=$(df -k --output=avail /mnt/cap | tail -n 1 | tr -d ' ')
[ "$avail1" -le $((avail0 - 10240 + 64)) ] || fail "after writing 10 MiB available went $avail0 -> $avail1 KiB"
ok "available after writing 10 MiB: $avail0 -> $avail1 KiB"
rw_kib=$(df -k --output=size /mnt/rw | tail -n 1 | tr -d ' ')
[ "$rw_kib" -gt 65536 ] || fail "the export without capacity shows $rw_kib KiB"
ok "export without capacity= shows the disk: $rw_kib KiB"
# where the filesystem has project quotas (ext4 -O quota,project, prjquota), writing past the size fails
if dd if=/dev/zero of=/mnt/cap/too-much bs=1M count=80 conv=fsync status=none 2>/tmp/dd.err; then
  echo "INFO writes past capacity are not enforced here (the server's filesystem has no project quotas)"
else
  grep -q "Disk quota exceeded" /tmp/dd.err || fail "writing past the capacity failed otherwise: $(cat /tmp/dd.err)"
  ok "writing past the capacity -> Disk quota exceeded"
fi
rm -f /mnt/cap/ten-mib /mnt/cap/too-much
umount /mnt/cap; umount /mnt/rw
