# Ownership of new files: root stays root under no_root_squash, becomes anonuid under root_squash,
# everybody becomes anonuid under all_squash. The host side re-checks the owners on disk.
. /job/lib.sh
mnt "$EXP_RW" /mnt/rw
mnt "$EXP_RSQ" /mnt/rsq
mnt "$EXP_ASQ" /mnt/asq

step "no_root_squash"
D=/mnt/rw/squash; rm -rf $D; mkdir $D; chmod 777 $D
touch $D/root_file; mkdir $D/root_dir
expect_eq "root's file" "$(owner $D/root_file)" "0:0"
expect_eq "root's dir" "$(owner $D/root_dir)" "0:0"
as $TESTER touch $D/user_file
expect_eq "user's file" "$(owner $D/user_file)" "$TESTER:$TESTER"
chown $OTHER:$OTHER $D/user_file
expect_eq "root may chown" "$(owner $D/user_file)" "$OTHER:$OTHER"

step "root_squash (anonuid=$ANON_RSQ)"
D=/mnt/rsq/squash
as $TESTER rm -rf $D 2>/dev/null || true
rm -rf $D 2>/dev/null || true
mkdir $D; chmod 777 $D
expect_eq "root's dir" "$(owner $D)" "$ANON_RSQ:$ANON_RSQ"
touch $D/root_file
expect_eq "root's file" "$(owner $D/root_file)" "$ANON_RSQ:$ANON_RSQ"
as $TESTER sh -c "echo secret >$D/user_file; chmod 600 $D/user_file"
expect_eq "user's file" "$(owner $D/user_file)" "$TESTER:$TESTER"
drop_caches
expect_err "Permission denied" cat $D/user_file
# squashed root is no longer privileged: it cannot give a file away
expect_err "Operation not permitted" chown $TESTER $D/root_file

step "all_squash (anonuid=$ANON_ASQ)"
D=/mnt/asq/squash
rm -rf $D 2>/dev/null || true
mkdir $D; chmod 777 $D
touch $D/root_file
expect_eq "root's file" "$(owner $D/root_file)" "$ANON_ASQ:$ANON_ASQ"
as $TESTER touch $D/user_file
expect_eq "user's file" "$(owner $D/user_file)" "$ANON_ASQ:$ANON_ASQ"
umount /mnt/rw /mnt/rsq /mnt/asq
