# sqlite3 transactions on the export (rollback journal, which uses fcntl locks): commit, rollback,
# two concurrent writers, integrity check after a remount.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/sqlite; rm -rf $D; mkdir $D
DB=$D/test.db
sqlite3 $DB <<'SQL'
PRAGMA journal_mode=DELETE;
CREATE TABLE t(id INTEGER PRIMARY KEY, who TEXT, v BLOB);
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000)
INSERT INTO t(who, v) SELECT 'seed', randomblob(200) FROM c;
COMMIT;
SQL
expect_eq "rows after commit" "$(sqlite3 $DB 'SELECT count(*) FROM t')" 5000
sqlite3 $DB "BEGIN; DELETE FROM t; INSERT INTO t(who) VALUES ('x'); ROLLBACK;"
expect_eq "rows after rollback" "$(sqlite3 $DB 'SELECT count(*) FROM t')" 5000
python3 - "$DB" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
try:
    with con:
        con.execute("INSERT INTO t(who) VALUES ('py')")
        raise RuntimeError("abort")
except RuntimeError:
    pass
n = con.execute("SELECT count(*) FROM t WHERE who = 'py'").fetchone()[0]
assert n == 0, f"aborted python transaction left {n} rows"
print("ok: python sqlite3 transaction rolled back on exception")
PY
step "two concurrent writers, 150 transactions each"
writer() {
  for i in $(seq 1 150); do echo "BEGIN IMMEDIATE; INSERT INTO t(who, v) VALUES ('$1', randomblob(100)); COMMIT;"; done \
    | sqlite3 -cmd '.timeout 60000' $DB
}
t0=$(date +%s)
writer A & pa=$!
writer B & pb=$!
wait $pa || fail "writer A failed"
wait $pb || fail "writer B failed"
echo "concurrent writers took $(( $(date +%s) - t0 ))s"
expect_eq "writer A rows" "$(sqlite3 $DB "SELECT count(*) FROM t WHERE who='A'")" 150
expect_eq "writer B rows" "$(sqlite3 $DB "SELECT count(*) FROM t WHERE who='B'")" 150
remount $M
expect_eq "integrity_check after remount" "$(sqlite3 $DB 'PRAGMA integrity_check')" ok
expect_eq "total rows after remount" "$(sqlite3 $DB 'SELECT count(*) FROM t')" 5300
sqlite3 $DB 'VACUUM'
expect_eq "integrity_check after VACUUM" "$(sqlite3 $DB 'PRAGMA integrity_check')" ok
[ ! -e $DB-journal ] && ok "no journal left behind"

step "300 one-row transactions, synchronous=FULL (a journal created and removed per transaction)"
# ext4 hands the freed inode number of each journal to the next: the server must not confuse them
DB2=$D/many.db
sqlite3 $DB2 'PRAGMA journal_mode=DELETE; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);' >/dev/null
{ echo 'PRAGMA synchronous=FULL;'; for i in $(seq 1 300); do echo "BEGIN; INSERT INTO t(v) VALUES ('row $i'); COMMIT;"; done; } >/tmp/many.sql
sqlite3 -bail $DB2 </tmp/many.sql >/dev/null || fail "a transaction failed"
expect_eq "rows" "$(sqlite3 $DB2 'SELECT count(*) FROM t')" 300
dmesg | grep -q "lost .* locks" && fail "the client lost locks: $(dmesg | grep 'lost')"
ok "no lost locks"
rm -rf $D
umount $M
