#!/usr/bin/env python3
"""Power-cut workloads, run by the CLIENT guest on its NFS mount.

  pc.py worker NAME MNT ACKDIR    loop NAME until ACKDIR/../ctl/stop exists; after each operation the
                                  server acknowledged (fsync, close, rename, COMMIT returned), append one
                                  line to ACKDIR/NAME.log, which lives on the 9p job share, i.e. on the
                                  host, not on the NFS mount (out of band)
  pc.py verify MNT ACKDIR OUT     after the cuts: check everything acknowledged against the mount,
                                  write OUT (JSON: per workload acknowledged, lost, detail)

Any OSError seen by a worker (ESTALE, EIO, ...) is written to ACKDIR/NAME.err and ends the worker, with
one exception: a RENAME or REMOVE the server executed just before the cut, whose reply the cut lost, is
sent again by the client after the reboot (a reply cache does not survive a reboot, RFC 8881 2.10.6.1 and
15.1.1.4 for knfsd too) and fails with ENOENT. When its effect is there (the file is gone, the new
generation is in place, sqlite's row committed when the ENOENT was its journal's unlink) the worker notes
it in ACKDIR/NAME.retried and goes on.
"""
import errno
import fcntl
import hashlib
import json
import os
import random
import sqlite3
import sys
import time
import traceback

REC = 64          # fixed record size of the log-like workloads
BIG = 2 << 20     # bytes per UNSTABLE-write file
KEEP_DIR = 20     # dirops: files alive at once


def record(seq):
    """seq (12 digits), a checksum over it, padding to REC bytes, newline."""
    body = "%012d %s" % (seq, hashlib.sha256(b"pc-%d" % seq).hexdigest()[:40])
    return (body + " " * (REC - 1 - len(body)) + "\n").encode()


def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def big_content(n):
    return random.Random(n).randbytes(BIG)


class Ack:
    def __init__(self, ackdir, name):
        self.f = open(os.path.join(ackdir, name + ".log"), "a", buffering=1)
        self.retried = os.path.join(ackdir, name + ".retried")

    def __call__(self, *fields):
        self.f.write(" ".join(str(x) for x in fields) + "\n")
        self.f.flush()

    def retry_seen(self, what):
        with open(self.retried, "a") as f:
            f.write("%s %s\n" % (time.strftime("%H:%M:%S"), what))


def stop_requested(ackdir):
    return os.path.exists(os.path.join(ackdir, "..", "ctl", "stop"))


