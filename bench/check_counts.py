#!/usr/bin/env python3
"""Exactness check after a wrk run: every tenant's count against the distinct ids the wrk threads sent.

usage: check_counts.py SENT_FILE BASE_URL (countapp|webdis) BATCH CONNECTIONS

A count may never exceed the ids sent (a pair counted twice), and all counts together may fall short of
the ids sent only by what the requests still in flight when wrk stopped carried (their answers were not
awaited). Prints one line and exits 1 on a violation.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request


def count(base, kind, tenant):
    t = urllib.parse.quote(tenant, safe="")
    url = f"{base}/items/{t}/count" if kind == "countapp" else f"{base}/SCARD/{t}"
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            doc = json.load(r)
    except urllib.error.HTTPError as e:
        sys.exit(f"exactness {kind}: GET {url} answered {e.code}: {e.read().decode(errors='replace')}")
    return doc["count"] if kind == "countapp" else doc["SCARD"]


def main():
    sent_file, base, kind, batch, connections = sys.argv[1:6]
    in_flight = int(batch) * int(connections)
    sent_total = counted_total = 0
    problems = []
    for line in open(sent_file):
        tenant, sent = line.split()
        sent = int(sent)
        c = count(base, kind, tenant)
        sent_total += sent
        counted_total += c
        if c > sent:
            problems.append(f"{tenant}: count {c} > {sent} distinct ids sent")
    if sent_total - counted_total > in_flight:
        problems.append(f"counted {counted_total} of {sent_total} sent: more missing than the {in_flight} items in flight")
    verdict = "OK" if not problems else "FAILED: " + "; ".join(problems[:5])
    print(f"exactness {kind}: sent {sent_total}, counted {counted_total} -> {verdict}")
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
