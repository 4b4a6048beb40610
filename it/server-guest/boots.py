#!/usr/bin/env python3
"""boots.py LOGDIR WORKER...: boots.md of `run.sh --boots-only` (LOGDIR/edge-sync and LOGDIR/knfsd-sync,
their cuts.tsv and client/verify.json): every boot's power-on to the first NULL answered, to the first
NFSv4.1 COMPOUND answered NFS4_OK and to the client's first acknowledged heartbeat, with the host load
at power-on; the medians over the power cuts of each server; per pair (edge cut i, knfsd cut i, run
one after the other) the ratios edge/knfsd; what the named workers lost."""
import json
import os
import statistics
import sys

d, workers = sys.argv[1], sys.argv[2:]
kinds = ("edge", "knfsd")
rows = {}
for k in kinds:
    with open(os.path.join(d, k + "-sync", "cuts.tsv")) as f:
        rows[k] = [line.rstrip("\n").split("\t") for line in f]


def num(v):
    try:
        return float(v)
    except ValueError:
        return None


# cuts.tsv: N, kind, NULL, heartbeat, cut to heartbeat, load, COMPOUND
MEASURES = (("NULL", 2), ("COMPOUND NFS4_OK", 6), ("client's first heartbeat", 3))
print("| boot | server | power-on to NULL (s) | to COMPOUND NFS4_OK (s) | to first heartbeat (s) | host load |")
print("|---|---|---|---|---|---|")
for i in range(max(len(r) for r in rows.values())):
    for k in kinds:
        if i < len(rows[k]):
            r = rows[k][i]
            print("| %s | %s | %s | %s | %s | %s |" % ("first boot" if r[1] != "cut" else "cut " + r[0], k, r[2],
                                                       r[6] if len(r) > 6 else "-", r[3], r[5]))
print()
cuts = {k: [r for r in rows[k] if r[1] == "cut"] for k in kinds}
print("| median over the cuts | edge | knfsd | edge / knfsd |")
print("|---|---|---|---|")
for name, col in MEASURES:
    med = {}
    for k in kinds:
        vals = [num(r[col]) for r in cuts[k] if len(r) > col]
        # a heartbeat that never came counts as infinitely late, so the median cannot hide it
        vals = [v if v is not None else float("inf") for v in vals]
        med[k] = statistics.median(vals) if vals else None
    ratio = "%.2f" % (med["edge"] / med["knfsd"]) if med["edge"] is not None and med["knfsd"] else "-"
    print("| power-on to %s (s) | %s | %s | %s |" % (name, med["edge"], med["knfsd"], ratio))
print("\nhost load at power-on, median: edge %s, knfsd %s" % tuple(
    statistics.median([num(r[5]) for r in cuts[k]]) if cuts[k] else "-" for k in kinds))
print()
print("| pair | edge/knfsd NULL | edge/knfsd COMPOUND | edge/knfsd heartbeat |")
print("|---|---|---|---|")
for e, n in zip(cuts["edge"], cuts["knfsd"]):
    cells = []
    for _name, col in MEASURES:
        a, b = (num(e[col]) if len(e) > col else None), (num(n[col]) if len(n) > col else None)
        cells.append("%.2f" % (a / b) if a is not None and b else "-")
    print("| cut %s | %s |" % (e[0], " | ".join(cells)))
print()
for k in kinds:
    p = os.path.join(d, k + "-sync", "client", "verify.json")
    if not os.path.exists(p):
        print("%s: the client did not verify" % k)
        continue
    with open(p) as f:
        res = json.load(f)
    print("%s: %s" % (k, ", ".join("%s lost %s of %s%s" % (w, res[w]["lost"], res[w]["acked"],
                                                         " (client error: %s)" % res[w]["error"] if res[w]["error"] else "")
                                   for w in workers if w in res)))
