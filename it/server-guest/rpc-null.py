#!/usr/bin/env python3
"""rpc-null.py HOST PORT TIMEOUT: repeat an ONC RPC NULL call (program 100003, version 4, AUTH_NONE,
RFC 5531) over TCP until one is answered with an accepted SUCCESS reply; print the epoch milliseconds
of that answer and exit 0, or exit 1 after TIMEOUT seconds. Behind qemu's port forward a connection is
accepted even while nothing listens in the guest, so only an answer counts as serving."""
import socket
import struct
import sys
import time

host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
deadline = time.time() + timeout
xid = 0x5043_0000
while time.time() < deadline:
    xid += 1
    call = struct.pack(">IIIIIIIIIII", xid, 0, 2, 100003, 4, 0, 0, 0, 0, 0, 0)
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            s.settimeout(3)
            s.sendall(struct.pack(">I", 0x80000000 | len(call)) + call)
            buf = b""
            while len(buf) < 4 + 24:
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
            if len(buf) >= 28:
                rxid, mtype, stat, _flav, _len, astat = struct.unpack(">IIIIII", buf[4:28])
                if rxid == xid and mtype == 1 and stat == 0 and astat == 0:
                    print(int(time.time() * 1000))
                    sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(1)
