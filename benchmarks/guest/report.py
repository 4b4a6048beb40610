#!/usr/bin/env python3
"""Turns an e2e.sh run directory (results.tsv: round, server, metric, value; info.tsv; servers.tsv: name,
kind, jar; order.tsv: round, servers in run order) into the Markdown report of benchmarks/results/.

  report.py RAWDIR[,RAWDIR...] NAME NOTE

Several run directories (the same servers, the first one's order of them) are read as one run, their
rounds numbered on: e.g. two invocations of 3 rounds, the second with the servers listed the other way
round, so that each went first equally often.

Per measure: each server's median over the rounds; each edge build against the first edge build listed
(the median of the per-round ratios, and each round's ratio: their spread is the noise); with Ganesha
served, the last edge build against Ganesha and the targets; with more than one round, every round's
numbers and each server's spread between rounds ((max - min) / median)."""
import os
import statistics
import sys

raws, name, note = sys.argv[1].split(","), sys.argv[2], sys.argv[3]


def tsv(raw, f):
    return [l.rstrip("\n").split("\t") for l in open(os.path.join(raw, f)) if l.strip()]


rows, info, order = {}, [], []
servers = tsv(raws[0], "servers.tsv")
for raw in raws:
    first = len(order)  # rounds of the directories before this one
    if sorted(s[0] for s in tsv(raw, "servers.tsv")) != sorted(s[0] for s in servers):
        sys.exit("%s: other servers than %s" % (raw, raws[0]))
    for parts in tsv(raw, "results.tsv"):
        if len(parts) == 4:
            try:
                rows[(first + int(parts[0]), parts[1], parts[2])] = float(parts[3])
            except ValueError:
                pass
    info += tsv(raw, "info.tsv")
    order += [[str(first + int(o[0]))] + o[1:] for o in tsv(raw, "order.tsv")]
labels = [s[0] for s in servers]
edges = [s[0] for s in servers if s[1] == "edge"]
ganesha = next((s[0] for s in servers if s[1] == "ganesha"), None)
rounds = [int(o[0]) for o in order]


def v(r, server, metric):
    return rows.get((r, server, metric))


def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, digits=1):
    if x is None:
        return "–"
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    return ("{:." + str(digits) + "f}").format(x)


def derived(r, server):
    d = {}
    gib = v(r, server, "seq_gib_moved")
    cpu = v(r, server, "cpu_s_b_seq")
    d["cpu_per_gib_seq"] = cpu / gib if cpu is not None and gib else None
    ops = v(r, server, "meta_ops")
    cpu = v(r, server, "cpu_s_b_meta")
    d["cpu_per_10k_meta"] = cpu / (ops / 1e4) if cpu is not None and ops else None
    b = sum(v(r, server, "load_%s_bytes" % p) or 0 for p in ("write_1MiB", "read_1MiB"))
    c = sum(v(r, server, "load_%s_cpu_s" % p) or 0 for p in ("write_1MiB", "read_1MiB"))
    d["load_cpu_per_gib"] = c / (b / 2**30) if b else None
    ops = v(r, server, "load_metadata_mix_ops")
    c = v(r, server, "load_metadata_mix_cpu_s")
    d["load_cpu_per_10k_meta"] = c / (ops / 1e4) if c is not None and ops else None
    load_cpu = [x for (rr, s, m), x in rows.items() if rr == r and s == server and m.startswith("load_")
                and m.endswith("_cpu_s")]
    kc = v(r, server, "cpu_s_kernel_client_total")
    d["cpu_s_all"] = kc + sum(load_cpu) if kc is not None and load_cpu else None
    for k in ("vmhwm_kib_kernel_client", "vmhwm_kib_all"):
        d[k.replace("kib", "mib")] = v(r, server, k) / 1024 if v(r, server, k) else None
    return d


DERIVED = {(r, s): derived(r, s) for r in rounds for s in labels}


def get(r, server, m):
    d = DERIVED[(r, server)]
    return d[m] if m in d else v(r, server, m)


def med(server, m):
    return median(get(r, server, m) for r in rounds)


def per_round_ratios(a, b, m):
    return [ratio(get(r, a, m), get(r, b, m)) for r in rounds]


