# Stable handles (issue 6): a file the guest keeps open is renamed on the host (outside NFS, together
# with its directory), then read through the old open file: no ESTALE. The same open file is read again
# after the server was killed and restarted: its handle still works.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/hrename; rm -rf $D; mkdir -p $D/a
head -c 4194304 /dev/urandom >$D/a/f
want=$(sha256sum $D/a/f | cut -d' ' -f1)
sync
cat >/tmp/reader.py <<'PY'
import hashlib, os, sys, time
f = open(sys.argv[1], "rb")
first = f.read(1 << 20)
open("/tmp/half", "w").close()
while not os.path.exists("/tmp/go1"):
    time.sleep(0.1)
rest = f.read()
print(hashlib.sha256(first + rest).hexdigest(), flush=True)
open("/tmp/done1", "w").close()
while not os.path.exists("/tmp/go2"):
    time.sleep(0.1)
f.seek(0)
print(hashlib.sha256(f.read()).hexdigest(), flush=True)
PY
rm -f /tmp/half /tmp/go1 /tmp/go2 /tmp/done1
python3 /tmp/reader.py $D/a/f >/tmp/reader.out 2>/tmp/reader.err &
R=$!
for _ in $(seq 1 300); do [ -f /tmp/half ] && break; sleep 0.1; done
[ -f /tmp/half ] || fail "reader did not start: $(cat /tmp/reader.err)"

step "rename the directory and the file on the host, then read on through the open file"
host_ctl mv rw/hrename/a rw/hrename/b
host_ctl mv rw/hrename/b/f rw/hrename/b/g
drop_caches
touch /tmp/go1
for _ in $(seq 1 600); do [ -f /tmp/done1 ] && break; sleep 0.1; done
[ -f /tmp/done1 ] || fail "reader stuck after the host rename: $(cat /tmp/reader.err)"
expect_eq "content read after the host rename" "$(sed -n 1p /tmp/reader.out)" "$want"

step "kill and restart the server, then read the same open file again"
host_ctl kill9-restart
drop_caches
touch /tmp/go2
wait $R || fail "reader failed: $(cat /tmp/reader.err)"
expect_eq "content read after the restart" "$(sed -n 2p /tmp/reader.out)" "$want"
[ -s /tmp/reader.err ] && fail "reader reported: $(cat /tmp/reader.err)"
expect_eq "file under its new name" "$(sha256sum $D/b/g | cut -d' ' -f1)" "$want"
