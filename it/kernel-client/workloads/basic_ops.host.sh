# Host side: what the guest wrote is on the exported disk with the owner and mode it set.
f="$EXP_RW/basic_ops/hostcheck"
[ "$(cat "$f")" == "host-check" ] || { echo "FAIL: $f content: $(cat "$f" 2>&1)"; exit 1; }
[ "$(stat -c '%u:%g %a' "$f")" == "1234:2345 604" ] || { echo "FAIL: $f is $(stat -c '%u:%g %a' "$f")"; exit 1; }
echo "ok: host sees $f with 1234:2345 604"
