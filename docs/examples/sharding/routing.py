"""Range, hash and directory routing, and what each does with real traffic.

Three routers answer the same question, "which shard holds this key?":

* `RangeRouter` keeps contiguous key ranges per shard. Range scans stay on
  one shard, but a monotonically increasing key (an auto-increment id, a
  timestamp) sends every new insert to the last shard.
* `HashRouter` places a key by a stable hash of it. Inserts spread evenly,
  but a range scan has to ask every shard (scatter-gather).
* `DirectoryRouter` looks the key up in a table. It can put any tenant
  anywhere, so one whale tenant can be moved to a shard of its own without
  touching anyone else, at the price of a lookup and a table to keep
  consistent and available.

The last part shows that even placement is not even load: one hot key lands
on one shard whatever the router, and salting it (`item:42#0` .. `item:42#7`)
spreads its writes at the cost of a fan-out on every read.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable


def hash64(text: str) -> int:
    """A stable 64-bit hash (never Python's per-process salted hash())."""
    return int.from_bytes(hashlib.md5(text.encode()).digest()[:8], "big")


# --8<-- [start:routers]
class RangeRouter:
    """Shard i holds keys in [bounds[i-1], bounds[i]); the last shard is open-ended."""

    def __init__(self, bounds: list[int], shards: list[str]) -> None:
        if len(shards) != len(bounds) + 1 or bounds != sorted(bounds):
            raise ValueError("need sorted bounds and exactly one more shard than bounds")
        self.bounds = bounds
        self.shards = shards

    def shard_for(self, key: int) -> str:
        return self.shards[bisect.bisect_right(self.bounds, key)]

    def shards_for_range(self, lo: int, hi: int) -> list[str]:
        """Shards a scan of [lo, hi) must visit: only those whose ranges overlap it."""
        first = bisect.bisect_right(self.bounds, lo)
        last = bisect.bisect_right(self.bounds, hi - 1)
        return self.shards[first : last + 1]


class HashRouter:
    """Placement by hash: even spread, no locality between neighbouring keys."""

    def __init__(self, shards: list[str]) -> None:
        self.shards = shards

    def shard_for(self, key: int | str) -> str:
        return self.shards[hash64(str(key)) % len(self.shards)]

    def shards_for_range(self, lo: int, hi: int) -> list[str]:
        # Neighbouring ids hash to unrelated shards, so in practice a range
        # scan goes to every shard; computing the exact set shows why.
        return sorted({self.shard_for(key) for key in range(lo, hi)})


class DirectoryRouter:
    """An explicit tenant -> shard table: the most flexible and the most state."""

    def __init__(self) -> None:
        self.table: dict[str, str] = {}
        self.version = 0  # routers cache the table and compare versions

    def assign(self, tenant: str, shard: str) -> None:
        self.table[tenant] = shard
        self.version += 1

    def shard_for(self, tenant: str) -> str:
        return self.table[tenant]  # an unknown tenant is an error, not a guess

    def move(self, tenant: str, shard: str, rows: dict[str, int]) -> int:
        """Re-point one tenant; returns the rows that must be copied (only its own)."""
        if self.table[tenant] == shard:
            return 0
        self.assign(tenant, shard)
        return rows[tenant]
# --8<-- [end:routers]


# --8<-- [start:hotkey]
def salted(key: str, writer: int, fanout: int) -> str:
    """Spread one hot key over `fanout` sub-keys; each writer picks one by its id."""
    return f"{key}#{writer % fanout}"


def salted_subkeys(key: str, fanout: int) -> list[str]:
    """Every sub-key a reader must gather to see the whole value."""
    return [f"{key}#{i}" for i in range(fanout)]


def shard_load(keys: Iterable[str], shard_for: Callable[[str], str]) -> Counter[str]:
    """Writes per shard for a stream of keys."""
    return Counter(shard_for(key) for key in keys)


def busiest_share(load: Counter[str]) -> float:
    """Share of all writes taken by the busiest shard (0.25 is ideal on 4 shards)."""
    return max(load.values()) / sum(load.values())
# --8<-- [end:hotkey]


def like_stream(events: int, hot_key: str, hot_every: int, items: int) -> list[str]:
    """A deterministic stream: every `hot_every`-th event likes the viral item,
    the rest are spread over `items` ordinary items (item:1000 and up)."""
    return [hot_key if i % hot_every == 0 else f"item:{1_000 + (i * 7919) % items}" for i in range(events)]


def main() -> None:
    shards = ["s1", "s2", "s3", "s4"]
    by_range = RangeRouter([250_000, 500_000, 750_000], shards)
    by_hash = HashRouter(shards)

    new_orders = range(1_000_001, 1_001_001)  # the next 1,000 auto-increment ids
    print("1,000 new orders with auto-increment ids 1000001..1001000")
    print("  range routing:", dict(sorted(Counter(map(by_range.shard_for, new_orders)).items())))
    print("  hash routing: ", dict(sorted(Counter(map(by_hash.shard_for, new_orders)).items())))

    print("scan of ids 1000..1099")
    print("  range routing visits", by_range.shards_for_range(1_000, 1_100))
    print("  hash routing visits ", by_hash.shards_for_range(1_000, 1_100))

    rows = {f"t{i:02}": 1_000 for i in range(12)} | {"acme": 30_000}
    directory = DirectoryRouter()
    for i, tenant in enumerate(rows):  # the directory may place tenants any way it likes
        directory.assign(tenant, shards[i % len(shards)])
    before = {t: directory.shard_for(t) for t in rows}
    print("tenant directory: 12 tenants of 1,000 rows and the whale 'acme' (30,000)")
    print(f"  {dict(sorted(_rows_per_shard(directory, rows).items()))}")
    copied = directory.move("acme", "s5", rows)
    moved = [t for t in rows if directory.shard_for(t) != before[t]]
    print(f"move acme to its own shard s5: {copied:,} rows copied, tenants moved: {moved}")
    print(f"  {dict(sorted(_rows_per_shard(directory, rows).items()))}")

    likes = like_stream(10_000, "item:42", hot_every=3, items=2_000)
    plain = shard_load(likes, by_hash.shard_for)
    spread = shard_load(
        (salted(k, i, 8) if k == "item:42" else k for i, k in enumerate(likes)), by_hash.shard_for
    )
    print("10,000 likes, one in three for item:42")
    print(f"  unsalted: {dict(sorted(plain.items()))}  busiest {busiest_share(plain):.0%}")
    print(f"  salted x8: {dict(sorted(spread.items()))}  busiest {busiest_share(spread):.0%}")
    readers = sorted({by_hash.shard_for(k) for k in salted_subkeys("item:42", 8)})
    print(f"  reading item:42 now gathers 8 sub-keys from {readers}")


def _rows_per_shard(directory: DirectoryRouter, rows: dict[str, int]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for tenant, count in rows.items():
        totals[directory.shard_for(tenant)] += count
    return totals


if __name__ == "__main__":
    main()
