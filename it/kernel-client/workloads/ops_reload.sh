# Hot reload (issue 16) while the guest keeps writing to an unchanged export: adding, changing and removing
# exports and an invalid file never interrupt those writes (no error, no grace: each write completes within
# seconds); the added export can be mounted, the changed one turns read-only, the removed one answers
# "Stale file handle", the invalid file is refused and changes nothing. (Needs ops/java-with-ops.sh as JAVA.)
. /job/lib.sh
B=$(dirname "$EXP_RW")
ops_ctl() {  # like host_ctl, through /job/ctl/ops.N (answered by java-with-ops.sh's watcher)
  local n i
  n=$(date +%s%N)
  echo "$*" >"/job/ctl/ops.$n.tmp" && mv "/job/ctl/ops.$n.tmp" "/job/ctl/ops.$n"
  for i in $(seq 1 600); do
    if [ -f "/job/ctl/ops-reply.$n" ]; then OPS_REPLY=$(cat "/job/ctl/ops-reply.$n"); OPS_N=$n
      echo "host: $OPS_REPLY"; return 0; fi
    sleep 0.2
  done
  fail "ops control '$*': no answer in 120 s"
}
mkdir -p /job/ctl
mnt "$EXP_RW" /mnt/rw
mnt "$B/chg" /mnt/chg
mnt "$B/gone" /mnt/gone
touch /mnt/gone/before
# the writer: 1 MiB appended and fsync'ed every 0.2 s; each write's time is logged
( i=0; while [ ! -f /tmp/stop ] && [ $i -lt 2000 ]; do
    s=$(date +%s%N)
    dd if=/dev/urandom of=/mnt/rw/steady bs=1M count=1 oflag=append conv=notrunc,fsync status=none || { echo "WRITE FAILED $i" >>/tmp/writer.log; exit 1; }
    echo "$i $(( ($(date +%s%N) - s) / 1000000 ))" >>/tmp/writer.log
    i=$((i + 1)); sleep 0.2
  done ) &
WRITER=$!
sleep 3
ops_ctl reload-add added rw,sync,no_root_squash,insecure
case "$OPS_REPLY" in ok*"added $B/added"*) ok "reload added an export" ;; *) fail "add: $OPS_REPLY" ;; esac
mnt "$B/added" /mnt/added
echo new >/mnt/added/file && ok "wrote to the added export"
ops_ctl reload-change chg ro,sync,no_root_squash,insecure
case "$OPS_REPLY" in ok*"changed $B/chg"*) ok "reload changed an export" ;; *) fail "change: $OPS_REPLY" ;; esac
expect_err "Read-only file system" touch /mnt/chg/now-ro
ops_ctl reload-remove gone
case "$OPS_REPLY" in ok*"removed $B/gone"*) ok "reload removed an export" ;; *) fail "remove: $OPS_REPLY" ;; esac
drop_caches
expect_err "Stale file handle" ls -l /mnt/gone/before
ops_ctl reload-bad
case "$OPS_REPLY" in "refused rc=1"*"no_such_option"*) ok "an invalid file is refused: $OPS_REPLY" ;; *) fail "bad: $OPS_REPLY" ;; esac
echo still >/mnt/added/file2 && ok "the added export still served after the refused reload"
# status -o json lists this guest's client, a file it holds open and its lock on it
exec 9>>/mnt/rw/locked
flock -x 9
ino=$(stat -c %i /mnt/rw/locked)
ops_ctl status-json
S=/job/ctl/ops-status.$OPS_N
grep -q '"owner": "Linux NFSv4.1 ' "$S" || fail "status -o json has no Linux client: $(head -c 400 "$S")"
tr -d ' \n' <"$S" | grep -q "\"inode\":$ino,\"opens\":\[{\"clientid\":\"[0-9a-f]*\",\"access\":\"[a-z]*\"" \
  || fail "status -o json does not list the open of inode $ino: $(tr -d ' \n' <"$S" | head -c 600)"
tr -d ' \n' <"$S" | grep -q "\"inode\":$ino,\"opens\":\[[^]]*\],\"locks\":\[{\"clientid\":\"[0-9a-f]*\",\"type\":\"write\"" \
  || fail "status -o json does not list the lock on inode $ino: $(tr -d ' \n' <"$S" | head -c 600)"
ok "edge-nfsd status -o json lists the guest's client, its open file (inode $ino) and its lock"
exec 9>&-
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
