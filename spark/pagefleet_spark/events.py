"""The reader's output: one JSON object a line on stdout (`started`, `waiting`, `batch`, `skipped`,
`replayed`, `stopped`), read by people, tests and the freshness benchmark."""
import json
import time


def log(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, "ts": time.time(), **fields}), flush=True)
