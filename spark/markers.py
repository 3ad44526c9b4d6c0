"""Which landed markers of a micro-batch name a file that counts (docs/design.md, "Contract of the reader").

The fetcher writes a data file's landed marker, `_pagefleet/<dataset>/landed/<format>/run_id=R/<file>.json`,
after the file, holding the file's commit entry plus `run_id` and `block`. The block log
(`_pagefleet/<dataset>/run_id=R/blocks/b<block>/<version>.json`) stays the truth: a commit counts unless
a LATER entry of its block voids its file (a `void` naming it, or a `claim` whose `voids` lists it), and
only if its file exists. A marker can outlive that: repair voids a file after its marker was written, or
someone writes a marker by hand. So each batch checks its markers against the block logs and the files.
"""
import json
from concurrent.futures import ThreadPoolExecutor

from session import file_length, list_names, read_text

PARALLEL_READS = 8
"""Block log entries and file statuses fetched at once (each is one small request on S3)."""


class MarkerError(Exception):
    """A marker that cannot be read as a commit entry: the batch fails rather than skip a file silently."""


def parse_marker(path, content):
    """The marker's commit entry, with `marker` (its own path) added."""
    try:
        entry = json.loads(bytes(content).decode("utf-8"))
        entry["block"] = int(entry["block"])
        if entry.get("kind") != "commit" or not entry.get("file") or not entry.get("run_id"):
            raise ValueError("not a commit entry with file, run_id and block")
    except (ValueError, KeyError, TypeError) as e:
        raise MarkerError(f"landed marker {path} is not a commit entry ({e}): run pagefleet status --repair") from e
    entry["marker"] = path
    return entry


def verdict(entries, file):
    """Whether a block log (entries in version order) lets `file` count: "counted", "voided" (a later
    entry voids it) or "uncommitted" (no commit entry names it)."""
    committed = False
    for e in entries:
        if e.get("kind") == "commit" and e.get("file") == file:
            committed = True
        elif committed and voids(e, file):
            return "voided"
    return "counted" if committed else "uncommitted"


def voids(entry, file):
    if entry.get("kind") == "void":
        return entry.get("file") == file
    return entry.get("kind") == "claim" and file in (entry.get("voids") or [])


class BlockLogs:
    """Reads block logs through Spark's Hadoop file system. Entries are written create-once and never
    change, so each is fetched once per process; a batch lists the block's folder and reads new entries."""

    def __init__(self, spark, root, dataset):
        self.spark = spark
        self.control = f"{root}/_pagefleet/{dataset}"
        self.entries = {}  # path -> parsed entry (only what verdict needs)

    def folder(self, run_id, block):
        return f"{self.control}/run_id={run_id}/blocks/b{block:07d}"

    def read(self, keys):
        """{(run_id, block): entries in version order} for the given blocks."""
        listed = {key: [f"{self.folder(*key)}/{n}" for n in list_names(self.spark, self.folder(*key)) if n.endswith(".json")] for key in keys}
        new = [p for paths in listed.values() for p in paths if p not in self.entries]
        with ThreadPoolExecutor(PARALLEL_READS) as pool:
            for path, text in zip(new, pool.map(lambda p: read_text(self.spark, p), new)):
                self.entries[path] = essentials(text)
        return {key: [self.entries[p] for p in paths] for key, paths in listed.items()}


def essentials(text):
    """The fields of an entry a verdict needs; an unreadable entry voids nothing and commits nothing."""
    try:
        e = json.loads(text)
    except (TypeError, ValueError):
        return {"kind": "unreadable"}
    return {"kind": e.get("kind"), "file": e.get("file"), "voids": e.get("voids")}


def counted_markers(spark, root, logs, markers):
    """Splits a batch's markers into (counted, skipped): skipped is [(marker, reason)]. A marker counts
    when its block log commits its file and no later entry voids it, and the file exists with the size
    its commit states (a file of another size is not the one committed: `status` reports it, repair
    voids it)."""
    by_block = logs.read({(m["run_id"], m["block"]) for m in markers})
    counted, skipped = [], []
    for m in markers:
        v = verdict(by_block[(m["run_id"], m["block"])], m["file"])
        if v == "counted":
            counted.append(m)
        else:
            skipped.append((m, v))
    with ThreadPoolExecutor(PARALLEL_READS) as pool:
        lengths = list(pool.map(lambda m: file_length(spark, f"{root}/{m['file']}"), counted))
    present = []
    for m, length in zip(counted, lengths):
        if length is None:
            skipped.append((m, "file missing"))
        elif m.get("bytes") is not None and length != m["bytes"]:
            skipped.append((m, f"file has {length} bytes, its commit {m['bytes']}"))
        else:
            present.append(m)
    return present, skipped
