# Client side of it/server-guest/quota.sh (runs in the kernel-client guest as root; quota.sh copies it to
# the job's workloads/quota.sh). The server guest exports /data/pv1 with capacity=32Mi (an ext4 project
# quota set by 'edge-nfsd apply-quotas') and /data/pv2 without one, both no_root_squash, so this root
# client writes as uid 0. Checks: df on pv1 shows 32 MiB; 40 x 1 MiB O_DIRECT writes into pv1 fail with
# "Disk quota exceeded" near 32 MiB; pv2 takes 40 MiB; the server keeps serving; what was written before
# is intact. Prints RESULT lines that quota.sh copies into its summary.
. /job/lib.sh
A=/mnt/pv1
B=/mnt/pv2
kib() { df -k --output="$1" "$2" | tail -n 1 | tr -d ' '; }
mnt /data/pv1 $A
mnt /data/pv2 $B
expect_eq "client uid" "$(id -u)" 0

step "df shows the volume's size"
df -k $A $B
expect_eq "df size of pv1, capacity=32Mi (KiB)" "$(kib size $A)" 32768
[ "$(kib size $B)" -gt 65536 ] || fail "pv2 (no capacity) shows only $(kib size $B) KiB"
ok "pv2 shows the disk: $(kib size $B) KiB"

step "files written before (2 MiB each, O_DIRECT)"
head -c 2M /dev/urandom >/tmp/keep
want=$(sha256sum </tmp/keep | cut -d' ' -f1)
dd if=/tmp/keep of=$A/keep bs=1M oflag=direct status=none
dd if=/tmp/keep of=$B/keep bs=1M oflag=direct status=none
expect_eq "owner of pv1/keep (root not squashed)" "$(stat -c %u $A/keep)" 0

step "40 x 1 MiB dd oflag=direct into pv1 as root"
head -c 1M /dev/urandom >/tmp/mib
n=0 err=
for i in $(seq 0 39); do
  if ! err=$(timeout 120 dd if=/tmp/mib of=$A/fill bs=1M count=1 seek="$i" oflag=direct conv=notrunc status=none 2>&1); then
    break
  fi
  n=$((i + 1))
done
fill_bytes=$(stat -c %s $A/fill)
fill_kib=$(du -k $A/fill | cut -f1)
used=$(kib used $A)
echo "RESULT pv1: $n of 40 one-MiB writes succeeded; write $((n + 1)): ${err:-none}"
echo "RESULT pv1: fill is $fill_bytes bytes ($fill_kib KiB allocated), plus keep 2048 KiB; df used $used of 32768 KiB"
[ "$n" -lt 40 ] || fail "all 40 MiB went into a 32 MiB volume: the quota does not bind root"
grep -qF "Disk quota exceeded" <<<"$err" || fail "write $((n + 1)) failed, but not with EDQUOT: $err"
[ "$n" -ge 28 ] || fail "EDQUOT after only $n MiB (with 2 MiB before): too early"
[ $((fill_kib + 2048)) -le 32768 ] || fail "pv1 holds $((fill_kib + 2048)) KiB, more than 32768"
[ "$used" -ge $((32768 - 1024)) ] || fail "df used $used KiB after EDQUOT, expected about 32768"
ok "EDQUOT at $((fill_kib + 2048)) KiB in pv1"

step "pv2 (no capacity) still takes writes: 40 MiB"
dd if=/dev/zero of=$B/big bs=1M count=40 oflag=direct status=none || fail "pv2 refused writes"
expect_eq "size of pv2/big" "$(stat -c %s $B/big)" 41943040
echo "RESULT pv2: 40 MiB written"

step "the server keeps serving; the files written before are intact (read back from the server)"
remount $A
remount $B
drop_caches
expect_eq "sha256 of pv1/keep" "$(sha256sum <$A/keep | cut -d' ' -f1)" "$want"
expect_eq "sha256 of pv2/keep" "$(sha256sum <$B/keep | cut -d' ' -f1)" "$want"
expect_eq "size of pv1/fill after the remount" "$(stat -c %s $A/fill)" "$fill_bytes"
rm -f $A/fill
avail=$(kib avail $A)
[ "$avail" -ge $((32768 - 2048 - 1024)) ] || fail "after removing fill only $avail KiB available"
dd if=/dev/zero of=$A/after bs=1M count=4 oflag=direct status=none || fail "pv1 refused writes after space was freed"
ok "after removing fill: $avail KiB available, 4 MiB written again"
echo "RESULT after rm: pv1 avail $avail KiB, 4 MiB written again; sha256 of both keep files intact"
rm -f $B/big
umount $A
umount $B
echo "QUOTA-CLIENT-PASS"
