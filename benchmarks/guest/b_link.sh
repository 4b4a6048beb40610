# Raw TCP ceiling of the guest link, both directions, to the host's tcp-sink.py.
. /job/lib.sh
. /job/bench.env
python3 - "$SINK_PORT" "$LINK_MIB" <<'PY'
import socket, struct, sys, time
port, mib = int(sys.argv[1]), int(sys.argv[2])
size = mib << 20
buf = b"\1" * (1 << 20)
s = socket.create_connection(("10.0.2.2", port))
t0 = time.time()
s.sendall(b"W" + struct.pack("!Q", size))
left = size
while left > 0:
    s.sendall(buf[: min(left, len(buf))]); left -= min(left, len(buf))
ack = b""
while len(ack) < 8:
    ack += s.recv(8 - len(ack))
dt = time.time() - t0
s.close()
print("RESULT link_guest_to_host_MBps %.1f" % (size / dt / 1e6))
s = socket.create_connection(("10.0.2.2", port))
t0 = time.time()
s.sendall(b"R" + struct.pack("!Q", size))
got = 0
while True:
    b = s.recv(1 << 20)
    if not b:
        break
    got += len(b)
dt = time.time() - t0
print("RESULT link_host_to_guest_MBps %.1f" % (got / dt / 1e6))
PY
