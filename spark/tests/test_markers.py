"""markers.py: which landed markers count, against block logs and files on a real folder (real Spark
Hadoop file system; the entries are written as the fetcher writes them, one create-once JSON each)."""
import json

import pytest

from pagefleet_spark import reader
from pagefleet_spark.markers import BlockLogs, MarkerError, counted_markers, parse_marker, verdict

CLAIM = {"kind": "claim", "session": "e000-aaaaaa", "executor": 0, "at": "2026-01-01T00:00:00Z"}


def commit(file):
    return {"kind": "commit", "session": "e000-aaaaaa", "executor": 0, "format": "parquet", "file": file, "pages": [1], "records": 1, "bytes": 5}


def test_verdict_follows_the_order_of_the_log():
    a, b = "movies/parquet/a.parquet", "movies/parquet/b.parquet"
    log = [CLAIM, commit(a), commit(b), {"kind": "void", "file": b, "reason": "duplicate", "at": ""}]
    assert verdict(log, a) == "counted"
    assert verdict(log, b) == "voided"
    assert verdict(log, "movies/parquet/c.parquet") == "uncommitted"
    takeover = [CLAIM, commit(a), {**CLAIM, "session": "e000-bbbbbb", "voids": [a]}]
    assert verdict(takeover, a) == "voided", "a claim that took the block over voids the file it did not see"
    assert verdict([{"kind": "void", "file": a}, commit(a)], a) == "counted", "only a LATER entry voids"


def test_parse_marker_refuses_what_is_not_a_commit_entry():
    m = parse_marker("m.json", json.dumps({**commit("f"), "run_id": "r1", "block": 3}).encode())
    assert (m["block"], m["marker"]) == (3, "m.json")
    with pytest.raises(MarkerError, match="status --repair"):
        parse_marker("torn.json", b'{"kind":"comm')
    with pytest.raises(MarkerError):
        parse_marker("claim.json", json.dumps({**CLAIM, "run_id": "r1", "block": 0}).encode())


def write_log(root, block, entries):
    folder = root / f"_pagefleet/movies/run_id=r1/blocks/b{block:07d}"
    folder.mkdir(parents=True, exist_ok=True)
    for version, e in enumerate(entries, 1):
        (folder / f"{version:06d}.json").write_text(json.dumps(e))


def test_counted_markers_keeps_only_committed_unvoided_present_files(spark, workdir):
    root = workdir
    names = {n: f"movies/parquet/ingest_date=2026-01-01/run_id=r1/part-e000-aaaaaa-b000000{b}-000{i}.parquet"
             for i, (n, b) in enumerate([("ok", 0), ("voided", 0), ("gone", 0), ("resized", 1), ("taken", 1), ("ok2", 1)], 1)}
    for n, f in names.items():
        if n != "gone":
            (root / f).parent.mkdir(parents=True, exist_ok=True)
            (root / f).write_bytes(b"12345" if n != "resized" else b"123456")
    write_log(root, 0, [CLAIM, commit(names["ok"]), commit(names["voided"]), commit(names["gone"]),
                        {"kind": "void", "file": names["voided"], "reason": "duplicate", "at": ""}])
    write_log(root, 1, [CLAIM, commit(names["resized"]), commit(names["taken"]),
                        {**CLAIM, "session": "e000-bbbbbb", "voids": [names["taken"]]}, commit(names["ok2"])])
    block = {n: int(f.split("-b")[1][:7]) for n, f in names.items()}
    markers = [{**commit(f), "run_id": "r1", "block": block[n], "marker": n} for n, f in names.items()]
    markers.append({**commit("movies/parquet/ingest_date=2026-01-01/run_id=r1/hand-made.parquet"), "run_id": "r1", "block": 0, "marker": "hand"})
    logs = BlockLogs(spark, str(root), "movies")
    counted, skipped = counted_markers(spark, str(root), logs, markers)
    assert sorted(m["marker"] for m in counted) == ["ok", "ok2"]
    reasons = {m["marker"]: r for m, r in skipped}
    assert reasons == {"voided": "voided", "taken": "voided", "hand": "uncommitted", "gone": "file missing",
                       "resized": "file has 6 bytes, its commit 5"}

    # entries are create-once: a later batch reads only the new ones, and sees a void appended since
    write_log(root, 1, [CLAIM, commit(names["resized"]), commit(names["taken"]),
                        {**CLAIM, "session": "e000-bbbbbb", "voids": [names["taken"]]}, commit(names["ok2"]),
                        {"kind": "void", "file": names["ok2"], "reason": "records differ", "at": ""}])
    counted, _ = counted_markers(spark, str(root), logs, [m for m in markers if m["marker"] == "ok2"])
    assert counted == []


def test_the_marker_stream_skips_a_listed_marker_that_repair_deleted(spark, workdir):
    """reader.marker_stream with available-now lists every marker first; one deleted after that (repair
    voided its file) leaves its batch empty instead of failing the stream, and fetcher temp files
    (`.name.tmp`) are never read."""
    landed = workdir / "landed/parquet"
    for name in ("a", "b", "c"):
        (landed / "run_id=r1").mkdir(parents=True, exist_ok=True)
        (landed / f"run_id=r1/{name}.parquet.json").write_text(json.dumps({"name": name}))
    (landed / "run_id=r1/.d.parquet.json.tmp").write_text("{}")  # a temp file of the fetcher: never read
    seen, deleted = [], []

    def batch(df, batch_id):
        seen.append(sorted(json.loads(bytes(r.content))["name"] for r in df.collect()))
        if batch_id == 0:  # delete a marker a later batch holds
            deleted.append(next(n for n in ("a", "b", "c") if n not in seen[0]))
            (landed / f"run_id=r1/{deleted[0]}.parquet.json").unlink()

    query = (reader.marker_stream(spark, str(landed), 1).writeStream.foreachBatch(batch)
             .option("checkpointLocation", str(workdir / "ckpt")).trigger(availableNow=True).start())
    query.awaitTermination()
    assert len(seen) == 3 and seen.count([]) == 1, f"one batch found its marker gone: {seen}"
    assert sorted(n for names in seen for n in names) == sorted({"a", "b", "c"} - set(deleted))
