"""What scripts/demo.sh reads back after the Spark part of the demo (delta-rs, no Spark, no pyarrow).

  demo_readback.py table PATH                 the curated Delta table: rows, distinct ids, runs, versions
  demo_readback.py caught-up LOG LANDED_DIR   exit 0 once the reader has taken every landed marker
  demo_readback.py stream LOG EXECUTORS_DONE  the reader's micro-batches, and how many ran while the
                                              executors wrote (EXECUTORS_DONE: a Unix time in seconds)

LOG is the reader's stdout (spark/reader.py: one JSON event a line); LANDED_DIR is
<landing>/_pagefleet/<dataset>/landed/<format>.
"""
import json
import os
import statistics
import sys


def reader_events(log_path, event):
    """The reader's events of one kind; lines that are not events (Spark's own output) are skipped."""
    found = []
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("{") and f'"event": "{event}"' in line:
                try:
                    found.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    return found


def landed_markers(landed_dir):
    """How many landed markers exist: each names one committed file the reader must take."""
    count = 0
    for _, _, names in os.walk(landed_dir):
        count += sum(1 for n in names if n.endswith(".json") and not n.startswith((".", "_")))
    return count


def caught_up(log_path, landed_dir):
    batches = reader_events(log_path, "batch")
    taken = sum(b.get("files", 0) + b.get("skipped", 0) for b in batches)
    return taken >= landed_markers(landed_dir) > 0


def stream_summary(log_path, executors_done):
    batches = [b for b in reader_events(log_path, "batch") if b.get("files", 0) > 0]
    if not batches:
        return "the reader committed no batch"
    # a batch's event is logged when it commits; it began `seconds` earlier
    began_during = sum(1 for b in batches if b["ts"] - b.get("seconds", 0) < executors_done)
    files = sum(b["files"] for b in batches)
    freshness = [s for b in batches for s in b.get("freshness_s", [])]
    line = f"{len(batches)} micro-batches took {files} files, {began_during} of them began while the executors were still writing"
    if freshness:
        line += f"; a file's rows were in the table {statistics.median(freshness):.1f} s (median) after it landed"
    return line


def table_summary(path):
    from deltalake import DeltaTable, QueryBuilder

    table = DeltaTable(path)
    sql = "select count(*) as n_rows, count(distinct id) as ids, count(distinct _pf_run_id) as runs, min(id) as lo, max(id) as hi from t"
    result = QueryBuilder().register("t", table).execute(sql).read_all()
    value = {name: result.column(name)[0].as_py() for name in result.column_names}
    verdict = "each record once" if value["n_rows"] == value["ids"] else f"{value['n_rows'] - value['ids']} rows repeat an id"
    return (f"{value['n_rows']} rows, {value['ids']} distinct ids ({verdict}), ids {value['lo']}..{value['hi']}, "
            f"{value['runs']} run(s), Delta version {table.version()}")


def main(argv):
    if len(argv) == 2 and argv[0] == "table":
        print(table_summary(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "caught-up":
        return 0 if caught_up(argv[1], argv[2]) else 1
    if len(argv) == 3 and argv[0] == "stream":
        print(stream_summary(argv[1], float(argv[2])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    code = main(sys.argv[1:])
    # delta-rs may abort at interpreter teardown ("terminate called without an active exception", a
    # native thread still joinable; delta-io/delta-rs#2184): the answer is out, so skip the teardown
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
