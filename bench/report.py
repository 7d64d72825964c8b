#!/usr/bin/env python3
"""Turns bench/run.sh's results.tsv (name, run, value) into the markdown table of BENCHMARKS.md."""
import statistics
import sys
from collections import defaultdict

runs = defaultdict(dict)
for line in open(sys.argv[1]):
    name, rep, value = line.rstrip("\n").split("\t")
    if value:
        runs[name].setdefault(int(rep), [])
        runs[name][int(rep)].append(float(value))


def vals(name):
    return [v for rep in sorted(runs[name]) for v in runs[name][rep]]


def med(name):
    v = vals(name)
    return statistics.median(v) if v else float("nan")


def ratios(num, den):
    """Per-run ratio num/den (same repetition), median of them."""
    out = []
    for rep in sorted(runs[num]):
        if rep in runs[den] and runs[den][rep][0] > 0:
            out.append(runs[num][rep][0] / runs[den][rep][0])
    return statistics.median(out) if out else float("nan"), out


def k(x):
    return f"{x/1000:,.1f} k" if x >= 1000 else f"{x:,.0f}"


def each(name, fmt=k):
    return " / ".join(fmt(v) for v in vals(name))


def ok(cond):
    return "**met**" if cond else "**missed**"


rows = []
b100 = med("batch100_items")
r_plain, r_plain_all = ratios("batch100_items", "redis_plain_p64")
r_aof, _ = ratios("batch100_items", "redis_aof_p64")
r_raw, _ = ratios("batch100_items", "raw_rocks_batch100")
rows.append((
    "100-item batches via the coordinator (items/s)",
    f"{k(b100)} ({each('batch100_items')})",
    f"redis -P 64 sadd: {k(med('redis_plain_p64'))} ({each('redis_plain_p64')}); with AOF everysec: {k(med('redis_aof_p64'))}; "
    f"raw RocksDB multi-get+batch of 100: {k(med('raw_rocks_batch100'))}",
    f"{r_plain:.2f}× redis ({r_aof:.2f}× AOF); {r_raw:.2f}× raw RocksDB",
    "≥ 400 k items/s and ≥ 0.5× redis -P 64",
    ok(b100 >= 400_000 and r_plain >= 0.5),
))
single = med("single_reqs")
s_plain, _ = ratios("single_reqs", "redis_plain_p1")
s_aof, _ = ratios("single_reqs", "redis_aof_p1")
s_raw, _ = ratios("single_reqs", "raw_rocks_single")
rows.append((
    "single-item POSTs via the coordinator (req/s)",
    f"{k(single)} ({each('single_reqs')})",
    f"redis -c 32 -P 1 sadd: {k(med('redis_plain_p1'))} ({each('redis_plain_p1')}); with AOF everysec: {k(med('redis_aof_p1'))}; "
    f"raw RocksDB get-then-put: {k(med('raw_rocks_single'))}",
    f"{s_plain:.2f}× redis ({s_aof:.2f}× AOF); {s_raw:.2f}× raw RocksDB",
    "≥ 25 k req/s and ≥ 0.25× redis -P 1",
    ok(single >= 25_000 and s_plain >= 0.25),
))
count = med("count_reqs")
rows.append((
    "count GETs via the coordinator (req/s)",
    f"{k(count)} ({each('count_reqs')})",
    "—", "—", "≥ 40 k req/s", ok(count >= 40_000),
))
ms = lambda v: f"{v:.2f}"
for key, label in (("b100", "100-item batches"), ("single", "single-item POSTs")):
    if runs[f"open_{key}_p99"]:
        p99 = med(f"open_{key}_p99")
        rows.append((
            f"open-loop latency, {label}, at half of the same repetition's max ({each(f'open_{key}_rate')} req/s)",
            f"p50 {med(f'open_{key}_p50'):.2f} ms, p99 {p99:.2f} ms (p99s: {each(f'open_{key}_p99', ms)})",
            "—", "—", "p99 ≤ 5 ms", ok(p99 <= 5),
        ))
if runs["rss_start"]:
    # An idle worker must stay under the target both fresh and after the load (once its idle trim ran).
    worst = max(vals("rss_start") + vals("rss_after"))
    rows.append((
        "idle worker RSS (MB), each worker",
        f"after start: {each('rss_start', lambda v: f'{v:.0f}')}; idle after the load: {each('rss_after', lambda v: f'{v:.0f}')}",
        "—", "—", "≤ 150 MB", ok(worst <= 150),
    ))
if runs["disk_bytes"]:
    items = med("disk_items")
    per = med("disk_bytes") / items
    rows.append((
        f"bytes per item on disk ({items/1e6:.1f} M distinct items, workers closed)",
        f"{per:.1f} B/item ({med('disk_bytes')/1e6:.1f} MB)",
        "—", "—", "≤ 40 B/item", ok(per <= 40),
    ))

print()
print("| scenario | CountApp: median (each run) | same-run reference: median (each run) | ratio (median of per-run ratios) | target | |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
