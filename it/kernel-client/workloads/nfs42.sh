# NFSv4.2 (RFC 7862) with a plain `mount -t nfs` (no nfsvers): the mount negotiates 4.2; fallocate(1)
# reserves blocks and punches holes (ALLOCATE, DEALLOCATE); SEEK_HOLE/SEEK_DATA find a sparse file's holes
# (SEEK); cp within the mount is a server-side COPY, at least 3x faster than copying through the client;
# cp --reflink=always is a CLONE on an XFS reflink export and fails with EOPNOTSUPP on the ext4 one;
# user.* extended attributes (RFC 8276) are set, listed, read and removed with the caller's permissions
# (the guest has no attr package: python's os.*xattr calls, the same system calls setfattr makes).
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

step "user xattrs (RFC 8276): SETXATTR, GETXATTR, LISTXATTRS, REMOVEXATTR as the caller"
# counters of this mount only; they restart with each mount, so they are read before the remount
remount42() { umount $M && timeout 120 mount -t nfs -o port="$NFS_PORT" "$NFS_HOST:$EXP_RW" $M || fail "remount failed"; }
X=$D/xattrs; mkdir -p $X; chmod 0777 $X
as 1000 sh -c "echo data >$X/f && chmod 0644 $X/f" || fail "uid 1000 cannot create $X/f"
s0=$(op_count SETXATTR); r0=$(op_count REMOVEXATTR)
as 1000 python3 - "$X/f" <<'PY' || fail "xattrs as the owner"
import errno, os, sys
f = sys.argv[1]
os.setxattr(f, "user.k8s.pv", b"\x00\x01binary\xff", os.XATTR_CREATE)
os.setxattr(f, "user.empty", b"")
os.setxattr(f, "user.big", b"x" * 4000)
for flags, name, want in ((os.XATTR_CREATE, "user.k8s.pv", errno.EEXIST), (os.XATTR_REPLACE, "user.none", errno.ENODATA)):
    try:
        os.setxattr(f, name, b"v", flags)
        sys.exit("setxattr %s flags %d succeeded" % (name, flags))
    except OSError as e:
        if e.errno != want:
            sys.exit("setxattr %s: %s, want %s" % (name, e, errno.errorcode[want]))
os.setxattr(f, "user.big", b"y" * 100, os.XATTR_REPLACE)
print("ok: set user.k8s.pv (binary), user.empty, user.big; CREATE over an existing name -> EEXIST, REPLACE of a missing one -> ENODATA")
PY
[ "$(op_count SETXATTR)" -ge $((s0 + 4)) ] || fail "SETXATTR count $s0 -> $(op_count SETXATTR)"
ok "SETXATTR count $s0 -> $(op_count SETXATTR)"
remount42
g0=$(op_count GETXATTR); l0=$(op_count LISTXATTRS)
as 1001 python3 - "$X/f" <<'PY' || fail "xattrs as another user after a remount"
import errno, os, sys
f = sys.argv[1]
names = sorted(n for n in os.listxattr(f) if n.startswith("user."))
if names != ["user.big", "user.empty", "user.k8s.pv"]:
    sys.exit("listxattr: %r" % names)
if os.getxattr(f, "user.k8s.pv") != b"\x00\x01binary\xff" or os.getxattr(f, "user.empty") != b"" \
        or os.getxattr(f, "user.big") != b"y" * 100:
    sys.exit("getxattr values differ")
try:
    os.getxattr(f, "user.none")
    sys.exit("getxattr of a missing name succeeded")
except OSError as e:
    if e.errno != errno.ENODATA:
        sys.exit("getxattr user.none: %s, want ENODATA" % e)
try:
    os.setxattr(f, "user.intruder", b"x")
    sys.exit("uid 1001 set an xattr on uid 1000's 0644 file")
except PermissionError:
    pass
print("ok: uid 1001 lists and reads the three after a remount (same bytes), ENODATA for a missing one, setxattr refused (EACCES)")
PY
[ "$(op_count GETXATTR)" -gt "$g0" ] && [ "$(op_count LISTXATTRS)" -gt "$l0" ] \
  || fail "GETXATTR/LISTXATTRS counts $g0/$l0 -> $(op_count GETXATTR)/$(op_count LISTXATTRS)"
ok "GETXATTR count $g0 -> $(op_count GETXATTR), LISTXATTRS $l0 -> $(op_count LISTXATTRS)"
r0=$(op_count REMOVEXATTR)
as 1000 python3 -c 'import os, sys; f = sys.argv[1]; os.removexattr(f, "user.big"); n = sorted(x for x in os.listxattr(f) if x.startswith("user.")); sys.exit(0 if n == ["user.empty", "user.k8s.pv"] else "after removexattr: %r" % n)' "$X/f" \
  || fail "removexattr as the owner"
[ "$(op_count REMOVEXATTR)" -gt "$r0" ] || fail "no REMOVEXATTR in mountstats"
ok "removexattr user.big as the owner, REMOVEXATTR count $r0 -> $(op_count REMOVEXATTR)"

step "cp --reflink=always: CLONE on an XFS reflink export, EOPNOTSUPP (not EIO) on ext4"
R=/mnt/nfs42rfl
mkdir -p $R
timeout 120 mount -t nfs -o port="$NFS_PORT" "$NFS_HOST:$EXP_RFL" $R || fail "mount of the XFS export failed"
head -c 64M /dev/urandom >$R/src
sync
k0=$(op_count CLONE)
t0=$(date +%s%N)
cp --reflink=always $R/src $R/clone || fail "cp --reflink=always on the XFS export failed"
t1=$(date +%s%N)
k1=$(op_count CLONE)
[ "$k1" -gt "$k0" ] || fail "cp --reflink=always used no CLONE (count $k0 -> $k1)"
drop_caches
cmp $R/src $R/clone || fail "the clone differs from its source"
ok "cp --reflink=always of 64 MiB: CLONE count $k0 -> $k1, $(( (t1 - t0) / 1000000 )) ms, content equal"
rm -f $R/src $R/clone
umount $R
head -c 1M /dev/urandom >$D/nr
if out=$(cp --reflink=always $D/nr $D/nr.clone 2>&1); then
  fail "cp --reflink=always succeeded on the ext4 export"
fi
case "$out" in
  *"Operation not supported"*) ;;
  *) fail "cp --reflink=always on ext4: '$out', want 'Operation not supported'" ;;
esac
ok "cp --reflink=always on the ext4 export: $out"

rm -rf $D
umount $M
