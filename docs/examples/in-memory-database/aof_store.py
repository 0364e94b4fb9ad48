"""A tiny in-memory key-value store made durable by an append-only log.

This is the idea behind Redis's AOF, reduced to a page of Python:

* every write is applied to a dict in memory *and* appended to a log file as
  one JSON line (`["set", key, value]` or `["del", key]`);
* on open, the dict is rebuilt by replaying the log from the start;
* the `fsync` policy decides when the log is forced from the OS page cache to
  the disk: after every write ("always"), at most once a second ("everysec",
  checked on each write here; Redis uses a background thread), or never ("no",
  the kernel flushes when it likes);
* `compact()` writes the current state to a temporary file, fsyncs it and
  renames it over the log, like `BGREWRITEAOF` (minus the fork).

A crash can leave half a record at the end of the log. Like Redis with
`aof-load-truncated yes`, the loader drops that torn tail. It also cuts the
file back to the last complete record: otherwise the next append would be
glued onto the fragment and become unreadable too. A bad record in the
*middle* of the log is real corruption and stops the load.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable, Literal

FsyncPolicy = Literal["always", "everysec", "no"]


class CorruptLogError(Exception):
    """A record before the last one could not be read."""


# --8<-- [start:core]
class AppendOnlyStore:
    def __init__(
        self,
        path: Path,
        fsync: FsyncPolicy = "everysec",
        clock: Callable[[], float] = lambda: 0.0,
        repair_tail: bool = True,
    ) -> None:
        self.path = path
        self.fsync_policy = fsync
        self.clock = clock  # injected, so tests and demos never read real time
        self.data: dict[str, object] = {}
        self.truncated = 0  # torn records dropped while loading
        self.fsyncs = 0  # how often the log was forced to disk
        self._replay(repair_tail)
        self._log = open(self.path, "a", encoding="utf-8")
        self._last_fsync = self.clock()

    def _replay(self, repair_tail: bool) -> None:
        raw = self.path.read_bytes() if self.path.exists() else b""
        lines = raw.split(b"\n")  # the piece after the last "\n" is b"" if the log is clean
        good_bytes = 0
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            if last and not line:
                break
            try:
                op, key, *value = json.loads(line)
            except ValueError:
                if not last:
                    raise CorruptLogError(f"{self.path}: bad record {i + 1} before the end")
                self.truncated = 1  # a torn final write: ignore it
                break
            if last:  # parsed, but the newline never hit the disk: also torn
                self.truncated = 1
                break
            if op == "set":
                self.data[key] = value[0]
            else:
                self.data.pop(key, None)
            good_bytes += len(line) + 1
        if self.truncated and repair_tail:
            os.truncate(self.path, good_bytes)  # next append starts on a clean line

    def _append(self, record: list[object]) -> None:
        self._log.write(json.dumps(record) + "\n")
        self._log.flush()  # hand the bytes to the OS: survives a process crash
        now = self.clock()
        if self.fsync_policy == "always" or (
            self.fsync_policy == "everysec" and now - self._last_fsync >= 1.0
        ):
            os.fsync(self._log.fileno())  # survives a power cut too
            self.fsyncs += 1
            self._last_fsync = now

    def set(self, key: str, value: object) -> None:
        self.data[key] = value
        self._append(["set", key, value])

    def delete(self, key: str) -> None:
        self.data.pop(key, None)
        self._append(["del", key])

    def compact(self) -> None:
        """Rewrite the log as one `set` per live key, then swap it in atomically."""
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name + ".")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for key, value in self.data.items():
                out.write(json.dumps(["set", key, value]) + "\n")
            out.flush()
            os.fsync(out.fileno())
        self._log.close()
        os.replace(tmp, self.path)  # atomic on POSIX: readers see old or new, never half
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)  # make the rename itself durable
        finally:
            os.close(dir_fd)
        self._log = open(self.path, "a", encoding="utf-8")

    def close(self) -> None:
        self._log.flush()
        os.fsync(self._log.fileno())  # a clean shutdown loses nothing
        self._log.close()
# --8<-- [end:core]


class StepClock:
    """A fake clock that advances by `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now = 0.0
        self.step = step

    def __call__(self) -> float:
        value = self.now
        self.now += self.step
        return value


def count_lines(path: Path) -> int:
    return len(path.read_bytes().splitlines())


def write_scenario(store: AppendOnlyStore) -> None:
    store.set("a", 1)
    store.set("b", 2)
    store.delete("a")
    for i in range(5):
        store.set("counter", i)


def fsyncs_for(policy: FsyncPolicy, directory: Path) -> int:
    """Eight writes a quarter of a second apart under one fsync policy."""
    store = AppendOnlyStore(directory / f"{policy}.aof", fsync=policy, clock=StepClock(0.25))
    write_scenario(store)
    count = store.fsyncs
    store.close()
    return count


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "appendonly.aof"

        store = AppendOnlyStore(log, fsync="everysec", clock=StepClock(0.25))
        write_scenario(store)
        store.close()  # the process exits cleanly...
        print(f"wrote 8 records, log has {count_lines(log)} lines")

        with open(log, "a", encoding="utf-8") as f:
            f.write('["set", "c", ')  # ...then a later run crashes mid-write
        print("crash left a torn record at the end of the log")

        store = AppendOnlyStore(log)
        print(f"restart: state={store.data} truncated: {store.truncated}")
        store.set("counter", 5)  # lands on its own line because the tail was cut
        print(f"after one more write the log has {count_lines(log)} lines")
        store.compact()
        print(f"compact: log now has {count_lines(log)} lines")
        store.close()

        again = AppendOnlyStore(log)
        print(f"fresh reopen: state={again.data} truncated: {again.truncated}")
        again.close()

        # the same crash, but the loader only skips the fragment and leaves it in place
        sloppy_log = Path(tmp) / "sloppy.aof"
        sloppy = AppendOnlyStore(sloppy_log)
        write_scenario(sloppy)
        sloppy.close()
        with open(sloppy_log, "a", encoding="utf-8") as f:
            f.write('["set", "c", ')
        sloppy = AppendOnlyStore(sloppy_log, repair_tail=False)
        sloppy.set("counter", 5)  # glued onto the fragment
        sloppy.close()
        try:
            AppendOnlyStore(sloppy_log, repair_tail=False)
        except CorruptLogError as err:
            print(f"without tail repair the next restart fails: {err.args[0].split(': ', 1)[1]}")

        counts = {policy: fsyncs_for(policy, Path(tmp)) for policy in ("always", "everysec", "no")}
        print("fsync calls for 8 writes 0.25 s apart:", counts)


if __name__ == "__main__":
    main()
