# NFSv4.2 (RFC 7862) with a plain `mount -t nfs` (no nfsvers): the mount negotiates 4.2; fallocate(1)
# reserves blocks and punches holes (ALLOCATE, DEALLOCATE); SEEK_HOLE/SEEK_DATA find a sparse file's holes
# (SEEK); cp within the mount is a server-side COPY, at least 3x faster than copying through the client.
. /job/lib.sh
M=/mnt/nfs42
mkdir -p $M
timeout 120 mount -t nfs -o port="$NFS_PORT" "$NFS_HOST:$EXP_RW" $M || fail "plain mount -t nfs failed"
vers=$(awk -v m=$M '$2 == m { print $4 }' /proc/mounts | tr ',' '\n' | sed -n 's/^vers=//p')
expect_eq "negotiated vers" "$vers" "4.2"
grep -q "nfsv4.2\|vers=4.2" /proc/self/mountstats || fail "mountstats shows no 4.2 mount"
D=$M/nfs42; rm -rf $D; mkdir $D
op_count() { awk -v op="$1:" '$1 == op { n += $2 } END { print n + 0 }' /proc/self/mountstats; }

step "fallocate -l: ALLOCATE reserves blocks"
a0=$(op_count ALLOCATE)
fallocate -l 8M $D/alloc
blocks=$(stat -c %b $D/alloc)
expect_eq "size after fallocate -l 8M" "$(stat -c %s $D/alloc)" "8388608"
[ "$blocks" -ge 16384 ] || fail "fallocate -l 8M: $blocks blocks of 512 bytes, want >= 16384"
[ "$(op_count ALLOCATE)" -gt "$a0" ] || fail "no ALLOCATE in mountstats"
ok "fallocate -l 8M: $blocks blocks, ALLOCATE count $(op_count ALLOCATE)"

step "fallocate -p: DEALLOCATE punches a hole, size kept"
head -c 4M /dev/urandom >$D/punch
sync
before=$(stat -c %b $D/punch)
fallocate -p -o 1M -l 2M $D/punch
sync; drop_caches
after=$(stat -c %b $D/punch)
expect_eq "size after punching" "$(stat -c %s $D/punch)" "4194304"
[ "$after" -le $((before - 4096)) ] || fail "punching 2 MiB: blocks $before -> $after, want at most $((before - 4096))"
cmp -n 2097152 -i 1048576:0 $D/punch /dev/zero || fail "punched range does not read as zeros"
ok "fallocate -p 2 MiB: blocks $before -> $after, the range reads as zeros"

step "SEEK_HOLE/SEEK_DATA on a sparse file"
python3 - "$D/sparse" <<'PY'
import os, sys
p = sys.argv[1]
M = 1 << 20
fd = os.open(p, os.O_CREAT | os.O_RDWR | os.O_TRUNC, 0o644)
os.pwrite(fd, b"x" * M, 4 * M)
os.ftruncate(fd, 8 * M)
os.fsync(fd)
os.close(fd)
fd = os.open(p, os.O_RDONLY)
data = os.lseek(fd, 0, os.SEEK_DATA)
hole = os.lseek(fd, data, os.SEEK_HOLE)
assert data == 4 * M, f"SEEK_DATA from 0 gave {data}, want {4 * M}"
assert hole == 5 * M, f"SEEK_HOLE from {data} gave {hole}, want {5 * M}"
assert os.lseek(fd, 0, os.SEEK_HOLE) == 0, "SEEK_HOLE from 0 should find the leading hole"
print(f"ok: SEEK_DATA 0 -> {data}, SEEK_HOLE {data} -> {hole}")
PY
[ "$(op_count SEEK)" -gt 0 ] || fail "no SEEK in mountstats"
cp --sparse=always $D/sparse $D/sparse.copy
used=$(du -k $D/sparse.copy | cut -f1)
[ "$used" -lt 4096 ] || fail "cp --sparse=always copy uses $used KiB of 8 MiB, want < 4096"
ok "cp --sparse=always keeps the copy sparse ($used KiB used of 8192), SEEK count $(op_count SEEK)"

step "cp of 256 MiB within the mount: server-side COPY vs a copy through the client"
head -c 256M /dev/urandom >$D/big
sync; drop_caches
# dd, not cat: coreutils 9's cat uses copy_file_range too, which would be a COPY as well
k0=$(op_count COPY)
t0=$(date +%s%N)
dd if=$D/big of=$D/through bs=1M status=none
sync
t1=$(date +%s%N)
expect_eq "COPYs during the copy through the client" "$(( $(op_count COPY) - k0 ))" "0"
drop_caches
c0=$(op_count COPY)
t2=$(date +%s%N)
cp $D/big $D/copied
sync
t3=$(date +%s%N)
c1=$(op_count COPY)
[ "$c1" -gt "$c0" ] || fail "cp used no COPY (count $c0 -> $c1)"
drop_caches
cmp $D/big $D/copied || fail "the COPY's destination differs from the source"
through_ms=$(( (t1 - t0) / 1000000 )); copy_ms=$(( (t3 - t2) / 1000000 ))
[ "$copy_ms" -gt 0 ] || copy_ms=1
ratio=$(awk -v a="$through_ms" -v b="$copy_ms" 'BEGIN { printf "%.1f", a / b }')
echo "through the client: ${through_ms} ms; cp (COPY x$((c1 - c0))): ${copy_ms} ms; ratio ${ratio}"
awk -v r="$ratio" 'BEGIN { exit !(r >= 3) }' || fail "server-side copy only ${ratio}x faster, want >= 3x"
ok "cp of 256 MiB used COPY, ${ratio}x faster than through the client"

rm -rf $D
umount $M
