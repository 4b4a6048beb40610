# A sparse file larger than 4 GiB: offsets above 2^32 written and read back, holes read as zeros,
# size and allocation right, after a remount too.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/sparse; rm -rf $D; mkdir $D
cat >/tmp/sparse.py <<'PY'
import os, sys, hashlib
path, phase = sys.argv[1], sys.argv[2]
G = 1 << 30
marks = {5 * G + 123: b"tail-marker", 1 * G: b"one-gib", (4 * G) - 5: b"across-4GiB!"}
if phase == "write":
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
    for off, data in marks.items():
        os.pwrite(fd, data, off)
    blob = bytes((i * 7) & 0xFF for i in range(256 * 1024))
    os.pwrite(fd, blob, 4 * G + 4096)
    os.fsync(fd)
    os.close(fd)
    print("ok: wrote", len(marks), "markers and 256 KiB above 4 GiB")
fd = os.open(path, os.O_RDONLY)
size = os.fstat(fd).st_size
want = 5 * G + 123 + len(b"tail-marker")
assert size == want, f"size {size} != {want}"
for off, data in marks.items():
    got = os.pread(fd, len(data), off)
    assert got == data, f"at {off}: {got!r} != {data!r}"
blob = bytes((i * 7) & 0xFF for i in range(256 * 1024))
assert os.pread(fd, len(blob), 4 * G + 4096) == blob, "256 KiB block above 4 GiB differs"
for off in (0, 2 * G, 3 * G + 12345, 4 * G + 4096 + len(blob), 5 * G - 65536):
    z = os.pread(fd, 65536, off)
    assert z == bytes(len(z)), f"hole at {off} is not zeros"
assert os.pread(fd, 100, size) == b"", "read past EOF returned data"
os.close(fd)
print("ok:", phase, "size", size, "markers, block and holes verified")
PY
python3 /tmp/sparse.py $D/big write
remount $M
python3 /tmp/sparse.py $D/big verify
used_kb=$(du -k $D/big | cut -f1)
echo "space used: ${used_kb} KiB for $(stat -c %s $D/big) bytes"
[ "$used_kb" -lt 102400 ] || fail "sparse file occupies ${used_kb} KiB"
ok "sparse file stays sparse"
truncate -s $(( (4 << 30) + 1 )) $D/big
expect_eq "truncate to 4 GiB + 1" "$(stat -c %s $D/big)" $(( (4 << 30) + 1 ))
expect_eq "byte at 4 GiB - 5 survives" "$(dd if=$D/big bs=1 skip=$(( (4 << 30) - 5 )) count=5 status=none)" "acros"
rm $D/big; rmdir $D
umount $M
