"""The seed repositories' approach, as the baseline pagefleet is measured against.

usage: seed-baseline.py URL PAGES OUT_DIR   ->  one JSON line on stdout: {"pages", "records", "maxRequestGapMs"}

One requests.Session shared by a ThreadPoolExecutor(8) over pages 1..PAGES; each page's records array is
written uncompressed to its own file OUT_DIR/page_<N>.json. Nothing else: no retries, no rate limit, no
ledger. The only additions are timestamps (list appends) of each request start and of the first answer, for
the longest gap between two request starts once the first page is in (as pagefleet and the bare fetcher
measure it: the first 8 requests leave together, and the 9th waits for the first answer).
"""
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

url, pages, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
session = requests.Session()
starts = []
answered = []


def fetch(page):
    starts.append(time.monotonic())
    response = session.get(url, params={"page": page}, timeout=30)
    answered.append(time.monotonic())
    response.raise_for_status()
    records = response.json()["results"]
    with open(os.path.join(out_dir, f"page_{page}.json"), "w") as f:
        json.dump(records, f)
    return len(records)


with ThreadPoolExecutor(8) as pool:
    records = sum(pool.map(fetch, range(1, pages + 1)))

starts.sort()
first_answer = min(answered, default=0.0)
gap = max((b - a for a, b in zip(starts, starts[1:]) if b > first_answer), default=0.0)
print(json.dumps({"pages": pages, "records": records, "maxRequestGapMs": round(gap * 1000)}))
