#!/usr/bin/env python3
"""startup-timeline.py CLASSLOAD_LOG: milestones of the edge-nfsd JVM's start from the class-load log
that run.sh writes with PC_CLASSLOAD_TRACE=1 (-Xlog:class+load with the JVM's uptime): when the JVM
reached each stage, and how long each stage took."""
import re
import sys

STAGES = [
    ("java.lang.Object", "JVM created (CDS archives mapped)"),
    ("io.edgenfsd.Main", "main() entered"),
    ("io.edgenfsd.server.NfsServer", "command line parsed (picocli), exports read"),
    ("io.edgenfsd.server.LogSetup", "logging starts"),
    ("com.sun.jna.Native", "logging set up, export table, SecureRandom; JNA loads"),
    ("io.edgenfsd.state.StateManager", "JNA, handle key, kernel handle store"),
    ("io.netty.channel.epoll.EpollServerSocketChannel", "state, vfs, op table; Netty loads"),
    ("io.edgenfsd.server.SystemdNotify", "port bound, ready"),
]
times = {}
total = shared = 0
for line in open(sys.argv[1]):
    m = re.match(r"\[(\d+\.\d+)s\] (\S+) source: (.*)", line)
    if not m:
        continue
    total += 1
    shared += "shared" in m.group(3)
    times.setdefault(m.group(2), float(m.group(1)))
prev = 0.0
print("| JVM uptime (s) | stage reached | took (s) |")
print("|---|---|---|")
for cls, what in STAGES:
    if cls in times:
        print("| %.1f | %s | %.1f |" % (times[cls], what, times[cls] - prev))
        prev = times[cls]
print("\n%d classes loaded before the port was bound, %d of them from the CDS archives" % (total, shared))
