"""A sliced, resumable job: 1,000 rows in slices of 100, each slice committed
in the same transaction as its checkpoint.

Because work and checkpoint commit together, a crash can only lose the slice
that was in flight, and that slice's partial writes roll back with it. The
restarted job reads the checkpoint and carries on: nothing finished is redone,
nothing is counted twice.

Run it:  python docs/examples/time-consuming-jobs/sliced_job.py
"""

from __future__ import annotations

import sqlite3
from typing import Callable

# --8<-- [start:slicing]
class Crash(Exception):
    """Stands in for a killed worker: raised inside a slice, before its commit."""


def make_store(n_items: int = 1000) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.executescript(
        """
        CREATE TABLE item (id INTEGER PRIMARY KEY, value INTEGER NOT NULL,
                           archived INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE checkpoint (job TEXT PRIMARY KEY, last_id INTEGER NOT NULL,
                                 partial INTEGER NOT NULL, done INTEGER NOT NULL);
        """
    )
    with db:
        db.executemany("INSERT INTO item (id, value) VALUES (?, ?)",
                       [(i, i) for i in range(1, n_items + 1)])
    return db


class SlicedJob:
    """Archive every item and total the squares of their values, one short slice at a time."""

    def __init__(self, db: sqlite3.Connection, job: str, slice_size: int = 100,
                 log: Callable[[str], None] = print) -> None:
        self.db, self.job, self.slice_size, self.log = db, job, slice_size, log
        self.total = db.execute("SELECT count(*) FROM item").fetchone()[0]
        self.crash_in_slice: int | None = None  # fault injection for the demo and tests
        self.attempted = 0  # rows touched, including work that was rolled back
        with db:
            db.execute("INSERT OR IGNORE INTO checkpoint VALUES (?, 0, 0, 0)", (job,))

    def checkpoint(self) -> tuple[int, int, int]:
        """(last id committed, partial result, rows done) as last committed."""
        return self.db.execute("SELECT last_id, partial, done FROM checkpoint WHERE job = ?",
                               (self.job,)).fetchone()

    def run_slice(self) -> bool:
        """Process the next slice in one transaction. False when nothing is left."""
        last_id, partial, done = self.checkpoint()
        # Keyset pagination: cost does not grow with depth, unlike OFFSET.
        rows = self.db.execute("SELECT id, value FROM item WHERE id > ? ORDER BY id LIMIT ?",
                               (last_id, self.slice_size)).fetchall()
        if not rows:
            return False
        number = done // self.slice_size + 1
        span = f"slice {number:2d}: items {rows[0][0]:4d}-{rows[-1][0]:4d}"
        try:
            with self.db:  # the slice's work and its checkpoint commit together or not at all
                self.db.execute("UPDATE item SET archived = archived + 1 WHERE id BETWEEN ? AND ?",
                                (rows[0][0], rows[-1][0]))
                self.attempted += len(rows)
                if number == self.crash_in_slice:
                    self.crash_in_slice = None
                    raise Crash(f"worker killed during slice {number}")
                partial += sum(value * value for _, value in rows)
                done += len(rows)
                self.db.execute("UPDATE checkpoint SET last_id = ?, partial = ?, done = ? WHERE job = ?",
                                (rows[-1][0], partial, done, self.job))
        except Crash:
            self.log(f"  {span}  CRASH before commit -> slice rolled back")
            raise
        self.log(f"  {span}  committed, checkpoint {rows[-1][0]:4d}  ({100 * done // self.total}%)")
        return True

    def run(self) -> int:
        """Start or resume from the checkpoint and run to the end; returns the result."""
        _, _, done = self.checkpoint()
        verb = "resuming from checkpoint" if done else "starting"
        self.log(f"run: {verb}, {done} of {self.total} rows done")
        while self.run_slice():
            pass
        return self.checkpoint()[1]
# --8<-- [end:slicing]


# --8<-- [start:demo]
def main() -> None:
    db = make_store(1000)
    job = SlicedJob(db, "archive-2026-11")
    job.crash_in_slice = 5
    try:
        job.run()
    except Crash as exc:
        print(f"run stopped: {exc}; checkpoint still says {job.checkpoint()[2]} rows done")
    result = job.run()  # a restarted worker: same job id, so same checkpoint

    unsliced = sum(v * v for v in range(1, 1001))
    archived = db.execute("SELECT count(*) FROM item WHERE archived = 1").fetchone()[0]
    twice = db.execute("SELECT count(*) FROM item WHERE archived > 1").fetchone()[0]
    print(f"result {result:,} = unsliced {unsliced:,}: {result == unsliced}")
    print(f"rows archived once: {archived}, more than once: {twice}; "
          f"rows touched: {job.attempted} (the crashed slice's 100 were rolled back)")
    assert result == unsliced and archived == 1000 and twice == 0
# --8<-- [end:demo]


if __name__ == "__main__":
    main()
