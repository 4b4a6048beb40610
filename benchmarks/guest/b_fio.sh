# fio 4 KiB random read, O_DIRECT, on the file b_seq wrote.
. /job/lib.sh
. /job/bench.env
mnt "$EXP_BENCH" /mnt/b
fio --name=rr --filename=/mnt/b/seq --rw=randread --bs=4k --direct=1 --ioengine=libaio --iodepth=16 \
  --size="${SEQ_MIB}M" --runtime="$FIO_SECONDS" --time_based --output-format=json --output=/tmp/fio.json >/dev/null
python3 -c 'import json; j = json.load(open("/tmp/fio.json")); print("RESULT fio_randread_4k_iops %.0f" % j["jobs"][0]["read"]["iops"])'
rm -f /mnt/b/seq
