#!/usr/bin/env python3
"""Turns bench/run.sh's results.tsv (name, run, value) into the markdown table of BENCHMARKS.md."""
import math
import statistics
import sys
from collections import defaultdict

runs = defaultdict(dict)
for line in open(sys.argv[1]):
    name, rep, value = line.rstrip("\n").split("\t")
    if value:
        runs[name].setdefault(int(rep), []).append(float(value))


def vals(name):
    return [v for rep in sorted(runs[name]) for v in runs[name][rep]]


def med(name):
    v = vals(name)
    return statistics.median(v) if v else float("nan")


def ratio(num, den, scale=1.0):
    """Median of the per-repetition ratios num/den (both measured in the same repetition)."""
    out = [scale * runs[num][r][0] / runs[den][r][0] for r in sorted(runs[num]) if r in runs[den] and runs[den][r][0] > 0]
    return (statistics.median(out) if out else float("nan")), out


def k(x):
    return "—" if math.isnan(x) else (f"{x/1000:,.1f} k" if x >= 1000 else f"{x:,.1f}")


def each(name, fmt=k):
    return " / ".join(fmt(v) for v in vals(name))


def ok(cond):
    return "**met**" if cond else "**missed**"


rows = []


def versus(label, ca, ref, ref_label, target, scale=1.0, unit_scale=1.0):
    if not runs[ca]:
        return
    r, per = ratio(ca, ref, scale)
    rows.append((label,
                 f"{k(med(ca) * unit_scale)} ({each(ca, lambda v: k(v * unit_scale))})",
                 f"{ref_label}: {k(med(ref))} ({each(ref)})",
                 f"{r:.2f}× ({' / '.join(f'{x:.2f}' for x in per)})",
                 f"≥ {target}×", ok(r >= target)))


versus("single-item POSTs (req/s)", "ca_single", "wd_single", "webdis SADD of 1 id", 1.0)
versus("count GETs (req/s)", "ca_count", "wd_count", "webdis SCARD", 1.0)
versus("100 items of one tenant per request (items/s)", "ca_batch", "wd_batch", "webdis SADD of 100 ids (req/s)", 1.0,
       unit_scale=100)
versus("the same with 90 % re-sent ids (items/s)", "ca_dup", "wd_dup", "webdis SADD of 100 ids, 90 % re-sent (req/s)", 1.0,
       unit_scale=100)
versus("100 items over 100 tenants per request (items/s)", "ca_spread", "redis_p64", "redis-benchmark -P 64 sadd (ops/s)",
       0.5, scale=100, unit_scale=100)
ms = lambda v: f"{v:.2f}"
for key, label in (("single", "single-item POSTs"), ("batch", "100-item batches")):
    if runs[f"open_{key}_p99"]:
        p99 = med(f"open_{key}_p99")
        rows.append((f"open-loop latency, {label}, at half of the same repetition's max ({each(f'open_{key}_rate')} req/s)",
                     f"p50 {med(f'open_{key}_p50'):.2f} ms, p99 {p99:.2f} ms (p99s: {each(f'open_{key}_p99', ms)})",
                     "—", "—", "p99 ≤ 5 ms", ok(p99 <= 5)))
if runs["redis_bytes_per_member"]:
    redis = med("redis_bytes_per_member")
    index = med("ca_index_bytes_per_pair")
    heap = med("ca_heap_bytes_per_pair")
    kept = max(index, heap)
    rows.append(("memory per stored item (1 M ids over 100 tenants)",
                 f"index {index:.1f} B/pair; worker heap growth {heap:.1f} B/pair",
                 f"Redis used_memory: {redis:.1f} B/member", f"{kept / redis:.2f}×", "≤ 0.33×", ok(kept <= redis / 3)))
if runs["disk_bytes"]:
    items = med("disk_items")
    per = med("disk_bytes") / items
    rows.append((f"bytes per item on disk ({items/1e6:.1f} M distinct items, workers closed)",
                 f"{per:.1f} B/item ({med('disk_bytes')/1e6:.1f} MB)", "—", "—", "≤ 40 B/item", ok(per <= 40)))
if runs["rss_start"]:
    worst = max(vals("rss_start") + vals("rss_after"))
    rows.append(("idle worker RSS (MB), each worker",
                 f"after start: {each('rss_start', lambda v: f'{v:.0f}')}; idle after the load: {each('rss_after', lambda v: f'{v:.0f}')}",
                 "—", "—", "≤ 150 MB", ok(worst <= 150)))
if runs["growth_unique_big"]:
    stored = med("growth_stored")
    for kind, label in (("unique", "unique ids"), ("dup", "90 % re-sent ids")):
        big, small = med(f"growth_{kind}_big"), med(f"growth_{kind}_1m")
        rows.append((f"cost growth, 100-item batches of {label}: {stored/1e6:.0f} M stored against 1 M (items/s)",
                     f"{k(big * 100)} at {stored/1e6:.0f} M", f"{k(small * 100)} at 1 M", f"{big / small:.2f}×", "≥ 0.7×",
                     ok(big / small >= 0.7)))
versus("Redis backend: single-item POSTs (req/s)", "rb_single", "rbwd_single", "webdis on the same Redis", 0.8)
versus("Redis backend: 100 items of one tenant (items/s)", "rb_batch", "rbwd_batch", "webdis on the same Redis (req/s)", 0.8,
       unit_scale=100)


def reported(label, num, den, den_label, unit_scale):
    """A row that reports num against den, measured in the same repetitions, with no target."""
    r, per = ratio(num, den)
    rows.append((label, f"{k(med(num) * unit_scale)} ({each(num, lambda v: k(v * unit_scale))})",
                 f"{den_label}: {k(med(den) * unit_scale)} ({each(den, lambda v: k(v * unit_scale))})",
                 f"{r:.2f}× ({' / '.join(f'{x:.2f}' for x in per)})", "reported", ""))


for key, label, unit_scale in (("single", "single-item POSTs (req/s)", 1), ("batch", "100 items of one tenant (items/s)", 100)):
    if runs[f"rbbase_{key}"]:
        reported(f"Redis backend against REDIS_BASELINE_JAR: {label}", f"rb_{key}", f"rbbase_{key}", "baseline", unit_scale)
        versus(f"Redis backend, baseline: {label}", f"rbbase_{key}", f"rbwd_{key}", "webdis on the same Redis", 0.8,
               unit_scale=unit_scale)
    if runs[f"win_on_{key}"]:
        reported(f"windows {{day: 35, month: 13}} on: {label}", f"win_on_{key}", f"win_off_{key}", "windows off", unit_scale)
if runs["win_on_pairs"]:
    pairs_on, pairs_off = med("win_on_pairs"), med("win_off_pairs")
    mem = (med("win_on_index_bytes") / pairs_on - med("win_off_index_bytes") / pairs_off) / 2
    disk = (med("win_on_disk_bytes") / pairs_on - med("win_off_disk_bytes") / pairs_off) / 2
    rows.append(("bytes per item per kept window (1 M items, each in one day and one month window)",
                 f"memory {mem:.1f} B, disk {disk:.1f} B", "windows off: 0", "—", "reported", ""))

print()
print("| scenario | CountApp: median (each run) | same-run reference: median (each run) | ratio: median (each run) | target | |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")
