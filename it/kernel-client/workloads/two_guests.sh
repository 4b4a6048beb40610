# Two kernel clients at once (issue 12): guests itguest-a and itguest-b (booted by run.sh's boot_pair,
# distinct nfs4_unique_id, so two principals and two client records) mount the same export and:
#  1. edge-nfsd status -o json lists two clients with distinct owners and principals;
#  2. write different files in one directory at the same time; each reads the other's (close-to-open);
#  3. A holds an fcntl write lock; B's F_SETLK gets EAGAIN, B's F_SETLKW is granted only after A unlocks;
#  4. A unmounts, remounts, then crashes (its qemu SIGKILLed) and boots again with the same unique id:
#     its fresh EXCHANGE_ID must succeed (same principal: a client reboot, not CLID_INUSE), and B's lock
#     and data survive all of it;
#  5. the server is SIGKILLed and restarted while both hold locks on different files: both reclaim, the
#     grace period ends as soon as both sent RECLAIM_COMPLETE, and each lock still excludes the other guest.
# ROLE (from /job/env) is a, b or a2 (A's second life). Barrier files live in /peer (shared 9p directory).
. /job/lib.sh
M=/mnt/rw
D=$M/two_guests
P=/peer

signal() { date +%s%N >"$P/$1.tmp" && mv "$P/$1.tmp" "$P/$1"; echo "-> $1"; }
await() {  # NAME [SECONDS]
  for _ in $(seq 1 $((${2:-120} * 5))); do [ -f "$P/$1" ] && { echo "<- $1"; return 0; }; sleep 0.2; done
  fail "peer never reached '$1' in ${2:-120} s"
}
# hold FILE FLAG RELEASE [WITNESS]: F_SETLKW write lock; once granted, FLAG gets the time (ns) and whether
# WITNESS exists at that moment; unlock when RELEASE exists
cat >/tmp/hold.py <<'PY'
import fcntl, os, sys, time
f = open(sys.argv[1], "r+b")
fcntl.lockf(f, fcntl.LOCK_EX)
seen = len(sys.argv) > 4 and os.path.exists(sys.argv[4])
with open(sys.argv[2] + ".tmp", "w") as g:
    g.write("%d %s" % (time.time_ns(), "witness" if seen else "no-witness"))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
deadline = time.time() + 400
while not os.path.exists(sys.argv[3]) and time.time() < deadline:
    time.sleep(0.1)
