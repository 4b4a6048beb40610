#!/usr/bin/env python3
"""start-time.py [--runs N] [--cds] [--cpus LIST] [--opts 'JVM OPTS'] NAME=JAR[@EXTRA JVM OPTS] ...: host start-to-ready of edge-nfsd jars,
alternated A/B/A/B (the build machine is shared: compare only within one run). Each start serves a
temporary export on 127.0.0.1 (a free port) with the .deb's JVM options (packaging/src/deb/etc/default)
unless --opts is given; "ready" is the 'edge-nfsd: ready' log line. Prints per jar the median, min and max
seconds from exec to ready, the classes loaded before ready, and VmRSS / VmHWM (peak) at ready.
--cds: first dump an AppCDS archive per jar (-XX:ArchiveClassesAtExit, one start), then start with it.
--cpus LIST: pin the JVM to these host CPUs (taskset -c), e.g. 1 to stand in for a one-vCPU guest, where
every JVM thread (compiler, GC, main) takes turns. Also printed: the JVM's CPU seconds (utime+stime, all
threads) from exec to ready, the number that a slow single CPU multiplies."""
import argparse, os, re, shlex, socket, statistics, subprocess, sys, tempfile, time

DEB_DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "packaging", "src", "deb", "etc", "default")


def deb_opts():
    for line in open(DEB_DEFAULT):
        m = re.match(r'EDGE_NFSD_JAVA_OPTS="(.*)"', line)
        if m:
            return shlex.split(m.group(1))
    return []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


CPUS = None


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(jar, opts, extra, tmp, timeout=120):
    export = tempfile.mkdtemp(dir=tmp)
    state = tempfile.mkdtemp(dir=tmp)
    port = free_port()
    trace = os.path.join(tmp, "classload.%d.log" % port)
    cmd = (["taskset", "-c", CPUS] if CPUS else []) + ["java"] + opts + extra + ["-Xlog:class+load:file=%s:uptime" % trace, "-jar", jar, "serve",
           "--bind", "127.0.0.1", "--port", str(port), "--state-dir", state,
           "--export", "%s 127.0.0.1(rw,sync)" % export]
    env = dict(os.environ, MALLOC_ARENA_MAX="2")
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    ready = None
    rss = None
    cpu = None
    try:
        deadline = t0 + timeout
        for line in p.stdout:
            if "edge-nfsd: ready" in line:
                ready = time.monotonic() - t0
                cpu = cpu_seconds(p.pid)
                with open("/proc/%d/status" % p.pid) as f:
                    st = f.read()
                rss = (int(re.search(r"VmRSS:\s+(\d+)", st).group(1)), int(re.search(r"VmHWM:\s+(\d+)", st).group(1)))
                break
            if time.monotonic() > deadline:
                break
    finally:
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    classes = 0
    if os.path.exists(trace):
        classes = sum(1 for l in open(trace) if " source: " in l)
    return ready, classes, rss, trace, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cds", action="store_true")
    ap.add_argument("--opts", default=None)
    ap.add_argument("--cpus", default=None)
    ap.add_argument("jars", nargs="+")
    a = ap.parse_args()
    global CPUS
    CPUS = a.cpus
    opts = deb_opts() if a.opts is None else shlex.split(a.opts)
    tmp = tempfile.mkdtemp(prefix="start-time.")
    jars = []
    extra = {}
    for j in a.jars:
        name, jar = j.split("=", 1)
        jar, _, more = jar.partition("@")
        jars.append((name, jar))
        extra[name] = shlex.split(more)
    for name, jar in jars:
        if a.cds:
            jsa = os.path.join(tmp, name + ".jsa")
            start(jar, opts, extra[name] + ["-XX:ArchiveClassesAtExit=" + jsa], tmp)
            extra[name] = extra[name] + ["-XX:SharedArchiveFile=" + jsa]
    res = {name: [] for name, _ in jars}
    for i in range(a.runs):
        for name, jar in (jars if i % 2 == 0 else list(reversed(jars))):
            res[name].append(start(jar, opts, extra[name], tmp))
    print("opts: %s%s%s; %d runs each, alternated; load %s" % (" ".join(opts), " (AppCDS)" if a.cds else "",
                                                              "; pinned to CPUs " + CPUS if CPUS else "",
                                                              a.runs, open("/proc/loadavg").read().split()[0]))
    print("| jar | start to ready median (min-max) s | CPU s to ready median (min-max) | classes loaded | VmRSS / VmHWM at ready (kB) |")
    print("|---|---|---|---|---|")
    for name, jar in jars:
        r = res[name]
        t = [x[0] for x in r if x[0] is not None]
        if len(t) < len(r):
            print("| %s | %d of %d starts not ready | | | |" % (name, len(r) - len(t), len(r)))
            continue
        c = [x[4] for x in r]
        print("| %s | %.2f (%.2f-%.2f) | %.2f (%.2f-%.2f) | %d | %d / %d |" % (name, statistics.median(t), min(t), max(t),
                                                         statistics.median(c), min(c), max(c),
                                                         statistics.median(x[1] for x in r),
                                                         statistics.median(x[2][0] for x in r),
                                                         statistics.median(x[2][1] for x in r)))
        print("last trace of %s: %s" % (name, r[-1][3]), file=sys.stderr)


if __name__ == "__main__":
    main()
