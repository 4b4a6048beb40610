# Raw TCP ceiling of the guest link, both directions, to the host's tcp-sink.py; the bytes are moved by
# dd on a bash /dev/tcp socket (C, large blocks), not by an interpreter, so the guest's CPU is not the limit.
. /job/lib.sh
. /job/bench.env
size=$((LINK_MIB << 20))
exec 3<>"/dev/tcp/10.0.2.2/$SINK_PORT"
t0=$(date +%s%N)
{ printf 'W %d\n' "$size"; dd if=/dev/zero bs=1M count="$LINK_MIB" status=none; } >&3
ack=$(head -c 20 <&3)
t1=$(date +%s%N)
exec 3<&- 3>&-
[ "$ack" = "$size" ] || fail "sink got '$ack' bytes, sent $size"
exec 3<>"/dev/tcp/10.0.2.2/$SINK_PORT"
t2=$(date +%s%N)
printf 'R %d\n' "$size" >&3
got=$(dd bs=1M iflag=fullblock status=none <&3 | wc -c)
t3=$(date +%s%N)
exec 3<&- 3>&-
[ "$got" = "$size" ] || fail "received $got bytes, expected $size"
awk -v b="$size" -v w=$((t1 - t0)) -v r=$((t3 - t2)) \
  'BEGIN { printf "RESULT link_guest_to_host_MBps %.1f\nRESULT link_host_to_guest_MBps %.1f\n", b / (w / 1e9) / 1e6, b / (r / 1e9) / 1e6 }'
