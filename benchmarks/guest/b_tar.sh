# tar of a source tree: the first TAR_FILES .py files of the guest's /usr/lib/python3.11 (sorted), made
# into a tarball in /tmp; timed: extract onto the export, then (after a remount, so from the server)
# tar of the tree back to a stream, then rm -rf. The stream must list as many entries as the source.
. /job/lib.sh
. /job/bench.env
mnt "$EXP_BENCH" /mnt/b
(cd /usr/lib && find python3.11 -name '*.py' | sort | sed -n "1,${TAR_FILES}p") >/tmp/tar.list
tar -C /usr/lib -cf /tmp/src.tar -T /tmp/tar.list
want=$(tar -tf /tmp/src.tar | wc -l)
ms() { echo $(( $(date +%s%N) / 1000000 )); }
mkdir /mnt/b/tar
t0=$(ms)
tar -C /mnt/b/tar -xf /tmp/src.tar
sync
t1=$(ms)
remount /mnt/b
t2=$(ms)
got=$(tar -C /mnt/b/tar -cf - . | tar -tf - | grep -vc '/$')
t3=$(ms)
rm -rf /mnt/b/tar
t4=$(ms)
# the source's files, without process substitution: the client guest has no /dev/fd
wantf=$(tar -tf /tmp/src.tar | grep -vc '/$')
[ "$got" -ge "$wantf" ] || fail "tar of the export lists $got files, source $wantf files ($want entries)"
echo "INFO tar_entries $want ($(du -sk /tmp/src.tar | cut -f1) KiB)"
awk -v x=$((t1 - t0)) -v c=$((t3 - t2)) -v r=$((t4 - t3)) \
  'BEGIN { printf "RESULT tar_extract_s %.1f\nRESULT tar_create_s %.1f\nRESULT tar_rm_s %.1f\n", x / 1000, c / 1000, r / 1000 }'
