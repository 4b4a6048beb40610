#!/usr/bin/env python3
"""Host end of the raw-link measurement: listens on 127.0.0.1 only (the qemu guest reaches it as
10.0.2.2). A client sends a line 'W SIZE' and then SIZE bytes (answered with the count received, in ASCII,
once all have arrived), or 'R SIZE' (we send SIZE bytes, then close). Serves a bounded number of
connections, then exits."""
import socket, sys

port_file, conns = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
srv.settimeout(1800)
open(port_file, "w").write(str(srv.getsockname()[1]))
chunk = memoryview(bytearray(1 << 20))
for _ in range(conns):
    c, _ = srv.accept()
    line = b""
    while not line.endswith(b"\n"):
        b = c.recv(1)
        if not b:
            break
        line += b
    mode, size = line.split()
    size = int(size)
    if mode == b"W":
        got = 0
        while got < size:
            n = c.recv_into(chunk)
            if n == 0:
                break
            got += n
        c.sendall(str(got).encode())
    else:
        left = size
        while left > 0:
            n = min(left, len(chunk))
            c.sendall(chunk[:n])
            left -= n
    c.close()
