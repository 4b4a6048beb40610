# Host side: the file on the server's disk is the one the guest wrote.
read -r len sha <"$EXP_RW/crash/expected"
got=$(sha256sum "$EXP_RW/crash/data" | cut -d' ' -f1)
size=$(stat -c %s "$EXP_RW/crash/data")
if [ "$got" == "$sha" ] && [ "$size" == "$len" ]; then echo "ok: host disk has all $len bytes, sha256 $got"; exit 0; fi
echo "FAIL: host disk has $size bytes, sha256 $got; guest wrote $len bytes, sha256 $sha"
exit 1
