#!/usr/bin/env python3
"""benchmarks/pi.sh's raw lines (run, kind, key, value) -> the Markdown of benchmarks/results/<date>-pi.md."""
import statistics
import sys

path, date, note = sys.argv[1], sys.argv[2], sys.argv[3]
runs = {}     # run number -> kind
vals = {}     # (run, key) -> value (str)
ab = {}       # (label, key) -> [values]
guest = {}
for line in open(path):
    p = line.rstrip("\n").split("\t")
    if len(p) != 4:
        continue
    run, kind, key, value = p
    if run == "ab":
        ab.setdefault((kind, key), []).append(float(value))
    elif run == "0":
        guest[key] = value
    else:
        runs[int(run)] = kind
        vals[(int(run), key)] = value


def num(run, key):
    try:
        return float(vals[(run, key)])
    except (KeyError, ValueError):
        return None


def fmt(x, d=1):
    if x is None:
        return "–"
    return "{:,.0f}".format(x) if abs(x) >= 100 else ("{:." + str(d) + "f}").format(x)


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def ratio(a, b):
    return None if a is None or not b else a / b


order = sorted(runs)
by_kind = {}
for r in order:
    by_kind.setdefault(runs[r], []).append(r)
METRICS = [
    ("seq_write_MBps", "sequential write, MB/s", "higher"),
    ("seq_read_MBps", "sequential read, MB/s", "higher"),
    ("fio_randread_4k_iops", "fio 4 KiB random read, IOPS", "higher"),
    ("meta_create_per_s", "small files: create/s", "higher"),
    ("meta_stat_per_s", "small files: stat/s", "higher"),
    ("meta_remove_per_s", "small files: remove/s", "higher"),
    ("sqlite_tx_per_s", "sqlite autocommit tx/s", "higher"),
    ("tar_extract_s", "tar extract onto the export, s", "lower"),
    ("tar_create_s", "tar of the tree from the export, s", "lower"),
    ("tar_rm_s", "rm -rf of the tree, s", "lower"),
] + [("%s_ms" % w, "%s wall time, s" % w, "lower") for w in ("b_seq", "b_fio", "b_meta", "b_sqlite", "b_tar")] + [
    ("cpu_s", "server CPU seconds, whole set", "lower"),
    ("hwm_kb", "server peak RSS (VmHWM), MiB", "lower"),
    ("mem_drop_kb", "MemAvailable drop over the run, MiB", "lower"),
]
for r in order:  # derived: MemAvailable before start - after the set
    a, b = num(r, "avail_before_kb"), num(r, "avail_after_kb")
    if a is not None and b is not None:
        vals[(r, "mem_drop_kb")] = str(a - b)


def cell(r, key):
    x = num(r, key)
    if x is not None and key.endswith("_kb"):
        x /= 1024
    if x is not None and key.endswith("_ms"):
        x /= 1000
    return x


print("# Pi-class benchmark (arm64 guest), %s\n" % date)
print("`benchmarks/pi.sh`: one boot of the arm64 guest (qemu-system-aarch64 -M virt -cpu cortex-a53 -smp 1 "
      "-m 1024, TCG, export and state on the throttled SD disk), servers in turn; the x86 kernel-client "
      "guest mounts through hostfwd (nfsvers=4.1,hard). Everything emulated on a shared 2-core host: "
      "absolute figures mean little, compare within the table only.\n")
print("Sizes and setup: %s\n" % note)
head = ["metric", "better"] + ["%d %s" % (r, runs[r]) for r in order]
edges = by_kind.get("edge", [])
has_k, has_g = "knfsd" in by_kind, "ganesha" in by_kind
if has_k:
    head.append("edge/knfsd")
if has_g:
    head.append("edge/Ganesha")
if len(edges) > 1:
    head.append("edge last/first")
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for key, label, better in METRICS:
    row = [label, better] + [fmt(cell(r, key)) for r in order]
    e = mean([cell(r, key) for r in edges])
    if has_k:
        row.append(fmt(ratio(e, mean([cell(r, key) for r in by_kind["knfsd"]])), 2))
    if has_g:
        row.append(fmt(ratio(e, mean([cell(r, key) for r in by_kind["ganesha"]])), 2))
    if len(edges) > 1:
        row.append(fmt(ratio(cell(edges[-1], key), cell(edges[0], key)), 2))
    print("| " + " | ".join(row) + " |")
print("\nRatios use the mean of the edge runs. knfsd has no VmHWM (kernel threads): its CPU is the nfsd "
      "threads' plus rpc.mountd's utime+stime; its memory is the MemAvailable drop (also given for the "
      "others), rpc.mountd VmHWM %s MiB, Slab after %s MiB." % (
          fmt(mean([cell(r, "mountd_hwm_kb") for r in by_kind.get("knfsd", [])])),
          fmt(mean([cell(r, "slab_kb") for r in by_kind.get("knfsd", [])]))))
fails = ["%d %s: %s rc %s" % (r, runs[r], k[:-3], vals[(r, k)]) for r in order for k in
         [k for (rr, k) in vals if rr == r and k.endswith("_rc")] if vals[(r, k)] != "0"]
print("Workload failures: %s." % (", ".join(fails) if fails else "none"))
print("Per run, client boot to power-off (s): %s." % ", ".join(
    "%d %s %s" % (r, runs[r], vals.get((r, "client_s"), "–")) for r in order))
print("Guest: boot %s s, hog VmRSS %s kB, alive at the end: %s, OOM lines in the kernel log: %s, "
      "jar phase %s s, edge-nfsd's AppCDS archive %s kB.\n" % (
          guest.get("boot_s", "–"), guest.get("hog_rss_kb", "–"), guest.get("hog_alive", "–"),
          guest.get("oom_lines", "–"), guest.get("ab_phase_s", "–"), guest.get("cds_archive_kb", "–")))
if ab:
    print("## edge-nfsd jar before/after the trimming (same boot)\n")
    print("old = the .deb of e1dc234 (10.0 MB jar), new = main (7.9 MB jar, JNA stub unpacked at install); "
          "installed alternately old, new, old, new with dpkg -i, each then restarted once.\n")
    print("| jar | samples | start-to-READY ms (median; all) | idle VmRSS MiB (median) | idle VmHWM MiB (median) | dpkg -i s (each) |")
    print("|---|---|---|---|---|---|")
    for v in ("old", "new"):
        rd = ab.get((v, "ready_ms"), [])
        if not rd:
            continue
        rss = ab.get((v, "idle_rss_kb"), [])
        hw = ab.get((v, "idle_hwm_kb"), [])
        print("| %s | %d | %s; %s | %s | %s | %s |" % (
            v, len(rd), fmt(statistics.median(rd)), ", ".join(fmt(x) for x in rd),
            fmt(statistics.median(rss) / 1024) if rss else "–", fmt(statistics.median(hw) / 1024) if hw else "–",
            ", ".join(fmt(x) for x in ab.get((v, "install_s"), []))))
    o, n = ab.get(("old", "ready_ms")), ab.get(("new", "ready_ms"))
    if o and n:
        print("\nnew/old: start-to-READY %s, idle VmRSS %s." % (
            fmt(statistics.median(n) / statistics.median(o), 2),
            fmt(statistics.median(ab[("new", "idle_rss_kb")]) / statistics.median(ab[("old", "idle_rss_kb")]), 2)))
