# An export whose client spec does not match the guest (the server sees it as 127.0.0.1; the export is
# for 192.0.2.1 only): the mount is refused and its contents cannot be read or written.
. /job/lib.sh
M=/mnt/deny
mkdir -p $M
if out=$(timeout 120 mount -t nfs -o "$NFS_OPTS,retry=0" "$NFS_HOST:$EXP_DENY" $M 2>&1); then
  ls -la $M || true
  umount $M
  fail "mount of $EXP_DENY succeeded for a client outside its client spec"
fi
echo "mount refused: $out"
ok "mount refused"
step "through the pseudo-root"
P=/mnt/pseudo
mnt / $P
# shellcheck disable=SC2010  # the listing itself is what is checked
if ls "$P$EXP_DENY" 2>/dev/null | grep -q secret; then fail "the refused export's contents are listed through the pseudo-root"; fi
ok "contents not listed"
if cat "$P$EXP_DENY/secret" 2>/dev/null; then fail "the refused export's file was read through the pseudo-root"; fi
ok "file not readable"
if touch "$P$EXP_DENY/intruder" 2>/dev/null; then fail "created a file in the refused export"; fi
ok "cannot create"
umount $P