def w_hb(mnt, ack, stop):
    """Heartbeat: one small write+fsync every half second; the host times recovery with it."""
    n = 0
    while not stop():
        fd = os.open(os.path.join(mnt, "hb"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, b"%d\n" % n)
        os.fsync(fd)
        os.close(fd)
        ack(n)
        n += 1
        time.sleep(0.5)


def w_applog(mnt, ack, stop):
    """fsync'ed append log: O_APPEND record, fsync, acknowledge its sequence number."""
    fd = os.open(os.path.join(mnt, "applog"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    seq = 0
    while not stop():
        os.write(fd, record(seq))
        os.fsync(fd)
        ack(seq)
        seq += 1
    os.close(fd)


def w_openfile(mnt, ack, stop):
    """One descriptor opened before the first cut and used across all of them: pwrite + fsync, and
    read back through the same descriptor what was acknowledged before."""
    fd = os.open(os.path.join(mnt, "openfile"), os.O_RDWR | os.O_CREAT, 0o644)
    seq = 0
    while not stop():
        os.pwrite(fd, record(seq), seq * REC)
        os.fsync(fd)
        ack(seq)
        if seq % 10 == 9:
            back = os.pread(fd, REC, (seq - 9) * REC)
            if back != record(seq - 9):
                raise RuntimeError("openfile: record %d read back wrong through the open fd" % (seq - 9))
        seq += 1
        time.sleep(0.2)
    os.close(fd)


def w_rename(mnt, ack, stop):
    """write temp, fsync, rename over 'current'; acknowledged when rename() returned."""
    gen = 0
    d = os.path.join(mnt, "rn")
    os.makedirs(d, exist_ok=True)
    while not stop():
        tmp = os.path.join(d, "current.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(fd, record(gen))
        os.fsync(fd)
        os.close(fd)
        try:
            os.rename(tmp, os.path.join(d, "current"))
        except FileNotFoundError:
            # the rename was done before the cut and answered into the void: it is there, or it fails
            if os.path.exists(tmp) or read_file(os.path.join(d, "current")) != record(gen):
                raise
            ack.retry_seen("rename of generation %d answered ENOENT; it had been done" % gen)
        ack(gen)
        gen += 1


def w_sqlite(mnt, ack, stop):
    """sqlite autocommit inserts; a row is acknowledged when its INSERT returned."""
    db = sqlite3.connect(os.path.join(mnt, "pc.db"), isolation_level=None, timeout=600)
    db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    n = 0
    while not stop():
        v = record(n).decode().strip()
        try:
            db.execute("INSERT INTO t (id, v) VALUES (?, ?)", (n, v))
        except sqlite3.OperationalError as e:
            # In the default journal mode the unlink of pc.db-journal is the commit point. If the server
            # removed it just before the cut, the client sends the REMOVE again after the reboot and gets
            # ENOENT, which sqlite reports as SQLITE_IOERR_DELETE_NOENT although the row is committed:
            # the REMOVE case of the module docstring. Anything else, or a row not there, is an error.
            name = getattr(e, "sqlite_errorname", "?")
            if name != "SQLITE_IOERR_DELETE_NOENT":
                raise sqlite3.OperationalError("%s (%s)" % (e, name)) from e
            row = db.execute("SELECT v FROM t WHERE id = ?", (n,)).fetchone()
            if row is None or row[0] != v:
                raise sqlite3.OperationalError("%s (%s) and row %d is not committed" % (e, name, n)) from e
            ack.retry_seen("INSERT %d: journal unlink answered ENOENT (%s); the row is committed" % (n, name))
        ack(n)
        n += 1
    db.close()


def w_bigwrite(mnt, ack, stop):
    """2 MiB of buffered writes (the client sends UNSTABLE WRITEs), then fsync (COMMIT)."""
    n = 0
    d = os.path.join(mnt, "big")
    os.makedirs(d, exist_ok=True)
    while not stop():
        data = big_content(n)
        fd = os.open(os.path.join(d, "big_%d" % n), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        for off in range(0, BIG, 256 << 10):
            os.write(fd, data[off:off + (256 << 10)])
        os.fsync(fd)
        os.close(fd)
        ack(n, hashlib.sha256(data).hexdigest())
        n += 1


def w_dirops(mnt, ack, stop):
    """Many creates and removes in one directory: create f_i (written, closed: close flushes and
    commits), acknowledge; remove f_(i-KEEP_DIR), acknowledge."""
    d = os.path.join(mnt, "dir")
    os.makedirs(d, exist_ok=True)
    i = 0
    while not stop():
        with open(os.path.join(d, "f_%d" % i), "wb") as f:
            f.write(record(i))
        ack("c", i)
        if i >= KEEP_DIR:
            victim = os.path.join(d, "f_%d" % (i - KEEP_DIR))
            ack("R", i - KEEP_DIR)   # about to remove (not yet acknowledged): it may be gone after a cut
            try:
                os.unlink(victim)
            except FileNotFoundError:
                if os.path.exists(victim):
                    raise
                ack.retry_seen("remove of f_%d answered ENOENT; it had been done" % (i - KEEP_DIR))
            ack("r", i - KEEP_DIR)
        i += 1


def lock_probe(path):
    """In a forked child (another lock owner): a conflicting non-blocking lock must be refused."""
    pid = os.fork()
    if pid == 0:
        try:
            fd = os.open(path, os.O_RDWR)
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os._exit(3)          # got it: the lock is NOT exclusive
        except OSError as e:
            os._exit(0 if e.errno in (errno.EAGAIN, errno.EACCES) else 4)
    deadline = time.time() + 300
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.2)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return 5


def w_lock(mnt, ack, stop):
    """An fcntl lock taken once and held across every cut (the client reclaims it in the grace
    period); writes through the locked descriptor; after each write another lock owner must be
    refused."""
    path = os.path.join(mnt, "lockfile")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    seq = 0
    while not stop():
        os.pwrite(fd, record(seq), seq * REC)
        os.fsync(fd)
        probe = lock_probe(path)
        if probe != 0:
            raise RuntimeError("lock: another owner's probe returned %d (3 = it got the lock)" % probe)
        ack(seq, "exclusive")
        seq += 1
        time.sleep(0.5)
    os.close(fd)


WORKERS = {"hb": w_hb, "applog": w_applog, "openfile": w_openfile, "rename": w_rename,
           "sqlite": w_sqlite, "bigwrite": w_bigwrite, "dirops": w_dirops, "lock": w_lock}


def worker(name, mnt, ackdir):
    ack = Ack(ackdir, name)
    try:
        WORKERS[name](mnt, ack, lambda: stop_requested(ackdir))
    except Exception as e:  # noqa: BLE001 - every failure is reported to the host
        with open(os.path.join(ackdir, name + ".err"), "a") as f:
            code = errno.errorcode.get(getattr(e, "errno", None) or 0, "")
            f.write("%s %s %s\n%s" % (time.strftime("%H:%M:%S"), code, e, traceback.format_exc()))
        sys.exit(1)


def acked(ackdir, name):
    try:
        with open(os.path.join(ackdir, name + ".log")) as f:
            return [line.split() for line in f if line.endswith("\n") and line.strip()]
    except FileNotFoundError:
        return []


def read_records(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return set()
    return {i // REC for i in range(0, len(data) - REC + 1, REC) if data[i:i + REC] == record(i // REC)}


def v_records_at_offsets(mnt, ackdir, name, fname):
    seqs = [int(a[0]) for a in acked(ackdir, name)]
    have = read_records(os.path.join(mnt, fname))
    lost = [s for s in seqs if s not in have]
    return len(seqs), len(lost), "first lost: %s" % lost[:5] if lost else ""


def v_applog(mnt, ackdir):
    seqs = [int(a[0]) for a in acked(ackdir, "applog")]
    try:
        with open(os.path.join(mnt, "applog"), "rb") as f:
            data = f.read()
    except FileNotFoundError:
        data = b""
    present = set()
    for i in range(0, len(data) - REC + 1, REC):
        rec = data[i:i + REC]
        try:
            seq = int(rec[:12])
        except ValueError:
            continue
        if rec == record(seq):
            present.add(seq)
    lost = [s for s in seqs if s not in present]
    return len(seqs), len(lost), ("first lost: %s" % lost[:5] if lost else "%d bytes" % len(data))


def v_rename(mnt, ackdir):
    gens = [int(a[0]) for a in acked(ackdir, "rename")]
    if not gens:
        return 0, 0, ""
    try:
        with open(os.path.join(mnt, "rn", "current"), "rb") as f:
            rec = f.read()
        gen = int(rec[:12]) if rec == record(int(rec[:12])) else -1
    except (FileNotFoundError, ValueError):
        gen = -1
    lost = max(0, max(gens) - gen)
    return len(gens), lost, "current holds generation %d, last acknowledged %d" % (gen, max(gens))


def v_sqlite(mnt, ackdir):
    ids = [int(a[0]) for a in acked(ackdir, "sqlite")]
    try:
        db = sqlite3.connect(os.path.join(mnt, "pc.db"), timeout=600)
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = dict(db.execute("SELECT id, v FROM t").fetchall())
        db.close()
    except sqlite3.Error as e:
        return len(ids), len(ids), "sqlite error: %s" % e
    lost = [i for i in ids if rows.get(i) != record(i).decode().strip()]
    return len(ids), len(lost), "integrity_check: %s, %d rows%s" % (
        integrity, len(rows), ", first lost: %s" % lost[:5] if lost else "") + ("" if integrity == "ok" else " CORRUPT")


def v_bigwrite(mnt, ackdir):
    files = acked(ackdir, "bigwrite")
    lost_bytes = 0
    bad = []
    for n, digest in files:
        try:
            with open(os.path.join(mnt, "big", "big_%s" % n), "rb") as f:
                ok = hashlib.sha256(f.read()).hexdigest() == digest
        except FileNotFoundError:
            ok = False
        if not ok:
            bad.append(int(n))
            lost_bytes += BIG
    return len(files) * BIG, lost_bytes, ("files lost or wrong: %s" % bad[:5] if bad else "%d files" % len(files))


def v_dirops(mnt, ackdir):
    created, removed, removing = set(), set(), set()
    for op, i in acked(ackdir, "dirops"):
        {"c": created, "r": removed, "R": removing}[op].add(int(i))
    d = os.path.join(mnt, "dir")
    present = set(os.listdir(d)) if os.path.isdir(d) else set()
    lost = []
    for i in created - removed:
        name = "f_%d" % i
        if name not in present and i in removing:
            continue   # its remove was under way at a cut: either state is right
        if name not in present:
            lost.append("create %d" % i)
            continue
        with open(os.path.join(d, name), "rb") as f:
            if f.read() != record(i):
                lost.append("content %d" % i)
    lost += ["remove %d" % i for i in removed if "f_%d" % i in present]
    return len(created) + len(removed), len(lost), ("lost: %s" % lost[:5] if lost else "%d entries" % len(present))


def v_lock(mnt, ackdir):
    n, lost, detail = v_records_at_offsets(mnt, ackdir, "lock", "lockfile")
    return n, lost, detail or "every probe refused (exclusive)"


VERIFY = {"applog": v_applog,
          "openfile": lambda m, a: v_records_at_offsets(m, a, "openfile", "openfile"),
          "rename": v_rename, "sqlite": v_sqlite, "bigwrite": v_bigwrite, "dirops": v_dirops, "lock": v_lock}


def verify(mnt, ackdir, out):
    res = {}
    for name, fn in VERIFY.items():
        try:
            n, lost, detail = fn(mnt, ackdir)
        except Exception as e:  # noqa: BLE001 - a check that cannot run is a failure, reported
            n, lost, detail = -1, -1, "verify error: %r" % e
        err = ""
        p = os.path.join(ackdir, name + ".err")
        if os.path.exists(p):
            with open(p) as f:
                err = f.readline().strip()
        p = os.path.join(ackdir, name + ".retried")
        if os.path.exists(p):
            with open(p) as f:
                detail += "; %d retransmitted after a cut (ENOENT, effect present)" % len(f.readlines())
        res[name] = {"acked": n, "lost": lost, "detail": detail, "error": err}
    p = os.path.join(ackdir, "hb.err")
    res["hb"] = {"acked": len(acked(ackdir, "hb")), "lost": 0, "detail": "",
                 "error": open(p).readline().strip() if os.path.exists(p) else ""}
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
    return res


if __name__ == "__main__":
    if sys.argv[1] == "worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit("usage: pc.py worker NAME MNT ACKDIR | verify MNT ACKDIR OUT")
