[ ! -e "$EXP_DENY/intruder" ] || { echo "FAIL: $EXP_DENY/intruder exists on the host"; exit 1; }
echo "ok: nothing written to the refused export"
