# A non-root user (uid 1000) is refused where the mode bits say so, and allowed where they allow.
. /job/lib.sh
mnt "$EXP_RW" /mnt/rw
D=/mnt/rw/perms
rm -rf $D; mkdir $D; chmod 755 $D
echo secret >$D/secret; chmod 600 $D/secret
echo public >$D/public; chmod 644 $D/public
printf '#!/bin/sh\necho ran\n' >$D/script; chmod 644 $D/script

step "root-owned 0755 dir, 0600 file"
expect_err "Permission denied" as $TESTER cat $D/secret
expect_eq "0644 readable" "$(as $TESTER cat $D/public)" public
expect_err "Permission denied" as $TESTER sh -c "echo x >>$D/public"
expect_err "Permission denied" as $TESTER touch $D/newfile
expect_err "Permission denied" as $TESTER mkdir $D/newdir
expect_err "Permission denied" as $TESTER rm -f $D/public
expect_err "Permission denied" as $TESTER mv $D/public $D/moved
expect_err "Permission denied" as $TESTER $D/script
chmod 755 $D/script
expect_eq "exec when x bit set" "$(as $TESTER $D/script)" ran

step "user's own files"
mkdir $D/pub; chmod 777 $D/pub
as $TESTER sh -c "echo mine >$D/pub/mine"
expect_eq "owner" "$(owner $D/pub/mine)" "$TESTER:$TESTER"
as $TESTER chmod 400 $D/pub/mine
expect_err "Permission denied" as $TESTER sh -c "echo x >>$D/pub/mine"
expect_err "Operation not permitted" as $OTHER chmod 666 $D/pub/mine
expect_err "Operation not permitted" as $TESTER chown $OTHER $D/pub/mine
expect_refused as $TESTER touch -d '2001-01-01' $D/public

step "sticky directory"
chmod 1777 $D/pub
expect_err "Operation not permitted" as $OTHER rm -f $D/pub/mine
as $TESTER rm -f $D/pub/mine
[ ! -e $D/pub/mine ] && ok "owner may delete in sticky dir"

step "private directory"
as $TESTER mkdir $D/pub/private
as $TESTER chmod 700 $D/pub/private
as $TESTER touch $D/pub/private/f
expect_err "Permission denied" as $OTHER ls $D/pub/private
expect_err "Permission denied" as $OTHER stat $D/pub/private/f
expect_err "Permission denied" as $OTHER touch $D/pub/private/g

step "group bits"
touch $D/grp; chown 0:$TESTER $D/grp; chmod 660 $D/grp
expect_err "Permission denied" as $OTHER sh -c "echo g >>$D/grp"
setpriv --reuid=$OTHER --regid=$OTHER --groups=$TESTER -- sh -c "echo g >>$D/grp"
ok "member of group $TESTER may write a 0660 file of that group"
cd /; rm -rf $D; umount /mnt/rw
