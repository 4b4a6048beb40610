# fcntl (POSIX byte-range) and flock locks contended between two processes on the client; the server
# arbitrates (the kernel client sends LOCK/LOCKT/LOCKU for both).
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/locks; rm -rf $D; mkdir $D
cat >/tmp/locks.py <<'PY'
import fcntl, os, struct, sys, time, signal
d = sys.argv[1]
path = os.path.join(d, "lockfile")
with open(path, "wb") as f:
    f.write(b"\0" * 4096)

def child(fn):
    """Run fn(fd, say) in a child; say() tells the parent the lock is held. Returns (pid, pipe)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            fd = os.open(path, os.O_RDWR)
            fn(fd, lambda: os.write(w, b"x"))
            os._exit(0)
        except BaseException as e:
            print("child failed:", repr(e), flush=True)
            os._exit(1)
    os.close(w)
    if os.read(r, 1) != b"x":
        raise SystemExit("FAIL: child did not get its lock")
    return pid, r

def reap(pid):
    _, st = os.waitpid(pid, 0)
    assert os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0, f"child status {st}"

def expect_blocked(fn, what):
    try:
        fn()
    except (BlockingIOError, PermissionError) as e:
        print(f"ok: {what} refused ({e.strerror})")
        return
    raise SystemExit(f"FAIL: {what} was granted while another process holds a conflicting lock")

fd = os.open(path, os.O_RDWR)

# 1. fcntl write lock on [0,100) held by a child for 3 s.
def hold_write(cfd, say):
    fcntl.lockf(cfd, fcntl.LOCK_EX, 100, 0)
    say(); time.sleep(3)
    fcntl.lockf(cfd, fcntl.LOCK_UN, 100, 0)
pid, _ = child(hold_write)
expect_blocked(lambda: fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 50), "fcntl F_SETLK write on [50,60)")
expect_blocked(lambda: fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, 99), "fcntl F_SETLK read on [99,100)")
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 100, 200)
print("ok: non-overlapping range [200,300) granted")
fcntl.lockf(fd, fcntl.LOCK_UN, 100, 200)
# F_GETLK reports the conflicting lock (LOCKT)
lk = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0, 10, 0)
res = struct.unpack("hhqqi", fcntl.fcntl(fd, fcntl.F_GETLK, lk))
assert res[0] == fcntl.F_WRLCK, f"F_GETLK saw no conflicting lock: {res}"
print(f"ok: F_GETLK reports the conflict (type {res[0]}, start {res[2]}, len {res[3]})")
t = time.time()
fcntl.lockf(fd, fcntl.LOCK_EX, 100, 0)   # F_SETLKW: must wait for the child
waited = time.time() - t
assert waited > 1.0, f"blocking fcntl lock granted after {waited:.1f}s, the holder still had it"
print(f"ok: blocking fcntl lock granted after {waited:.1f}s, once the holder released it")
fcntl.lockf(fd, fcntl.LOCK_UN, 100, 0)
reap(pid)

# 2. shared fcntl read locks coexist; a writer is refused.
def hold_read(cfd, say):
    fcntl.lockf(cfd, fcntl.LOCK_SH, 0, 0)
    say(); time.sleep(2)
pid, _ = child(hold_read)
fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 0, 0)
print("ok: two read locks on the whole file coexist")
fcntl.lockf(fd, fcntl.LOCK_UN, 0, 0)
expect_blocked(lambda: fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0), "write lock over a read lock")
reap(pid)

# 3. flock exclusive/shared.
def hold_flock(cfd, say):
    fcntl.flock(cfd, fcntl.LOCK_EX)
    say(); time.sleep(3)
    fcntl.flock(cfd, fcntl.LOCK_UN)
fd2 = os.open(path, os.O_RDWR)
pid, _ = child(hold_flock)
expect_blocked(lambda: fcntl.flock(fd2, fcntl.LOCK_EX | fcntl.LOCK_NB), "flock LOCK_EX|LOCK_NB")
expect_blocked(lambda: fcntl.flock(fd2, fcntl.LOCK_SH | fcntl.LOCK_NB), "flock LOCK_SH|LOCK_NB")
t = time.time()
fcntl.flock(fd2, fcntl.LOCK_EX)
waited = time.time() - t
assert waited > 1.0, f"blocking flock granted after {waited:.1f}s"
print(f"ok: blocking flock granted after {waited:.1f}s")
fcntl.flock(fd2, fcntl.LOCK_UN)
reap(pid)
def hold_flock_sh(cfd, say):
    fcntl.flock(cfd, fcntl.LOCK_SH)
    say(); time.sleep(2)
pid, _ = child(hold_flock_sh)
fcntl.flock(fd2, fcntl.LOCK_SH | fcntl.LOCK_NB)
print("ok: two shared flocks coexist")
fcntl.flock(fd2, fcntl.LOCK_UN)
reap(pid)

# 4. a lock holder killed with SIGKILL: its lock goes away.
def hold_forever(cfd, say):
    fcntl.lockf(cfd, fcntl.LOCK_EX, 0, 0)
    say(); time.sleep(600)
pid, _ = child(hold_forever)
expect_blocked(lambda: fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0), "lock held by a live process")
os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
t = time.time()
while True:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 0, 0)
        break
    except (BlockingIOError, PermissionError):
        if time.time() - t > 30:
            raise SystemExit("FAIL: lock of a killed process still held after 30 s")
        time.sleep(0.5)
print(f"ok: lock of a SIGKILLed holder released ({time.time() - t:.1f}s)")
fcntl.lockf(fd, fcntl.LOCK_UN, 0, 0)
print("ok: all lock checks passed")
PY
python3 /tmp/locks.py $D
step "flock(1) between two shells"
rm -f /tmp/held
( flock -x $D/lockfile sh -c 'touch /tmp/held; sleep 3' ) &
for _ in $(seq 1 300); do [ -e /tmp/held ] && break; sleep 0.1; done
expect_err "" flock -n -x $D/lockfile true
t0=$(date +%s); flock -x -w 60 $D/lockfile true; echo "flock(1) waited $(( $(date +%s) - t0 ))s"
wait
rm -rf $D
umount $M
