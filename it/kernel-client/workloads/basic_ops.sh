# create/read/write/append/truncate/rename (also over an existing file)/link/symlink/readlink/
# mkdir/rmdir/chmod/chown/utimes on a rw,no_root_squash export mounted nfsvers=4.1,hard.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/basic_ops
rm -rf "$D"; mkdir "$D"; cd "$D" || exit

step "create, read, write, append"
echo hello >f
expect_eq "read after create" "$(cat f)" "hello"
echo world >>f
expect_eq "append" "$(cat f)" $'hello\nworld'
printf 'HE' | dd of=f bs=1 seek=0 conv=notrunc status=none
expect_eq "overwrite in place" "$(head -c 5 f)" "HEllo"
python3 - <<'PY'
import os
fd = os.open("excl", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
os.close(fd)
try:
    os.open("excl", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    raise SystemExit("O_EXCL create of an existing file succeeded")
except FileExistsError:
    print("ok: O_EXCL on existing file -> EEXIST")
PY

step "8 MiB of random data through the page cache and back from the server"
head -c 8M /dev/urandom >/tmp/big.src
cp /tmp/big.src big
sync
remount $M; cd "$D" || exit
cmp /tmp/big.src big && ok "8 MiB read back identical after remount"
dd if=/dev/urandom of=/tmp/patch bs=4096 count=3 status=none
dd if=/tmp/patch of=big bs=4096 seek=777 conv=notrunc,fsync status=none
dd if=/tmp/patch of=/tmp/big.src bs=4096 seek=777 conv=notrunc status=none
drop_caches
cmp /tmp/big.src big && ok "partial overwrite at 3 MiB identical"

step "truncate"
truncate -s 3 f
expect_eq "shrink" "$(cat f)" "HEl"
truncate -s 100 f
expect_eq "extend size" "$(stat -c %s f)" 100
expect_eq "extended bytes are zero" "$(tail -c 97 f | tr -d '\0' | wc -c)" 0
: >f
expect_eq "truncate to 0 via O_TRUNC" "$(stat -c %s f)" 0

step "rename"
echo A >a; echo B >b
mv a c
[ ! -e a ] && [ "$(cat c)" == A ] && ok "rename to new name"
mv -f c b
[ ! -e c ] || fail "source still exists after rename over existing"
expect_eq "rename over existing file" "$(cat b)" "A"
mkdir d1 d2; echo x >d1/x
mv d1/x d2/y
[ ! -e d1/x ] && [ "$(cat d2/y)" == x ] && ok "rename across directories"
mv d1 d2/d1
[ -d d2/d1 ] && [ ! -e d1 ] && ok "rename directory into another"
mkdir e1 e2
python3 -c 'import os; os.rename("e1", "e2")'
[ ! -e e1 ] && [ -d e2 ] && ok "rename directory over empty directory"
mkdir e3; touch e3/x
expect_err "Directory not empty" python3 -c 'import os; os.rename("e2", "e3")'

step "hard link"
ln b hl
expect_eq "link count" "$(stat -c %h b)" 2
expect_eq "same inode" "$(stat -c %i hl)" "$(stat -c %i b)"
echo more >>hl
expect_eq "write via link visible" "$(cat b)" $'A\nmore'
rm hl
expect_eq "link count after unlink" "$(stat -c %h b)" 1
touch b2; expect_err "File exists" ln b b2

step "symlink, readlink"
ln -s b sl
expect_eq "readlink" "$(readlink sl)" "b"
expect_eq "read through symlink" "$(head -n1 sl)" "A"
ln -s /nonexistent/target dangling
expect_eq "dangling readlink" "$(readlink dangling)" "/nonexistent/target"
long=$(printf 'x%.0s' $(seq 1 1000))
ln -s "$long" longlink
expect_eq "1000-byte symlink" "$(readlink longlink)" "$long"
remount $M; cd "$D" || exit
expect_eq "readlink after remount" "$(readlink sl)" "b"
expect_eq "symlink type" "$(stat -c %F sl)" "symbolic link"

step "mkdir, rmdir"
mkdir -p p/q/r
[ -d p/q/r ] && ok "mkdir -p"
expect_err "Directory not empty" rmdir p/q
rmdir p/q/r p/q p
[ ! -e p ] && ok "rmdir"
expect_err "File exists" mkdir b
expect_err "No such file or directory" rmdir nothere

step "chmod, chown, utimes"
chmod 640 b
expect_eq "mode" "$(stat -c %a b)" 640
chmod 2755 d2
expect_eq "setgid dir mode" "$(stat -c %a d2)" 2755
chown $TESTER:$TESTER b
expect_eq "chown" "$(owner b)" "$TESTER:$TESTER"
chgrp $OTHER b
expect_eq "chgrp" "$(owner b)" "$TESTER:$OTHER"
touch -m -d '2001-02-03 04:05:06 UTC' b
expect_eq "mtime set" "$(stat -c %Y b)" 981173106
remount $M; cd "$D" || exit
expect_eq "mode after remount" "$(stat -c %a b)" 640
expect_eq "owner after remount" "$(owner b)" "$TESTER:$OTHER"
expect_eq "mtime after remount" "$(stat -c %Y b)" 981173106
echo "host-check" >"$D/hostcheck"
chown 1234:2345 "$D/hostcheck"; chmod 604 "$D/hostcheck"

step "remove"
rm -f b sl dangling longlink excl f big b2
rm -rf d2 e2 e3
expect_eq "directory now holds only hostcheck" "$(ls -A)" "hostcheck"
cd /; umount $M
ok "basic_ops done"
