# sqlite3 transactions/s: one INSERT per transaction, rollback journal, synchronous=FULL.
. /job/lib.sh
. /job/bench.env
mnt "$EXP_BENCH" /mnt/b
rm -f /mnt/b/bench.db /mnt/b/bench.db-journal
sqlite3 /mnt/b/bench.db 'PRAGMA journal_mode=DELETE; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);' >/dev/null
{
  echo 'PRAGMA synchronous=FULL;'
  for i in $(seq 1 "$SQLITE_TX"); do echo "BEGIN; INSERT INTO t (v) VALUES ('row $i padded to look like a real record'); COMMIT;"; done
} >/tmp/tx.sql
t0=$(date +%s%N)
sqlite3 /mnt/b/bench.db </tmp/tx.sql >/dev/null
t1=$(date +%s%N)
n=$(sqlite3 /mnt/b/bench.db 'SELECT count(*) FROM t;')
[ "$n" = "$SQLITE_TX" ] || fail "expected $SQLITE_TX rows, found $n"
awk -v n="$SQLITE_TX" -v ns=$((t1 - t0)) 'BEGIN { printf "RESULT sqlite_tx_per_s %.1f\n", n / (ns / 1e9) }'
rm -f /mnt/b/bench.db