# metric, label, better (↑ higher, ↓ lower), link metric (for edge/link), target text,
# target check (edge/Ganesha, edge/link) -> bool
ROWS = [
    ("link_guest_to_host_MBps", "raw TCP guest→host (MB/s)", "↑", None, "", None),
    ("link_host_to_guest_MBps", "raw TCP host→guest (MB/s)", "↑", None, "", None),
    ("seq_write_MBps", "O_DIRECT seq write (MB/s)", "↑", "link_guest_to_host_MBps", "≥ 0.9 × link",
     lambda g, l: l is not None and l >= 0.9),
    ("seq_read_MBps", "O_DIRECT seq read (MB/s)", "↑", "link_host_to_guest_MBps", "≥ 0.85 × link",
     lambda g, l: l is not None and l >= 0.85),
    ("fio_randread_4k_iops", "fio 4 KiB random read (IOPS, qd 16)", "↑", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("meta_create_per_s", "create (files/s)", "↑", None, "≥ 1.3 × Ganesha", lambda g, l: g is not None and g >= 1.3),
    ("meta_stat_per_s", "stat after remount (files/s)", "↑", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("meta_remove_per_s", "remove (files/s)", "↑", None, "≥ 1.3 × Ganesha", lambda g, l: g is not None and g >= 1.3),
    ("sqlite_tx_per_s", "sqlite tx/s (synchronous=FULL)", "↑", None, "≥ 1.0 × Ganesha",
     lambda g, l: g is not None and g >= 1.0),
    ("cpu_per_gib_seq", "server CPU s per GiB (seq write+read)", "↓", None, "", None),
    ("cpu_per_10k_meta", "server CPU s per 10k metadata ops", "↓", None, "", None),
    ("cpu_s_kernel_client_total", "server CPU s, whole kernel-client workload", "↓", None, "≤ 0.7 × Ganesha",
     lambda g, l: g is not None and g <= 0.7),
    ("vmhwm_mib_kernel_client", "peak RSS after kernel-client workload (MiB)", "↓", None, "≤ 1.0 × Ganesha",
     lambda g, l: g is not None and g <= 1.0),
    ("load_write_1MiB_MiBps", "load gen: 1 MiB WRITE (MiB/s)", "↑", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_read_1MiB_MiBps", "load gen: 1 MiB READ (MiB/s)", "↑", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_read_4KiB_ops_per_s", "load gen: 4 KiB random READ (ops/s)", "↑", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_lookup_ops_per_s", "load gen: LOOKUP+GETATTR (compounds/s)", "↑", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_metadata_mix_ops_per_s", "load gen: metadata mix (compounds/s)", "↑", None, "≥ 1.3 × Ganesha",
     lambda g, l: g is not None and g >= 1.3),
    ("load_cpu_per_gib", "load gen: server CPU s per GiB (WRITE+READ)", "↓", None, "≤ 0.7 × Ganesha",
     lambda g, l: g is not None and g <= 0.7),
    ("load_cpu_per_10k_meta", "load gen: server CPU s per 10k metadata compounds", "↓", None, "", None),
    ("cpu_s_all", "server CPU s, whole run (kernel client + load gen)", "↓", None, "", None),
    ("vmhwm_mib_all", "peak RSS over the whole run (MiB)", "↓", None, "≤ 1.0 × Ganesha",
     lambda g, l: g is not None and g <= 1.0),
]

ref, last = (edges[0], edges[-1]) if edges else (None, None)
vs_ref = edges[1:]
multi = len(rounds) > 1

print("# End-to-end benchmark: %s\n" % name)
print("%s of `benchmarks/e2e.sh` on this machine (2 cores, shared with other builds: noisy; compare"
      % ("One run" if len(raws) == 1 else "%d runs" % len(raws)))
print("the ratios, which were measured minutes apart in the same run). Parameters: %s.\n" % note)
for s in servers:
    print("- `%s`: %s" % (s[0], "edge-nfsd, `%s`" % s[2] if s[1] == "edge" else "NFS-Ganesha (VFS FSAL)"))
print("- order: " + "; ".join("round %s: %s" % (o[0], ", ".join(o[1:])) for o in order))
print("\nEach server's figure is its median over %d round(s)." % len(rounds), end=" ")
if vs_ref:
    print("X/%s is the median of the per-round ratios%s." % (ref, " (each round's in brackets)" if multi else ""),
          end=" ")
if last:
    print("%s/link divides by the raw TCP figure measured in the same guest boot." % last, end=" ")
print("↑: higher is better, ↓: lower.\n")

head = ["measure", ""] + labels + ["%s/%s" % (e, ref) for e in vs_ref]
if last:
    head.append("%s/link" % last)
if ganesha and last:
    head += ["%s/Ganesha" % last, "target", ""]
print("| " + " | ".join(head) + " |")
print("|---|---|" + "---:|" * (len(head) - 2 - (3 if ganesha and last else 0)) + ("---:|---|---|" if ganesha and last else ""))
for m, label, better, link, target, check in ROWS:
    cells = [label, better] + [fmt(med(s, m)) for s in labels]
    for e in vs_ref:
        rs = per_round_ratios(e, ref, m)
        c = fmt(median(rs), 2)
        if multi and median(rs) is not None:
            c += " (" + ", ".join(fmt(x, 2) for x in rs) + ")"
        cells.append(c)
    rl = median(ratio(get(r, last, m), get(r, last, link)) for r in rounds) if last and link else None
    if last:
        cells.append(fmt(rl, 2))
    if ganesha and last:
        rg = median(per_round_ratios(last, ganesha, m))
        verdict = ""
        if check is not None:
            verdict = "met" if check(rg, rl) else "**missed**"
            if med(last, m) is None or (med(ganesha, m) is None and link is None):
                verdict = "not measured"
        cells += [fmt(rg, 2), target, verdict]
    print("| " + " | ".join(cells) + " |")

if multi:
    print("\n## Every round\n")
    print("Spread: (max − min) / median of one server's figures over the rounds, the noise between runs.\n")
    cols = [(s, r) for s in labels for r in rounds]
    head = ["measure"] + ["%s r%d" % c for c in cols] + ["%s spread" % s for s in labels]
    print("| " + " | ".join(head) + " |")
    print("|---|" + "---:|" * (len(head) - 1))
    extra = [("host_loadavg_1m", "host load average (1 min) as the server started")]
    for m, label in [(x[0], x[1]) for x in ROWS] + extra:
        cells = [label] + [fmt(get(r, s, m), 2) for s, r in cols]
        for s in labels:
            xs = [get(r, s, m) for r in rounds]
            xs = [x for x in xs if x is not None]
            md = median(xs)
            cells.append("%.0f %%" % (100 * (max(xs) - min(xs)) / md) if len(xs) > 1 and md else "–")
        print("| " + " | ".join(cells) + " |")

if info:
    seen = []
    for i in info:
        if len(i) > 3 and "%s %s" % (i[1], i[3]) not in seen:
            seen.append("%s %s" % (i[1], i[3]))
    print("\nMount options the kernel client negotiated: " + "; ".join(seen))
if len(raws) > 1:
    print("\nMerged from %d runs: %s." % (len(raws), ", ".join("`%s`" % os.path.basename(r) for r in raws)))
print("\nRaw numbers (round, server, metric, value): `%s.tsv` beside this file." % name)
