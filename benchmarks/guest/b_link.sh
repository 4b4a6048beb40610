# Raw TCP ceiling of the guest link, both directions, to the host's tcp-sink.py. One preallocated 1 MiB
# buffer each way (sendall / recv_into), so the guest's interpreter does not allocate per call.
. /job/lib.sh
. /job/bench.env
python3 - "$SINK_PORT" "$LINK_MIB" <<'PY'
import socket, sys, time
port, mib = int(sys.argv[1]), int(sys.argv[2])
size = mib << 20
buf = memoryview(bytearray(1 << 20))
s = socket.create_connection(("10.0.2.2", port))
t0 = time.time()
s.sendall(b"W %d\n" % size)
for _ in range(mib):
    s.sendall(buf)
ack = b""
while True:
    b = s.recv(64)
    if not b:
        break
    ack += b
dt = time.time() - t0
s.close()
assert int(ack) == size, "sink got %s of %d bytes" % (ack, size)
print("RESULT link_guest_to_host_MBps %.1f" % (size / dt / 1e6))
s = socket.create_connection(("10.0.2.2", port))
t0 = time.time()
s.sendall(b"R %d\n" % size)
got = 0
while True:
    n = s.recv_into(buf)
    if n == 0:
        break
    got += n
dt = time.time() - t0
assert got == size, "received %d of %d bytes" % (got, size)
print("RESULT link_host_to_guest_MBps %.1f" % (got / dt / 1e6))
PY
