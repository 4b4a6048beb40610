# Durability (issue 6): a guest process writes a file in a loop, fsync'ing every 4 MiB and recording what
# it fsync'ed. The host kills the server with SIGKILL mid-write, checks on its own disk that every byte
# the guest had fsync'ed is there with the right checksum, and restarts it; later it restarts it again
# with SIGTERM. On the 'hard' mount the writer must finish without an error, and the whole file must be
# intact, seen both through NFS (after a remount) and on the host disk.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/crash; rm -rf $D; mkdir $D
cat >/tmp/writer.py <<'PY'
import hashlib, os, random, sys, time
path, total_mib, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(42)
h = hashlib.sha256()
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
written = 0
with open(log, "w", buffering=1) as lg:
    for mib in range(total_mib):
        block = rnd.randbytes(1 << 20)
        view = memoryview(block)
        while view:
            view = view[os.write(fd, view):]
        h.update(block)
        written += len(block)
        if (mib + 1) % 4 == 0:
            os.fsync(fd)
            lg.write(f"{written} {h.hexdigest()}\n")
        time.sleep(0.04)  # keep the writer going long enough for two restarts
    os.fsync(fd)
    lg.write(f"{written} {h.hexdigest()} done\n")
os.close(fd)
PY
LOG=/tmp/fsynced.log
python3 /tmp/writer.py $D/data 160 $LOG >/tmp/writer.out 2>&1 &
W=$!

# wait_fsynced N: until the writer has recorded N fsyncs (or fail if it ended before)
wait_fsynced() {
  local _
  for _ in $(seq 1 1200); do
    if [ -f $LOG ] && [ "$(wc -l <$LOG)" -ge "$1" ]; then return 0; fi
    kill -0 $W 2>/dev/null || fail "writer ended before $1 fsyncs: $(cat /tmp/writer.out)"
    sleep 0.1
  done
  fail "writer made no progress"
}

step "SIGKILL the server after 16 MiB were fsync'ed"
wait_fsynced 4
last=$(tail -n1 $LOG); len=${last%% *}; sha=${last#* }
host_ctl kill9-restart rw/crash/data "$len" "$sha"
ok "host found the $len fsync'ed bytes intact while the server was down"

step "SIGTERM the server after 64 MiB were fsync'ed"
wait_fsynced 16
last=$(tail -n1 $LOG); len=${last%% *}
host_ctl term-restart
ok "server restarted cleanly with $len bytes fsync'ed"

step "writer finishes without an error"
wait $W || fail "writer failed: $(cat /tmp/writer.out)"
[ -s /tmp/writer.out ] && fail "writer reported: $(cat /tmp/writer.out)"
read -r len sha last <<<"$(tail -n1 $LOG)"
expect_eq "writer's last record" "$last" "done"
expect_eq "bytes written" "$len" $((160 * 1048576))

step "file intact through NFS after a remount"
remount $M
got=$(sha256sum $D/data | cut -d' ' -f1)
expect_eq "sha256 through NFS" "$got" "$sha"
echo "$len $sha" >$D/expected
sync
