#!/usr/bin/env python3
"""Print the benchmark table (Markdown) from run.sh's results TSV: backend, metric, value.

Targets (issue 2): list throughput >= 100x Redmine's, p99 < 50 ms at 64 connections, zero failed
writes under concurrent actions, resident memory < 1/10 of Redmine's, cold start < 0.5 s. Without a
Redmine measurement in the same run, Redmine's documented figures (peer README) stand in, marked."""
import re
import sys
from collections import defaultdict

path, conns = sys.argv[1], sys.argv[2].split()
r = defaultdict(dict)
for line in open(path, encoding="utf-8"):
    parts = line.rstrip("\n").split("\t")
    if len(parts) == 3:
        r[parts[0]][parts[1]] = parts[2]

# Redmine's figures measured on this machine kind (peer README), used only when not run.
REDMINE_REF = {"list.c16.rps": "17", "list.c64.rps": "17.5", "rss_idle_mib": "327", "rss_after_mib": "480", "cold_start_ms": "2450"}
have_redmine = "redmine" in r and "list.c16.rps" in r["redmine"]
if not have_redmine:
    r["redmine (README)"] = dict(REDMINE_REF)
peer = "redmine" if have_redmine else "redmine (README)"
cols = [b for b in ("sqlite", "postgres") if b in r] + [peer]
names = {"sqlite": "tongchou SQLite", "postgres": "tongchou PostgreSQL", "redmine": "Redmine 5 (this run)",
         "redmine (README)": "Redmine 5 (README figures)"}


def ms(v):
    """A latency in ms from µs (tongchou) or wrk's '1.23s' / '620.00ms' / '950.00us' (Redmine)."""
    if v is None or v == "":
        return None
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)?", v)
    if not m:
        return None
    x, unit = float(m.group(1)), m.group(2)
    return {None: x / 1000, "us": x / 1000, "ms": x, "s": x * 1000, "m": x * 60000}[unit]


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def fmt_ms(x):
    return "–" if x is None else (f"{x:.1f} ms" if x < 1000 else f"{x / 1000:.1f} s")


def get(b, k):
    return r[b].get(k)


rows = []
for c in conns:
    for name, label in (("list", "GET /projects?page_size=100"), ("one", "GET /projects/{id}"), ("actions", "POST lifecycle actions")):
        if name == "list" or name == "one" or name == "actions":
            peer_label = {"list": "Redmine: GET /projects.json?limit=100", "one": "Redmine: GET /issues/{id}.json",
                          "actions": "Redmine: POST /issues.json"}[name]
        rows.append((f"{label}, {c} conns: req/s", [get(b, f"{name}.c{c}.rps") or "–" for b in cols]))
        lat = []
        for b in cols:
            p50, p99 = get(b, f"{name}.c{c}.p50_us") or get(b, f"{name}.c{c}.p50"), get(b, f"{name}.c{c}.p99_us") or get(b, f"{name}.c{c}.p99")
            lat.append("–" if p50 is None else f"{fmt_ms(ms(p50))} / {fmt_ms(ms(p99))}")
        rows.append((f"{label}, {c} conns: p50 / p99", lat))
        if name == "actions":
            fails = []
            for b in cols:
                if b.startswith("redmine"):
                    n, req = get(b, f"actions.c{c}.non2xx"), get(b, f"actions.c{c}.requests")
                    fails.append("–" if n is None else f"{n} of {req} (HTTP 500)")
                else:
                    f = get(b, f"actions.c{c}.failed_writes")
                    fails.append("–" if f is None else f"{f} of {get(b, f'actions.c{c}.requests')} "
                                 f"(409 on races: {get(b, f'actions.c{c}.race_409')} of {get(b, f'actions.c{c}.races')}; "
                                 f"409 on own: {get(b, f'actions.c{c}.owned_409')})")
            rows.append((f"{label}, {c} conns: failed writes", fails))
