# Host side: owners on the exported disk.
rc=0
chk() { local got; got=$(stat -c '%u:%g' "$1"); if [ "$got" == "$2" ]; then echo "ok: $1 $got"; else echo "FAIL: $1 is $got, want $2"; rc=1; fi; }
chk "$EXP_RW/squash/root_file" 0:0
chk "$EXP_RW/squash/user_file" 1001:1001
chk "$EXP_RSQ/squash/root_file" "$ANON_RSQ:$ANON_RSQ"
chk "$EXP_RSQ/squash/user_file" 1000:1000
chk "$EXP_ASQ/squash/root_file" "$ANON_ASQ:$ANON_ASQ"
chk "$EXP_ASQ/squash/user_file" "$ANON_ASQ:$ANON_ASQ"
exit $rc