fcntl.lockf(f, fcntl.LOCK_UN)
f.close()
PY
hold() {  # FILE FLAG RELEASE [SECONDS]: start a holder and wait until it has the lock
  python3 /tmp/hold.py "$1" "$2" "$3" >>/tmp/hold.out 2>&1 &
  HOLDER=$!
  for _ in $(seq 1 $((${4:-30} * 10))); do [ -f "$2" ] && return 0; sleep 0.1; done
  fail "no lock on $1 in ${4:-30} s: $(cat /tmp/hold.out)"
}
# status_json: the server's status (host-side, over its admin socket), into /tmp/status.json
status_json() {
  local out
  out=$(host_ctl status-json)
  cp "/job/ctl/status.$(sed -n 's/.*ctl\/status\.\([0-9]*\).*/\1/p' <<<"$out")" /tmp/status.json
}
# two_clients: both guests are listed, with distinct owners and principals
two_clients() {
  status_json
  python3 - "$NFS4_UNIQUE_ID" <<'PY' || fail "status -o json: $(head -c 1500 /tmp/status.json)"
import json, sys
cl = json.load(open("/tmp/status.json"))["clients"]
mine = sys.argv[1]
peer = mine.replace("itguest-a", "itguest-X").replace("itguest-b", "itguest-a").replace("itguest-X", "itguest-b")
a = [c for c in cl if mine in c["owner"]]
b = [c for c in cl if peer in c["owner"]]
assert len(a) == 1 and len(b) == 1, "want one client owned by each of %s and %s, got %s" % (mine, peer, [c["owner"] for c in cl])
assert a[0]["owner"] != b[0]["owner"] and a[0]["principal"] != b[0]["principal"], "owners or principals equal"
assert a[0]["clientid"] != b[0]["clientid"]
print("ok: status lists %d clients; %s: %s, principal %s; %s: %s, principal %s" % (len(cl),
      mine, a[0]["clientid"], a[0]["principal"], peer, b[0]["clientid"], b[0]["principal"]))
PY
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

expect_eq "this guest's nfs4_unique_id" "$(cat /sys/module/nfs/parameters/nfs4_unique_id)" "$NFS4_UNIQUE_ID"
ok "host name $(hostname), role $ROLE"

case "$ROLE" in
a)
  mnt "$EXP_RW" $M
  rm -rf $D; mkdir $D
  : >$D/shared; : >$D/b-locked; : >$D/a-locked
  signal a-mounted
  await b-mounted 180
  step "1. status lists both clients"
  two_clients

  step "2. concurrent writes from both guests"
  signal a-go-write
  await b-go-write
  seq -f "A line %.0f" 1 200000 >$D/from-a
  sha $D/from-a >$P/a.sha
  signal a-wrote
  await b-wrote
  expect_eq "B's file read by A" "$(sha $D/from-b)" "$(cat $P/b.sha)"

  step "3. A holds a write lock on shared; B must wait for it"
  hold $D/shared /tmp/a-shared-held /tmp/a-shared-release
  signal a-locked
  await b-waiting
  sleep 3
  signal a-unlocking
  touch /tmp/a-shared-release
  wait $HOLDER || fail "A's holder failed: $(cat /tmp/hold.out)"
  await b-granted 60

  step "4. A unmounts: B's lock and data stay"
  await b-holds
  cd /; timeout 60 umount $M || fail "umount $M"
  ok "A unmounted"
  mnt "$EXP_RW" $M
  expect_eq "B's lock seen from A after A's remount" "$(try_lock $D/b-locked)" busy
  expect_eq "B's file after A's remount" "$(sha $D/from-b)" "$(cat $P/b.sha)"
  hold $D/a-locked /tmp/a-crash-held /tmp/never
  ok "A holds a lock on a-locked and crashes now"
  signal a-crashing
  host_ctl crash-guest
  sleep 300
  fail "still running after asking for the crash"
  ;;
a2)
  await a-crashing 5
  step "4. A rebooted (same owner, same principal): a fresh client record"
  mnt "$EXP_RW" $M
  ok "A's mount after its reboot succeeded (no CLID_INUSE)"
  two_clients
  expect_eq "B's lock seen from rebooted A" "$(try_lock $D/b-locked)" busy
  expect_eq "B's file seen from rebooted A" "$(sha $D/from-b)" "$(cat $P/b.sha)"
  expect_eq "A's file from before its crash" "$(sha $D/from-a)" "$(cat $P/a.sha)"
  step "5. both hold locks on different files; the server is SIGKILLed and restarted"
  hold $D/a-locked /tmp/a2-held /tmp/a2-release 60
  ok "rebooted A got a-locked (its crashed life's lock is gone)"
  signal a2-holds
  await b-checked
  t0=$(date +%s%N)
  host_ctl kill9-restart
  signal a2-restarted
  expect_eq "B's lock after the restart, from A" "$(try_lock $D/b-locked)" busy
  t1=$(date +%s%N)
  ok "A saw B's reclaimed lock $(( (t1 - t0) / 1000000 )) ms after asking for the restart"
  await b-after-ok 240
  g=$(host_ctl server-log 'grace period over')
  case "$g" in *"every client of the previous run has reclaimed"*) ok "grace ended early: $g" ;;
    *) fail "the grace period did not end on both RECLAIM_COMPLETEs: $g" ;; esac
  h=$(host_ctl server-log 'grace period of')
  case "$h" in *"for 2 client(s)"*) ok "grace started for both guests: $h" ;;
    *) fail "the restarted server's grace was not for the two guests: $h" ;; esac
  two_clients
  expect_eq "B's file after the restart" "$(sha $D/from-b)" "$(cat $P/b.sha)"
  echo "RESULT reclaim_seen_ms $(( (t1 - t0) / 1000000 ))"
  touch /tmp/a2-release
  wait $HOLDER || fail "A's holder failed: $(cat /tmp/hold.out)"
  signal a2-done
  cd /; umount $M
  ;;
