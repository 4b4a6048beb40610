# A full filesystem (the 'full' export is a 16 MiB tmpfs with 512 inodes on the host): writes and
# creates fail with ENOSPC, what was fsync'ed before is intact, another export keeps serving, and the
# space of a removed file is free again at once (the server keeps no descriptor of it).
. /job/lib.sh
M=/mnt/full
R=/mnt/rw
mnt "$EXP_FULL" $M
mnt "$EXP_RW" $R
avail_kib() { df -k --output=avail "$1" | tail -n 1 | tr -d ' '; }

step "data written and fsync'ed before the filesystem fills"
head -c 2M /dev/urandom >/tmp/keep.src
dd if=/tmp/keep.src of=$M/keep bs=1M conv=fsync status=none
want=$(sha256sum </tmp/keep.src | cut -d' ' -f1)
free0=$(avail_kib $M)
ok "free on the full export before filling: $free0 KiB"

step "write until ENOSPC"
if out=$(dd if=/dev/zero of=$M/big bs=1M count=64 conv=fsync 2>&1); then
  fail "64 MiB written to a 16 MiB filesystem: $out"
fi
grep -qF "No space left on device" <<<"$out" || fail "dd failed without ENOSPC: $out"
ok "dd -> No space left on device ($(grep -F 'No space' <<<"$out" | head -n 1))"
[ "$(avail_kib $M)" -lt 1024 ] || fail "df shows $(avail_kib $M) KiB free after ENOSPC"

step "create until ENOSPC (inodes run out)"
mkdir -p $M/many
n=0 err=
for i in $(seq 1 700); do   # bounded: 512 inodes in all
  if ! err=$(touch "$M/many/f$i" 2>&1); then break; fi
  n=$i
done
grep -qF "No space left on device" <<<"$err" || fail "create $((n + 1)) failed without ENOSPC: '$err'"
ok "$n files created, then touch -> No space left on device"
expect_err "No space left on device" mkdir $M/newdir

step "the fsync'ed data is intact (read from the server, not the client's cache)"
remount $M
expect_eq "sha256 of the data fsync'ed before" "$(sha256sum <$M/keep | cut -d' ' -f1)" "$want"

step "the other export still serves"
head -c 1M /dev/urandom >/tmp/other.src
dd if=/tmp/other.src of=$R/enospc-other bs=1M conv=fsync status=none
remount $R
expect_eq "write and read back on the rw export" "$(sha256sum <$R/enospc-other | cut -d' ' -f1)" \
  "$(sha256sum </tmp/other.src | cut -d' ' -f1)"
rm -f $R/enospc-other

step "removing the big file frees its space at once"
rm -f "$M/many/f$n"   # one inode for the new file
t0=$(date +%s%N)
rm -f $M/big
echo "rm took $(( ($(date +%s%N) - t0) / 1000000 )) ms"
back='' samples=''
for _ in $(seq 1 600); do   # at most 60 s, to measure how late it is when it is late
  a=$(avail_kib $M) t=$(( ($(date +%s%N) - t0) / 1000000 ))
  [ ${#samples} -lt 300 ] && samples+=" ${t}ms:${a}KiB"
  if [ "$a" -ge 8192 ]; then back=$t; break; fi
  sleep 0.1
done
echo "df after rm (time since rm started: free):$samples"
[ -n "$back" ] || fail "60 s after rm, df shows only $(avail_kib $M) KiB free"
echo "space back after $back ms (df shows $(avail_kib $M) KiB free)"
[ "$back" -le 5000 ] || fail "the space of the removed file came back only after $back ms"
ok "space back after $back ms"
dd if=/dev/zero of=$M/again bs=1M count=8 conv=fsync status=none || fail "8 MiB write after rm failed"
ok "8 MiB written into the freed space"
expect_eq "the fsync'ed data is still intact" "$(sha256sum <$M/keep | cut -d' ' -f1)" "$want"

cd /
rm -rf $M/many $M/again $M/keep
umount $M
umount $R
