# Read delegations between two NFS client identities in one guest (RFC 8881 10.2-10.4).
#
# Mount A is an ordinary mount. Mount B must be a second client to the server, not a second mount of A's
# client: the Linux client (6.1) shares one nfs_client per server address and port, and names it to the
# server by "Linux NFSv4.1 <nodename>" (nconnect and a second mount do not make another one: tried). So B
# reaches the server through a small TCP relay in the guest (127.0.0.1:20049 -> server), a different
# address, and is mounted from a UTS namespace with another host name: a new nfs_client whose EXCHANGE_ID
# carries another co_ownerid, so the server gives it another client id (/proc/fs/nfsfs/servers lists both).
#
# 1. A reads a file (and gets a read delegation); B writes it: the server recalls A's delegation (CB_RECALL),
#    A returns it (DELEGRETURN in A's mountstats), B's write goes on after NFS4ERR_DELAY, and A then reads
#    B's data (no stale cache). B's write must take far less than a lease (no revocation needed).
# 2. Read-mostly loop on A (open/read/close and stat of 20 files, 10 rounds) while B holds the files open for
#    writing (so no delegation can be granted), then again with delegations: GETATTR and OPEN counts
#    (nfsstat -c, A's mountstats) must fall.
. /job/lib.sh
# run.sh's Ganesha configuration grants no delegations (Ganesha's default): against it the workload checks
# what holds for any server (two client ids, B's data seen by A) and reports the counts without asserting
# the delegation-specific ones.
deleg_check() {  # MESSAGE: fail against edge-nfsd, report against another server
  if [ "$SERVER_KIND" = edge ]; then fail "$1"; else echo "note ($SERVER_KIND grants no delegations here): $1"; fi
}
A=/mnt/da
B=/mnt/db
mnt "$EXP_RW" $A
mkdir -p $B
cat >/tmp/relay.py <<'PY'
import socket, sys, threading
host, port = sys.argv[1], int(sys.argv[2])
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", 20049)); ls.listen(8)
print("relay ready", flush=True)
def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
while True:
    c, _ = ls.accept()
    u = socket.create_connection((host, port))
    for s in (c, u):
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=pump, args=(c, u), daemon=True).start()
    threading.Thread(target=pump, args=(u, c), daemon=True).start()
PY
python3 /tmp/relay.py "$NFS_HOST" "$NFS_PORT" >/tmp/relay.log 2>&1 &
relay=$!
for _ in $(seq 1 50); do grep -q ready /tmp/relay.log 2>/dev/null && break; sleep 0.1; done
B_OPTS=$(echo "$NFS_OPTS" | sed "s/port=$NFS_PORT/port=20049/")
timeout 90 unshare --uts sh -c "hostname edge-nfsd-it-client-b && mount -t nfs -o $B_OPTS 127.0.0.1:$EXP_RW $B" \
  || fail "mount of the second client identity failed"
ok "second client mounted on $B through 127.0.0.1:20049 from UTS namespace 'edge-nfsd-it-client-b'"
nclients=$(grep -c "^v4 " /proc/fs/nfsfs/servers || true)
cat /proc/fs/nfsfs/servers
[ "$nclients" -ge 2 ] || fail "expected two nfs_client entries in /proc/fs/nfsfs/servers, got $nclients"
ok "$nclients nfs_client structures for the server"

# mountstat MOUNTPOINT OP: how many OP calls the mount has sent
mountstat() {
  awk -v m="$1" -v op="$2:" '$1 == "device" { cur = ($5 == m) } cur && $1 == op { print $2; exit }' /proc/self/mountstats
}
nfsstat_c() {  # OP (lower case): client-wide count from nfsstat -c (v4)
  nfsstat -c -4 -l 2>/dev/null | awk -v op="$1:" '$4 == op { print $5; exit }'
}

