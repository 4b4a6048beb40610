# O_DIRECT sequential write then read of SEQ_MIB MiB, 1 MiB requests.
. /job/lib.sh
. /job/bench.env
mnt "$EXP_BENCH" /mnt/b
ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(ms)
dd if=/dev/zero of=/mnt/b/seq bs=1M count="$SEQ_MIB" oflag=direct conv=fsync status=none
t1=$(ms)
drop_caches
t2=$(ms)
dd if=/mnt/b/seq of=/dev/null bs=1M iflag=direct status=none
t3=$(ms)
awk -v b=$((SEQ_MIB << 20)) -v w=$((t1 - t0)) -v r=$((t3 - t2)) \
  'BEGIN { printf "RESULT seq_write_MBps %.1f\nRESULT seq_read_MBps %.1f\nRESULT seq_gib_moved %.3f\n", b / w / 1000, b / r / 1000, 2 * b / 2^30 }'
grep -E " /mnt/b " /proc/mounts | tr ',' '\n' | grep -E '^(rsize|wsize)=' | sed 's/^/INFO /'
