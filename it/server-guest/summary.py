#!/usr/bin/env python3
"""summary.py LOGDIR: the side-by-side tables of one run (every config's client/verify.json and
cuts.tsv): per workload lost/acknowledged for each SERVER-MODE, and per cut the recovery times."""
import json
import os
import sys

d = sys.argv[1]
configs = [c for c in ("edge-sync", "knfsd-sync", "edge-async", "knfsd-async")
           if os.path.exists(os.path.join(d, c, "client", "verify.json"))]
res = {c: json.load(open(os.path.join(d, c, "client", "verify.json"))) for c in configs}
cuts = {c: [l.rstrip("\n").split("\t") for l in open(os.path.join(d, c, "cuts.tsv"))] for c in configs}

print("| workload (lost / acknowledged) | " + " | ".join(configs) + " |")
print("|---|" + "---|" * len(configs))
for w in ("applog", "rename", "sqlite", "bigwrite", "openfile", "lock", "dirops"):
    cells = []
    for c in configs:
        r = res[c].get(w, {})
        unit = " bytes" if w == "bigwrite" else ""
        cell = "%s / %s%s" % (r.get("lost"), r.get("acked"), unit)
        if w == "sqlite":
            cell += ", integrity " + ("ok" if "integrity_check: ok" in r.get("detail", "") else "NOT ok")
        if r.get("error"):
            cell += "; client error: " + r["error"].split(" ", 1)[1][:60]
        if "retransmitted" in r.get("detail", ""):
            cell += "; " + r["detail"].split("; ")[-1]
        cells.append(cell)
    print("| %s | %s |" % (w, " | ".join(cells)))
print()
print("| boot | " + " | ".join("%s: power-on to serving / to first served client call (s)" % c for c in configs) + " |")
print("|---|" + "---|" * len(configs))
n = max(len(v) for v in cuts.values())
for i in range(n):
    row = []
    for c in configs:
        if i < len(cuts[c]):
            k = cuts[c][i]
            load = " (host load %s)" % k[5] if len(k) > 5 else ""
            row.append("%s / %s%s" % (k[2], k[3], load) if k[1] == "cut" else "%s / -%s" % (k[2], load))
        else:
            row.append("")
    print("| %s | %s |" % ("first boot" if i == 0 else "cut %d" % i, " | ".join(row)))
