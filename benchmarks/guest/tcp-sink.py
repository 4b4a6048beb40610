#!/usr/bin/env python3
"""Host end of the raw-link measurement: listens on 127.0.0.1 only (the qemu guest reaches it as
10.0.2.2). A client sends 'W' + 8-byte size then that many bytes (we answer with 8 bytes once all have
arrived), or 'R' + 8-byte size (we send that many bytes, then close). Serves a bounded number of
connections, then exits."""
import socket, struct, sys

port_file, conns = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 4
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(4)
srv.settimeout(900)
open(port_file, "w").write(str(srv.getsockname()[1]))
chunk = b"\0" * (1 << 20)
for _ in range(conns):
    c, _ = srv.accept()
    hdr = b""
    while len(hdr) < 9:
        hdr += c.recv(9 - len(hdr))
    mode, size = hdr[:1], struct.unpack("!Q", hdr[1:])[0]
    if mode == b"W":
        got = 0
        while got < size:
            b = c.recv(1 << 20)
            if not b:
                break
            got += len(b)
        c.sendall(struct.pack("!Q", got))
    else:
        left = size
        while left > 0:
            n = c.send(chunk[: min(left, len(chunk))])
            left -= n
    c.close()
