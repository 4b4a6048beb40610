# META_FILES files: create, stat (after a remount, so from the server), remove.
. /job/lib.sh
. /job/bench.env
mnt "$EXP_BENCH" /mnt/b
mkdir -p /mnt/b/meta
python3 - /mnt/b/meta "$META_FILES" create <<'PY'
import os, sys, time
d, n = sys.argv[1], int(sys.argv[2])
t0 = time.time()
for i in range(n):
    os.close(os.open("%s/f%05d" % (d, i), os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644))
print("RESULT meta_create_per_s %.0f" % (n / (time.time() - t0)))
PY
remount /mnt/b
python3 - /mnt/b/meta "$META_FILES" <<'PY'
import os, sys, time
d, n = sys.argv[1], int(sys.argv[2])
t0 = time.time()
for i in range(n):
    os.stat("%s/f%05d" % (d, i))
print("RESULT meta_stat_per_s %.0f" % (n / (time.time() - t0)))
t0 = time.time()
for i in range(n):
    os.unlink("%s/f%05d" % (d, i))
print("RESULT meta_remove_per_s %.0f" % (n / (time.time() - t0)))
PY
rmdir /mnt/b/meta
echo "RESULT meta_ops $((3 * META_FILES))"
