# tar extract onto the export, then diff -r (contents) and a metadata listing (type, mode, owner,
# size, link count, symlink target, mtime) against the source; again after a remount.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
S=/tmp/tarsrc
rm -rf $S; mkdir -p $S
cp -a /usr/lib/python3.11 $S/python3.11
cp -a /etc $S/etc
mkdir -p "$S/odd names/with spaces" "$S/empty dir" "$S/ünïcødé"
echo unicode >"$S/ünïcødé/ファイル.txt"
echo spaces >"$S/odd names/with spaces/a file"
long=$(printf 'n%.0s' $(seq 1 255)); echo long >"$S/odd names/$long"
head -c 3M /dev/urandom >$S/random.bin
truncate -s 20M $S/sparse.bin; echo end >>$S/sparse.bin
echo hard >$S/hard1; ln $S/hard1 $S/hard2; ln $S/hard1 "$S/odd names/hard3"
ln -s hard1 $S/rel-link; ln -s /etc/passwd $S/abs-link; ln -s nowhere $S/dangling-link
echo owned >$S/owned; chown $TESTER:$OTHER $S/owned; chmod 4750 $S/owned
mkdir $S/setgid; chmod 2775 $S/setgid; chown 0:$TESTER $S/setgid
echo ro >$S/readonly; chmod 444 $S/readonly
mkdir $S/sticky; chmod 1777 $S/sticky
find $S -type p -delete
find $S -exec touch -h -d '2020-05-06 07:08:09 UTC' {} + 2>/dev/null || true
tar -C $S -cf /tmp/src.tar .
echo "source: $(find $S | wc -l) entries, $(du -sh $S | cut -f1)"

listing() {
  (cd "$1" && find . \( -type l -printf '%y %m %u %g %s %n %l - %p\n' \) -o \
      \( -type d -printf '%y %m %u %g - %n - %TY%Tm%Td%TH%TM%TS %p\n' \) -o \
      -printf '%y %m %u %g %s %n - %TY%Tm%Td%TH%TM%TS %p\n') | sort
}
D=$M/tar
rm -rf $D; mkdir $D
t0=$(date +%s)
tar -C $D -xpf /tmp/src.tar
echo "extracted in $(( $(date +%s) - t0 ))s"
diff -r --no-dereference $S $D && ok "diff -r: contents identical"
listing $S >/tmp/l.src
listing $D >/tmp/l.nfs
diff /tmp/l.src /tmp/l.nfs && ok "metadata identical ($(wc -l </tmp/l.src) entries)"
remount $M
diff -r --no-dereference $S $D && ok "diff -r after remount"
listing $D >/tmp/l.nfs2
diff /tmp/l.src /tmp/l.nfs2 && ok "metadata identical after remount"
step "tar back from the export"
tar -C $D -cf - . | tar -tvf - | awk '{ print $1, $2, $3, $6 }' | sort >/tmp/t.nfs
tar -tvf /tmp/src.tar | awk '{ print $1, $2, $3, $6 }' | sort >/tmp/t.src
diff /tmp/t.src /tmp/t.nfs && ok "tar archive of the export lists the same"
rm -rf $D
[ ! -e $D ] && ok "rm -rf of the tree"
umount $M