D=del-$$
mkdir $A/$D
step "1. B's write recalls A's read delegation"
echo v1 >$A/$D/f
sleep 3   # the server grants no delegation right after a conflicting change (no ping-pong)
expect_eq "A reads" "$(cat $A/$D/f)" v1
expect_eq "A reads again (from its delegation)" "$(cat $A/$D/f)" v1
ret0=$(mountstat $A DELEGRETURN)
t0=$(date +%s%N)
echo v2 >$B/$D/f
t1=$(date +%s%N)
write_ms=$(( (t1 - t0) / 1000000 ))
ret1=$(mountstat $A DELEGRETURN)
echo "A's DELEGRETURN count: before $ret0, after $ret1; B's write took $write_ms ms"
if [ "$ret1" -gt "$ret0" ]; then ok "A returned its delegation when B wrote"
else deleg_check "A sent no DELEGRETURN: it held no delegation, or the server did not recall it"; fi
expect_eq "A sees B's data after the recall" "$(cat $A/$D/f)" v2
[ "$write_ms" -lt 15000 ] || fail "B's write took $write_ms ms: the recall did not complete (revoked after a lease?)"
ok "B's write waited $write_ms ms for the recall"

step "2. read-mostly loop: what A sends without and with delegations"
for i in $(seq 1 20); do echo "file $i" >$A/$D/r$i; done
loop() {
  for _ in $(seq 1 10); do
    for i in $(seq 1 20); do cat $A/$D/r$i >/dev/null; stat -c %s $A/$D/r$i >/dev/null; done
  done
}
# A's calls by operation; the Linux client revalidates a file on each open (close-to-open) with
# OPEN_NOATTR+GETATTR in one compound, so "GETATTRs sent" is GETATTR + OPEN_NOATTR + OPEN
snap() { echo "$(mountstat $A OPEN) $(mountstat $A OPEN_NOATTR) $(mountstat $A CLOSE) $(mountstat $A GETATTR) $(nfsstat_c getattr)"; }
delta() {  # "before" "after" -> "open open_noattr close getattr nfsstat_getattr"
  local -a b a out=(); local k
  read -ra b <<<"$1"; read -ra a <<<"$2"
  for k in 0 1 2 3 4; do out+=($(( a[k] - b[k] ))); done
  echo "${out[*]}"
}
# without: B keeps every file open for writing, so the server can grant A no read delegation
rm -f /tmp/deleg-held
# shellcheck disable=SC2034  # each fd only holds its file open until the subshell exits
( for i in $(seq 1 20); do exec {fd}>>"$B/$D/r$i"; done; : >/tmp/deleg-held; exec sleep 600 ) &
holder=$!
for _ in $(seq 1 100); do [ -e /tmp/deleg-held ] && break; sleep 0.1; done
[ -e /tmp/deleg-held ] || fail "B could not open the files for writing"
sleep 3
s0=$(snap); loop; s1=$(snap)
kill $holder; wait $holder 2>/dev/null || true
sleep 3
# with: A's first open of each file gets a delegation; later opens and stats are answered by A itself
s2=$(snap); loop; s3=$(snap)
read -r off_o off_on off_c off_g off_ng <<<"$(delta "$s0" "$s1")"
read -r on_o on_on on_c on_g on_ng <<<"$(delta "$s2" "$s3")"
off_attr=$((off_o + off_on + off_g)) on_attr=$((on_o + on_on + on_g))
echo "RESULT A, 200 open+read+close+stat: without delegations OPEN $off_o OPEN_NOATTR $off_on CLOSE $off_c" \
  "GETATTR $off_g (nfsstat -c getattr $off_ng); with: OPEN $on_o OPEN_NOATTR $on_on CLOSE $on_c GETATTR $on_g" \
  "(nfsstat -c getattr $on_ng); GETATTRs sent (alone or in an OPEN compound): $off_attr -> $on_attr"
if [ $((on_attr * 5)) -lt "$off_attr" ]; then
  ok "delegations cut A's GETATTRs from $off_attr to $on_attr and CLOSEs from $off_c to $on_c"
else deleg_check "delegations did not cut A's GETATTRs ($off_attr without, $on_attr with)"; fi
rm -rf "${A:?}/$D"
cd /
umount $B || fail "umount $B"
umount $A || fail "umount $A"
kill $relay