rows.append(("resident memory idle", [f"{get(b, 'rss_idle_mib')} MiB" if get(b, "rss_idle_mib") else "–" for b in cols]))
rows.append(("resident memory after two sign-ins", [f"{get(b, 'rss_signed_in_mib')} MiB" if get(b, "rss_signed_in_mib") else "–" for b in cols]))
rows.append(("resident memory after load", [f"{get(b, 'rss_after_mib')} MiB" if get(b, "rss_after_mib") else "–" for b in cols]))
rows.append(("cold start (launch → first 200)", [fmt_ms(num(get(b, "cold_start_ms"))) for b in cols]))
rows.append(("list: total rows / response bytes", [f"{get(b, 'list_total')} / {get(b, 'list_bytes')}" if get(b, "list_total") else "–" for b in cols]))

print("| measure | " + " | ".join(names[b] for b in cols) + " |")
print("|---|" + "---|" * len(cols))
for label, vals in rows:
    print(f"| {label} | " + " | ".join(vals) + " |")
print()
print("Redmine's columns: list = GET /projects.json?limit=100, one = GET /issues/{id}.json, actions = POST /issues.json (creates).")
print()

# Targets.
print("| target | " + " | ".join(names[b] for b in cols if not b.startswith("redmine")) + " |")
print("|---|" + "---|" * (len(cols) - 1))


def verdict(ok, text):
    return f"{'PASS' if ok else 'MISS'}: {text}"


tc = [b for b in cols if not b.startswith("redmine")]
lines = []
cells = []
for b in tc:
    parts, ok = [], True
    for c in conns:
        x, p = num(get(b, f"list.c{c}.rps")), num(get(peer, f"list.c{c}.rps")) or num(REDMINE_REF[f"list.c{c}.rps"] if f"list.c{c}.rps" in REDMINE_REF else None)
        if x is None or not p:
            parts.append(f"c{c} –"); ok = False; continue
        parts.append(f"c{c} {x:.0f}/s = {x / p:.0f}×"); ok = ok and x / p >= 100
    cells.append(verdict(ok, ", ".join(parts)))
lines.append(("list throughput ≥ 100× Redmine's", cells))
cells = []
c64 = conns[-1]
for b in tc:
    l99, o99 = ms(get(b, f"list.c{c64}.p99_us")), ms(get(b, f"one.c{c64}.p99_us"))
    ok = l99 is not None and o99 is not None and l99 < 50 and o99 < 50
    cells.append(verdict(ok, f"list {fmt_ms(l99)} ({(l99 or 0) / 50:.2f} of 50 ms), one {fmt_ms(o99)}"))
lines.append((f"p99 < 50 ms at {c64} connections (reads)", cells))
cells = []
for b in tc:
    fails = [num(get(b, f"actions.c{c}.failed_writes")) for c in conns]
    ok = all(f == 0 for f in fails)
    cells.append(verdict(ok, " + ".join("–" if f is None else f"{f:.0f}" for f in fails) + " failed"))
lines.append(("zero failed writes under concurrent actions", cells))
for key, label in (("rss_idle_mib", "memory idle < 1/10 of Redmine's idle"), ("rss_after_mib", "memory after load < 1/10 of Redmine's after load")):
    cells = []
    for b in tc:
        x, p = num(get(b, key)), num(get(peer, key))
        ok = x is not None and p is not None and x < p / 10
        cells.append(verdict(ok, f"{x} MiB vs {p} MiB = 1/{p / x:.1f}" if x and p else "–"))
    lines.append((label, cells))

cells = []
for b in tc:
    x = num(get(b, "cold_start_ms"))
    cells.append(verdict(x is not None and x < 500, f"{fmt_ms(x)} ({(x or 0) / 500:.2f} of 0.5 s)"))
lines.append(("cold start < 0.5 s", cells))
for label, vals in lines:
    print(f"| {label} | " + " | ".join(vals) + " |")
