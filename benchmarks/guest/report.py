#!/usr/bin/env python3
"""Turns e2e.sh's results.tsv (server, metric, value) into the Markdown table of benchmarks/results/."""
import sys

rows = {}
for line in open(sys.argv[1]):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 3:
        try:
            rows[(parts[0], parts[1])] = float(parts[2])
        except ValueError:
            pass
info = [l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()]
date, note = sys.argv[3], sys.argv[4]


def v(kind, metric):
    return rows.get((kind, metric))


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def fmt(x, digits=1):
    if x is None:
        return "–"
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    return ("{:." + str(digits) + "f}").format(x)


def derived(kind):
    d = {}
    gib = v(kind, "seq_gib_moved")
    cpu = v(kind, "cpu_s_b_seq")
    d["cpu_per_gib_seq"] = cpu / gib if cpu is not None and gib else None
    ops = v(kind, "meta_ops")
    cpu = v(kind, "cpu_s_b_meta")
    d["cpu_per_10k_meta"] = cpu / (ops / 1e4) if cpu is not None and ops else None
    b = sum(v(kind, "load_%s_bytes" % p) or 0 for p in ("write_1MiB", "read_1MiB"))
    c = sum(v(kind, "load_%s_cpu_s" % p) or 0 for p in ("write_1MiB", "read_1MiB"))
    d["load_cpu_per_gib"] = c / (b / 2**30) if b else None
    ops = v(kind, "load_metadata_mix_ops")
    c = v(kind, "load_metadata_mix_cpu_s")
    d["load_cpu_per_10k_meta"] = c / (ops / 1e4) if c is not None and ops else None
    for k in ("vmhwm_kib_kernel_client", "vmhwm_kib_all"):
        d[k.replace("kib", "mib")] = v(kind, k) / 1024 if v(kind, k) else None
    return d


de, dg = derived("edge"), derived("ganesha")


def get(kind, m):
    return (de if kind == "edge" else dg).get(m, v(kind, m))


# metric, label, link metric (for edge/link), target text, target check (edge/ganesha, edge/link) -> bool
ROWS = [
    ("link_guest_to_host_MBps", "raw TCP guest→host (MB/s)", None, "", None),
    ("link_host_to_guest_MBps", "raw TCP host→guest (MB/s)", None, "", None),
    ("seq_write_MBps", "O_DIRECT seq write (MB/s)", "link_guest_to_host_MBps", "≥ 0.9 × link",
     lambda g, l: l is not None and l >= 0.9),
    ("seq_read_MBps", "O_DIRECT seq read (MB/s)", "link_host_to_guest_MBps", "≥ 0.85 × link",
     lambda g, l: l is not None and l >= 0.85),
    ("fio_randread_4k_iops", "fio 4 KiB random read (IOPS, qd 16)", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("meta_create_per_s", "create (files/s)", None, "≥ 1.3 × Ganesha", lambda g, l: g is not None and g >= 1.3),
    ("meta_stat_per_s", "stat after remount (files/s)", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("meta_remove_per_s", "remove (files/s)", None, "≥ 1.3 × Ganesha", lambda g, l: g is not None and g >= 1.3),
    ("sqlite_tx_per_s", "sqlite tx/s (synchronous=FULL)", None, "≥ 1.0 × Ganesha",
     lambda g, l: g is not None and g >= 1.0),
    ("cpu_per_gib_seq", "server CPU s per GiB (seq write+read)", None, "", None),
    ("cpu_per_10k_meta", "server CPU s per 10k metadata ops", None, "", None),
    ("cpu_s_kernel_client_total", "server CPU s, whole kernel-client workload", None, "≤ 0.7 × Ganesha",
     lambda g, l: g is not None and g <= 0.7),
    ("vmhwm_mib_kernel_client", "peak RSS after kernel-client workload (MiB)", None, "≤ 1.0 × Ganesha",
     lambda g, l: g is not None and g <= 1.0),
    ("load_write_1MiB_MiBps", "load gen: 1 MiB WRITE (MiB/s)", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_read_1MiB_MiBps", "load gen: 1 MiB READ (MiB/s)", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_read_4KiB_ops_per_s", "load gen: 4 KiB random READ (ops/s)", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_lookup_ops_per_s", "load gen: LOOKUP+GETATTR (compounds/s)", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_metadata_mix_ops_per_s", "load gen: metadata mix (compounds/s)", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_cpu_per_gib", "load gen: server CPU s per GiB (WRITE+READ)", None, "≤ 0.7 × Ganesha",
     lambda g, l: g is not None and g <= 0.7),
    ("load_cpu_per_10k_meta", "load gen: server CPU s per 10k metadata compounds", None, "", None),
    ("vmhwm_mib_all", "peak RSS over the whole run (MiB)", None, "≤ 1.0 × Ganesha",
     lambda g, l: g is not None and g <= 1.0),
]

print("# End-to-end benchmark, %s\n" % date)
print("One run of `benchmarks/e2e.sh` on this machine (2 cores, shared with other builds: noisy; compare")
print("the ratios, which were measured minutes apart in the same run). Parameters: %s.\n" % note)
print("edge/link divides by the raw TCP figure measured in the same guest boot as edge-nfsd.\n")
print("| measure | edge-nfsd | Ganesha | edge/Ganesha | edge/link | target | |")
print("|---|---:|---:|---:|---:|---|---|")
for m, label, link, target, check in ROWS:
    e, g = get("edge", m), get("ganesha", m)
    rg = ratio(e, g)
    rl = ratio(e, v("edge", link)) if link else None
    verdict = ""
    if check is not None:
        verdict = "met" if check(rg, rl) else "**missed**"
        if e is None or (g is None and link is None):
            verdict = "not measured"
    print("| %s | %s | %s | %s | %s | %s | %s |" % (label, fmt(e), fmt(g), fmt(rg, 2), fmt(rl, 2), target, verdict))
if info:
    print("\nMount options the kernel client negotiated: " + "; ".join("%s %s" % (i[0], i[2]) for i in info if len(i) > 2))
print("\nRaw numbers: `%s.tsv` beside this file." % date)