b)
  await a-mounted 180
  mnt "$EXP_RW" $M
  signal b-mounted

  step "2. concurrent writes from both guests"
  signal b-go-write
  await a-go-write
  seq -f "B line %.0f" 1 200000 >$D/from-b
  sha $D/from-b >$P/b.sha
  signal b-wrote
  await a-wrote
  expect_eq "A's file read by B" "$(sha $D/from-a)" "$(cat $P/a.sha)"
  [ -f $D/from-a ] && [ -f $D/from-b ] || fail "directory listing: $(ls $D)"
  ok "B lists both files"

  step "3. A's lock excludes B"
  await a-locked
  expect_eq "B's F_SETLK while A holds the lock" "$(try_lock $D/shared)" busy
  t0=$(date +%s%N)
  python3 /tmp/hold.py $D/shared /tmp/b-shared-granted /tmp/b-shared-release $P/a-unlocking >>/tmp/hold.out 2>&1 &
  W=$!
  sleep 1
  [ ! -f /tmp/b-shared-granted ] || fail "B's F_SETLKW was granted while A held the lock"
  signal b-waiting
  for _ in $(seq 1 600); do [ -f /tmp/b-shared-granted ] && break; sleep 0.1; done
  [ -f /tmp/b-shared-granted ] || fail "B's F_SETLKW not granted 60 s after A unlocked"
  granted=$(cut -d' ' -f1 /tmp/b-shared-granted); witness=$(cut -d' ' -f2 /tmp/b-shared-granted)
  expect_eq "A had announced its unlock when B's F_SETLKW was granted" "$witness" witness
  ok "B's F_SETLKW waited $(( (granted - t0) / 1000000 )) ms (A held the lock 3 s after B started waiting)"
  echo "RESULT setlkw_wait_ms $(( (granted - t0) / 1000000 ))"
  touch /tmp/b-shared-release
  wait $W || fail "B's waiter failed: $(cat /tmp/hold.out)"
  signal b-granted

  step "4. B holds b-locked while A unmounts, crashes and reboots"
  hold $D/b-locked /tmp/b-held /tmp/b-release
  B_HOLDER=$HOLDER
  signal b-holds
  await a2-holds 240
  kill -0 $B_HOLDER || fail "B's holder died"
  expect_eq "A's lock (rebooted A) from B" "$(try_lock $D/a-locked)" busy
  expect_eq "B's own file after A's crash" "$(sha $D/from-b)" "$(cat $P/b.sha)"
  signal b-checked

  step "5. server restart: B's lock reclaimed, A's lock still excludes B"
  await a2-restarted 120
  expect_eq "A's lock after the restart, from B" "$(try_lock $D/a-locked)" busy
  kill -0 $B_HOLDER || fail "B's holder died over the restart"
  echo "after the restart" >>$D/from-b2 && ok "B writes after the restart"
  signal b-after-ok
  await a2-done 240
  touch /tmp/b-release
  wait $B_HOLDER || fail "B's holder failed: $(cat /tmp/hold.out)"
  expect_eq "a-locked once A released it" "$(try_lock $D/a-locked)" acquired
  cd /; umount $M
  ;;
*) fail "unknown ROLE '$ROLE'" ;;
esac
ok "role $ROLE done"
