# Hot reload (issue 16) while the guest keeps writing to an unchanged export: adding, changing and removing
# exports and an invalid file never interrupt those writes (no error, no grace: each write completes within
# seconds); the added export can be mounted, the changed one turns read-only, the removed one answers
# "Stale file handle", the invalid file is refused and changes nothing. run.sh's host_ctl edits the
# server's exports file and runs 'edge-nfsd reload'.
. /job/lib.sh
B=$(dirname "$EXP_RW")
# host_ctl prints "host: <answer>"; the answer is what 'edge-nfsd reload' said
reload_ctl() { OPS_REPLY=$(host_ctl "$@"); OPS_REPLY=${OPS_REPLY#host: }; echo "host: $OPS_REPLY"; }
mnt "$EXP_RW" /mnt/rw
mnt "$B/chg" /mnt/chg
mnt "$B/gone" /mnt/gone
touch /mnt/gone/before
echo before >/mnt/chg/before   # a file the server has open before its export turns read-only
# the writer: 1 MiB appended and fsync'ed every 0.2 s; each write's time is logged
( i=0; while [ ! -f /tmp/stop ] && [ $i -lt 2000 ]; do
    s=$(date +%s%N)
    dd if=/dev/urandom of=/mnt/rw/steady bs=1M count=1 oflag=append conv=notrunc,fsync status=none || { echo "WRITE FAILED $i" >>/tmp/writer.log; exit 1; }
    echo "$i $(( ($(date +%s%N) - s) / 1000000 ))" >>/tmp/writer.log
    i=$((i + 1)); sleep 0.2
  done ) &
WRITER=$!
sleep 3
reload_ctl reload-add added rw,sync,no_root_squash,insecure
case "$OPS_REPLY" in ok*"added $B/added"*) ok "reload added an export" ;; *) fail "add: $OPS_REPLY" ;; esac
mnt "$B/added" /mnt/added
echo new >/mnt/added/file && ok "wrote to the added export"
reload_ctl reload-change chg ro,sync,no_root_squash,insecure
case "$OPS_REPLY" in ok*"changed $B/chg"*) ok "reload changed an export" ;; *) fail "change: $OPS_REPLY" ;; esac
expect_err "Read-only file system" touch /mnt/chg/now-ro
drop_caches
expect_err "Read-only file system" dd if=/dev/zero of=/mnt/chg/before bs=1k count=1 conv=notrunc,fsync status=none
reload_ctl reload-remove gone
case "$OPS_REPLY" in ok*"removed $B/gone"*) ok "reload removed an export" ;; *) fail "remove: $OPS_REPLY" ;; esac
drop_caches
expect_err "Stale file handle" ls -l /mnt/gone/before
reload_ctl reload-bad
case "$OPS_REPLY" in "refused rc=1"*"no_such_option"*) ok "an invalid file is refused: $OPS_REPLY" ;; *) fail "bad: $OPS_REPLY" ;; esac
echo still >/mnt/added/file2 && ok "the added export still served after the refused reload"
touch /tmp/stop
wait $WRITER || fail "the writer to the unchanged export failed: $(tail -n 3 /tmp/writer.log)"
n=$(wc -l </tmp/writer.log)
worst=$(sort -k2 -n /tmp/writer.log | tail -n 1 | cut -d' ' -f2)
[ "$n" -ge 10 ] || fail "only $n writes completed"
[ "$worst" -lt 15000 ] || fail "a write to the unchanged export took $worst ms (grace period or stall?)"
median=$(sort -k2 -n /tmp/writer.log | awk '{ v[NR] = $2 } END { print v[int((NR + 1) / 2)] }')
ok "$n fsync'ed 1 MiB writes to the unchanged export during the reloads, median $median ms, slowest $worst ms"
echo "RESULT reload_writes $n"
echo "RESULT reload_worst_write_ms $worst"
umount /mnt/added /mnt/chg; umount -f -l /mnt/gone || true; umount /mnt/rw
