# A plain `mount -t nfs` (no nfsvers): the client asks for 4.2 first and must settle on a version the
# server speaks (4.2 for edge-nfsd, which serves 4.1 and 4.2). Also mounts the pseudo-root SERVER:/ and finds the export in it.
. /job/lib.sh
M=/mnt/default
mkdir -p $M
timeout 120 mount -t nfs -o port="$NFS_PORT" "$NFS_HOST:$EXP_RW" $M || fail "plain mount -t nfs failed"
vers=$(awk -v m=$M '$2 == m { print $4 }' /proc/mounts | tr ',' '\n' | sed -n 's/^vers=//p')
echo "negotiated vers=$vers"
case "$SERVER_KIND:$vers" in
  edge:4.2) ok "negotiated vers=4.2" ;;
  edge:*) fail "edge-nfsd mount negotiated vers=$vers, want 4.2" ;;
  *:4.1|*:4.2) ok "negotiated vers=$vers" ;;
  *) fail "unexpected vers=$vers" ;;
esac
D=$M/mount_default
rm -rf $D; mkdir $D
head -c 1M /dev/urandom >/tmp/r
cp /tmp/r $D/r
sync
drop_caches
cmp /tmp/r $D/r && ok "1 MiB round trip on the default mount"
rm -rf $D
umount $M

P=/mnt/pseudo
mnt / $P
ls -la $P
[ -d "$P$EXP_RW" ] || fail "export $EXP_RW not reachable through the pseudo-root"
touch "$P$EXP_RW/via-pseudo" && rm "$P$EXP_RW/via-pseudo" && ok "export usable through pseudo-root"
umount $P
