# Reclaim (issue 6): a guest process holds an fcntl lock while the server is killed (SIGKILL) and
# restarted. The client reclaims its open and lock in the grace period; afterwards the lock still
# excludes a second locker, the holder can still write through its open file, and once it unlocks the
# second locker gets the lock.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/reclaim; rm -rf $D; mkdir $D
echo "before restart" >$D/locked
cat >/tmp/holder.py <<'PY'
import fcntl, os, sys, time
path = sys.argv[1]
f = open(path, "r+b")
fcntl.lockf(f, fcntl.LOCK_EX)
open("/tmp/held", "w").close()
while not os.path.exists("/tmp/release"):
    time.sleep(0.1)
f.seek(0, 2)
f.write(b"written by the holder after the restart\n")
f.flush()
os.fsync(f.fileno())
fcntl.lockf(f, fcntl.LOCK_UN)
f.close()
PY
rm -f /tmp/held /tmp/release
python3 /tmp/holder.py $D/locked >/tmp/holder.out 2>&1 &
H=$!
for _ in $(seq 1 300); do [ -f /tmp/held ] && break; sleep 0.1; done
[ -f /tmp/held ] || fail "holder did not get the lock: $(cat /tmp/holder.out)"
expect_eq "second locker before the restart" "$(try_lock $D/locked)" busy

step "SIGKILL and restart the server while the lock is held"
host_ctl kill9-restart
expect_eq "second locker after the restart (lock reclaimed)" "$(try_lock $D/locked)" busy

step "holder writes and unlocks; then the second locker gets it"
touch /tmp/release
wait $H || fail "holder failed: $(cat /tmp/holder.out)"
expect_eq "second locker after unlock" "$(try_lock $D/locked)" acquired
remount $M
grep -q "written by the holder after the restart" $D/locked || fail "holder's write after the restart is missing"
ok "holder's write after the restart is on the server"
# the second locker is a process of this same client, whose own lock table refuses it whatever the server
# holds: a lock the client could not reclaim (e.g. one kept under a write delegation whose reclaim was
# refused) shows only in the kernel's log
dmesg | grep -q "lost .* locks" && fail "the client lost locks in the restart: $(dmesg | grep 'lost')"
ok "the kernel client lost no lock in the restart"
