#!/usr/bin/env python3
"""rpc-null.py HOST PORT TIMEOUT [compound]: repeat a call to the NFS program (100003, version 4) over
TCP until one is answered, print the epoch milliseconds of that answer and exit 0, or exit 1 after
TIMEOUT seconds. Behind qemu's port forward a connection is accepted even while nothing listens in the
guest, so only an answer counts as serving.

Without "compound" the call is an ONC RPC NULL (AUTH_NONE, RFC 5531) and an accepted SUCCESS reply counts.
With "compound" it is an empty NFSv4.1 COMPOUND (procedure 1, minor version 1, no operations, AUTH_SYS
as uid 0) and only COMPOUND4res status NFS4_OK counts: RFC 8881 section 16.2.3 has an empty COMPOUND
answered NFS4_OK, so the server's NFSv4.1 processing (not just its RPC layer) answers."""
import socket
import struct
import sys
import time

host, port, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
compound = len(sys.argv) > 4 and sys.argv[4] == "compound"
deadline = time.time() + timeout


def auth_sys():
    machine = b"pc-host\0"  # 7 bytes padded to 8 (XDR opaque)
    body = struct.pack(">II", 0, 7) + machine + struct.pack(">III", 0, 0, 0)  # stamp, name, uid, gid, no gids
    return struct.pack(">II", 1, len(body)) + body


def request(xid):
    if not compound:
        return struct.pack(">IIIIIIIIIII", xid, 0, 2, 100003, 4, 0, 0, 0, 0, 0, 0)
    # COMPOUND4args: tag "" (length 0), minorversion 1, argarray of 0 operations
    return (struct.pack(">IIIIII", xid, 0, 2, 100003, 4, 1) + auth_sys() + struct.pack(">II", 0, 0)
            + struct.pack(">III", 0, 1, 0))


def answered(buf, xid):
    """True when buf (record mark + reply) is the accepted SUCCESS reply to xid (and NFS4_OK in compound mode)."""
    if len(buf) < 28:
        return False
    rxid, mtype, stat, _flav, vlen = struct.unpack(">IIIII", buf[4:24])
    if rxid != xid or mtype != 1 or stat != 0:
        return False
    pos = 24 + (vlen + 3) // 4 * 4
    if len(buf) < pos + 4 or struct.unpack(">I", buf[pos:pos + 4])[0] != 0:
        return False
    if not compound:
        return True
    return len(buf) >= pos + 8 and struct.unpack(">I", buf[pos + 4:pos + 8])[0] == 0  # NFS4_OK


def need(buf):
    """Bytes wanted before answered() can decide (the whole first record fragment, at most 1 KiB)."""
    if len(buf) < 4:
        return 4
    return min(4 + (struct.unpack(">I", buf[:4])[0] & 0x7FFFFFFF), 1024)


xid = 0x5043_0000 | (0x8000 if compound else 0)
while time.time() < deadline:
    xid += 1
    call = request(xid)
    try:
        with socket.create_connection((host, port), timeout=2) as s:
            s.settimeout(3)
            s.sendall(struct.pack(">I", 0x80000000 | len(call)) + call)
            buf = b""
            while len(buf) < need(buf):
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
            if answered(buf, xid):
                print(int(time.time() * 1000))
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.2)
sys.exit(1)
