# An export with `ro`: reads work, every kind of write fails with EROFS.
. /job/lib.sh
M=/mnt/ro
mnt "$EXP_RO" $M
expect_eq "read a file on the ro export" "$(cat $M/readme)" "read-only export"
R="Read-only file system"
expect_err "$R" touch $M/new
expect_err "$R" mkdir $M/newdir
expect_err "$R" sh -c "echo x >>$M/readme"
expect_err "$R" sh -c "echo x >$M/readme"
expect_err "$R" truncate -s 0 $M/readme
expect_err "$R" rm -f $M/readme
expect_err "$R" mv $M/readme $M/renamed
expect_err "$R" ln -s readme $M/link
expect_err "$R" ln $M/readme $M/hardlink
expect_err "$R" chmod 777 $M/readme
expect_err "$R" chown 1000 $M/readme
expect_err "$R" touch -d '2001-01-01' $M/readme
expect_err "$R" rmdir $M/subdir
expect_eq "file unchanged" "$(cat $M/readme)" "read-only export"
umount $M
