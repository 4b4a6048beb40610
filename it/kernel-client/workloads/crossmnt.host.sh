# Host side: what the guest wrote went to the tmpfs mounted on xmnt/sub, not to the directory it covers.
set -u
t=$(awk -v m="$EXP_XMNT/sub" '$2 == m { print $3 }' /proc/mounts)
[ "$t" == tmpfs ] || { echo "FAIL: $EXP_XMNT/sub is not a tmpfs mount any more ('$t')"; exit 1; }
[ "$(cat "$EXP_XMNT/sub/inside")" == "on the tmpfs" ] || { echo "FAIL: $EXP_XMNT/sub/inside changed"; exit 1; }
echo "ok: $EXP_XMNT/sub still the tmpfs, its content intact"
