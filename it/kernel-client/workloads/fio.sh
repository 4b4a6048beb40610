# fio random writes with verification, buffered and O_DIRECT.
. /job/lib.sh
M=/mnt/rw
mnt "$EXP_RW" $M
D=$M/fio; rm -rf $D; mkdir $D
fio --name=buffered --filename=$D/buffered --size=16m --bs=4k --rw=randwrite --ioengine=psync \
    --verify=crc32c --do_verify=1 --fsync_on_close=1 --randrepeat=0 --output-format=normal
fio --name=direct --filename=$D/direct --size=8m --bs=64k --rw=randwrite --ioengine=psync --direct=1 \
    --verify=crc32c --do_verify=1 --randrepeat=0
remount $M
expect_eq "file size" "$(stat -c %s $D/buffered)" $((16 << 20))
rm -rf $D
umount $M
