# A directory of 10,000 entries is listed completely (each entry exactly once) while another process
# keeps adding files to it.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/bigdir
rm -rf $D; mkdir $D
cat >/tmp/bigdir.py <<'PY'
import os, sys, time, signal
d, phase = sys.argv[1], sys.argv[2]
N = 10000
base = {f"f{i:05d}" for i in range(N)}
if phase == "create":
    t = time.time()
    for name in sorted(base):
        os.close(os.open(os.path.join(d, name), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
    print(f"ok: created {N} files in {time.time() - t:.1f}s")
    sys.exit(0)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    i = 0
    try:
        while True:
            os.close(os.open(os.path.join(d, f"n{i:05d}"), os.O_CREAT | os.O_WRONLY, 0o644))
            i += 1
            if i == 1:
                os.write(w, b"x")
    finally:
        os._exit(0)
os.close(w)
os.read(r, 1)
passes = 0
while passes < 4:
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3")
    names = os.listdir(d)
    s = set(names)
    dups = len(names) - len(s)
    missing = base - s
    added = len([n for n in names if n.startswith("n")])
    print(f"pass {passes}: {len(names)} entries, {added} added so far, {len(missing)} missing, {dups} duplicates")
    if missing:
        sys.exit(f"FAIL: listing missed {len(missing)} entries, e.g. {sorted(missing)[:5]}")
    if dups:
        sys.exit(f"FAIL: listing returned {dups} duplicate entries")
    passes += 1
os.kill(pid, signal.SIGTERM)
os.waitpid(pid, 0)
names = os.listdir(d)
created = {n for n in names if n.startswith("n")}
print(f"ok: {passes} complete listings during concurrent creates; {len(created)} files added meanwhile")
assert len(names) == len(set(names)) == N + len(created)
PY
python3 /tmp/bigdir.py $D create
remount $M
expect_eq "entries after remount" "$(find "$D" -mindepth 1 -maxdepth 1 -name 'f*' | wc -l)" 10000
python3 /tmp/bigdir.py $D list
remount $M
total=$(( $(ls -f "$D" | wc -l) - 2 ))   # ls -f: READDIR order, with . and ..
expect_eq "final listing after remount (ls) matches find" "$total" "$(find $D -mindepth 1 | wc -l)"
step "removing all"
find $D -mindepth 1 -delete
rmdir $D
umount $M
