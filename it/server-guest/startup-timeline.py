#!/usr/bin/env python3
"""startup-timeline.py CLASSLOAD_LOG: milestones of the edge-nfsd JVM's start from the class-load log
that run.sh writes with PC_CLASSLOAD_TRACE=1 (-Xlog:class+load with the JVM's uptime): when the JVM
first loaded the class that marks each stage, and how long the stage before it took. The marks follow
the order of Cli.serve and NfsServer.start; a mark that is missing or loaded out of order (code moved)
is listed as such instead of giving a negative duration."""
import re
import sys

STAGES = [
    ("java.lang.Object", "JVM created (CDS archives mapped)"),
    ("io.edgenfsd.Main", "main() entered"),
    ("org.slf4j.LoggerFactory", "command line read (ServeArgs); logging starts"),
    ("io.edgenfsd.server.ExportsConfig", "logging set up (slf4j, logback, LogSetup); exports read"),
    ("com.sun.jna.Native", "exports prepared; JNA loads (umask: the first system call)"),
    ("io.edgenfsd.server.NfsServer", "JNA loaded (native stub), state dir checked"),
    ("io.edgenfsd.vfs.linux.FileHandleCodec", "identity and handle support probed; handle key"),
    ("io.edgenfsd.state.ClientStore", "handle key read; client records, state"),
    ("io.edgenfsd.compound.CompoundProcessor", "state, vfs, volumes, op table"),
    ("io.edgenfsd.rpc.RpcServer", "NFS program ready; Netty loads"),
    ("io.edgenfsd.server.SystemdNotify", "port bound, ready"),
]
times = {}
order = []
for line in open(sys.argv[1]):
    m = re.match(r"\[(\d+\.\d+)s\] (\S+) source: (.*)", line)
    if not m:
        continue
    order.append((float(m.group(1)), "shared" in m.group(3)))
    times.setdefault(m.group(2), float(m.group(1)))
prev = 0.0
print("| JVM uptime (s) | stage reached | took (s) |")
print("|---|---|---|")
for cls, what in STAGES:
    t = times.get(cls)
    if t is None:
        print("| - | %s (%s not loaded) | - |" % (what, cls))
    elif t < prev:
        print("| %.1f | %s (%s loaded out of order) | - |" % (t, what, cls))
    else:
        print("| %.1f | %s | %.1f |" % (t, what, t - prev))
        prev = t
ready = times.get("io.edgenfsd.server.SystemdNotify", float("inf"))
before = [s for t, s in order if t <= ready]
print("\n%d classes loaded before the port was bound, %d of them from the CDS archives" % (len(before), sum(before)))
