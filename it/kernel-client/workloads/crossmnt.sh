# crossmnt (exports(5), knfsd's nfsd_cross_mnt): the host has an 8 MiB tmpfs mounted on xmnt/sub and
# exports xmnt with crossmnt. The guest sees the tmpfs's content (not the covered directory's), the
# kernel client shows it as a submount of its own in /proc/mounts (its own fsid), and df / stat -f report
# the tmpfs's own size; writes land on the tmpfs.
. /job/lib.sh
M=/mnt/xmnt
mnt "$EXP_XMNT" $M

step "the mounted tmpfs's content, not the directory it covers"
expect_eq "content of sub/inside" "$(cat $M/sub/inside)" "on the tmpfs"
[ ! -e $M/sub/covered ] || fail "the covered directory's file is visible: $(ls -la $M/sub)"
ok "sub/covered (under the mount on the host) is not visible"

step "the kernel client shows a submount"
grep -F " $M/sub nfs4 " /proc/mounts || fail "no submount $M/sub in /proc/mounts: $(grep nfs /proc/mounts)"
ok "$M/sub is a mount of its own in /proc/mounts"
dev_top=$(stat -c %d $M) dev_sub=$(stat -c %d $M/sub)
[ "$dev_top" != "$dev_sub" ] || fail "st_dev of $M and $M/sub are the same ($dev_top): one fsid for both"
ok "st_dev differs: $dev_top vs $dev_sub"

step "df and stat -f show the tmpfs's own size"
size_kib=$(df -k --output=size $M/sub | tail -n 1 | tr -d ' ')
top_kib=$(df -k --output=size $M | tail -n 1 | tr -d ' ')
echo "df: $M $top_kib KiB, $M/sub $size_kib KiB"
expect_eq "df size of the submount (KiB)" "$size_kib" 8192
[ "$top_kib" != 8192 ] || fail "the export itself also shows 8 MiB"
blocks=$(stat -f -c '%b %S' $M/sub)
expect_eq "stat -f blocks*bsize of the submount" "$(( ${blocks% *} * ${blocks#* } ))" $((8 * 1024 * 1024))

step "writes land on the tmpfs, and survive a remount"
echo "from the guest" >$M/sub/written
mkdir $M/sub/dir && echo nested >$M/sub/dir/f
remount $M
expect_eq "written file read back" "$(cat $M/sub/written)" "from the guest"
expect_eq "nested file read back" "$(cat $M/sub/dir/f)" "nested"
( cd $M/sub/dir && expect_eq "cd .. twice from sub/dir" "$(cd ../.. && pwd)" "$M" )
printf "%s\n" $M/* | grep -qx "$M/sub" || fail "sub missing from the listing of $M"
ok "sub listed in $M"

cd /
rm -rf $M/sub/written $M/sub/dir
umount $M
