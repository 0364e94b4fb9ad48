"""How much data moves when a sharded store grows from 4 to 5 shards.

Three placement schemes are compared on the same 10,000 keys:

* `hash(key) % N`: the owner depends on N, so changing N reshuffles almost
  everything (about N/(N+1) of the keys, 80% for 4 -> 5).
* A consistent-hash ring with virtual nodes (Karger et al., 1997; vnodes as in
  Amazon's Dynamo, 2007): the new shard takes over arcs of the ring, so only
  about 1/(N+1) of the keys move, and every one of them moves *to* the new shard.
* Fixed hash slots (Redis Cluster): keys hash into 16,384 slots that never
  change; resharding reassigns whole slots, so exactly the keys of the moved
  slots move, and the operator chooses how many.

Placement must use a stable hash. Python's built-in `hash()` of a str is
salted per process (PYTHONHASHSEED), so two routers, or one router after a
restart, would disagree about where a key lives. MD5 and CRC16 are used here
for stability and speed, not for security.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable


# --8<-- [start:hash]
def hash64(text: str) -> int:
    """A stable 64-bit position: the first 8 bytes of MD5, big-endian."""
    return int.from_bytes(hashlib.md5(text.encode()).digest()[:8], "big")


def modulo_owner(key: str, shards: list[str]) -> str:
    """Naive placement: correct until len(shards) changes, then mostly wrong."""
    return shards[hash64(key) % len(shards)]
# --8<-- [end:hash]


# --8<-- [start:ring]
class HashRing:
    """Consistent hashing: a key belongs to the first shard point clockwise from it.

    Each shard is placed at `vnodes` points, so it owns many small arcs instead
    of one large one; that evens out the shares and, when a shard leaves,
    spreads its keys over all the others instead of dumping them on one.
    """

    def __init__(self, shards: Iterable[str], vnodes: int = 100) -> None:
        if vnodes < 1:
            raise ValueError("vnodes must be at least 1")
        self.vnodes = vnodes
        self._points: list[int] = []  # sorted positions on the ring
        self._owner: dict[int, str] = {}  # position -> shard
        for shard in shards:
            self.add(shard)

    def add(self, shard: str) -> None:
        for i in range(self.vnodes):
            point = hash64(f"{shard}#vnode{i}")
            bisect.insort(self._points, point)
            self._owner[point] = shard

    def remove(self, shard: str) -> None:
        self._points = [p for p in self._points if self._owner[p] != shard]
        self._owner = {p: s for p, s in self._owner.items() if s != shard}

    def owner(self, key: str) -> str:
        # bisect_right finds the first point strictly after the key; the
        # modulo wraps keys above the highest point round to the lowest one.
        i = bisect.bisect_right(self._points, hash64(key)) % len(self._points)
        return self._owner[self._points[i]]
# --8<-- [end:ring]


# --8<-- [start:slots]
SLOTS = 16_384  # Redis Cluster's fixed number of hash slots


def crc16_xmodem(data: bytes) -> int:
    """CRC-16/XMODEM (poly 0x1021, init 0), the variant Redis Cluster specifies."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = (crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def hash_tag(key: str) -> str:
    """The part of the key that is hashed: the text inside the first {...}, if non-empty."""
    start = key.find("{")
    if start != -1:
        end = key.find("}", start + 1)
        if end > start + 1:
            return key[start + 1 : end]
    return key


def key_slot(key: str) -> int:
    """HASH_SLOT = CRC16(key or its hash tag) mod 16384."""
    return crc16_xmodem(hash_tag(key).encode()) % SLOTS


class SlotMap:
    """Fixed logical partitions: the key -> slot function never changes,
    only the slot -> shard table does, and it changes one whole slot at a time."""

    def __init__(self, shards: list[str]) -> None:
        # contiguous, equal ranges of slots, as `redis-cli --cluster create` assigns them
        self.table = [shards[slot * len(shards) // SLOTS] for slot in range(SLOTS)]

    def owner(self, key: str) -> str:
        return self.table[key_slot(key)]

    def add_shard(self, shard: str) -> int:
        """Give the new shard an equal share, taking the surplus from every donor.

        Returns how many slots moved. Keys in all other slots stay where they are.
        """
        counts = Counter(self.table)
        fair_share = SLOTS // (len(counts) + 1)
        moved = 0
        for donor, count in sorted(counts.items()):
            surplus = count - fair_share
            # hand over the donor's highest-numbered slots
            for slot in reversed(range(SLOTS)):
                if surplus == 0:
                    break
                if self.table[slot] == donor:
                    self.table[slot] = shard
                    surplus -= 1
                    moved += 1
        return moved
# --8<-- [end:slots]


def assign(keys: list[str], owner: Callable[[str], str]) -> dict[str, str]:
    """Where every key lives under one placement function."""
    return {key: owner(key) for key in keys}


def moved_keys(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Keys whose owner differs between two assignments."""
    return [key for key in before if before[key] != after[key]]


def spread(assignment: dict[str, str]) -> float:
    """Largest shard divided by the mean shard size: 1.0 is perfectly even."""
    counts = Counter(assignment.values())
    return max(counts.values()) / (len(assignment) / len(counts))


def main() -> None:
    keys = [f"user:{i}" for i in range(10_000)]
    four = ["s1", "s2", "s3", "s4"]
    five = four + ["s5"]

    print("10,000 keys, growing from 4 shards to 5")
    print(f"{'scheme':<28}{'moved':>8}  moved to")

    before = assign(keys, lambda k: modulo_owner(k, four))
    after = assign(keys, lambda k: modulo_owner(k, five))
    moved = moved_keys(before, after)
    targets = sorted({after[k] for k in moved})
    print(f"{'hash % N':<28}{len(moved) / len(keys):>8.1%}  {', '.join(targets)}")

    ring = HashRing(four, vnodes=100)
    before = assign(keys, ring.owner)
    ring.add("s5")
    after = assign(keys, ring.owner)
    moved = moved_keys(before, after)
    targets = sorted({after[k] for k in moved})
    print(f"{'hash ring, 100 vnodes':<28}{len(moved) / len(keys):>8.1%}  {', '.join(targets)}")
    ring_after = after

    slots = SlotMap(four)
    before = assign(keys, slots.owner)
    moved_slots = slots.add_shard("s5")
    after = assign(keys, slots.owner)
    moved = moved_keys(before, after)
    targets = sorted({after[k] for k in moved})
    print(f"{'16,384 slots, ' + str(moved_slots) + ' moved':<28}{len(moved) / len(keys):>8.1%}  {', '.join(targets)}")

    print()
    print("keys per shard after the move")
    print("  hash ring:", dict(sorted(Counter(ring_after.values()).items())))
    print("  slots:    ", dict(sorted(Counter(after.values()).items())))

    print()
    print("balance on 5 shards (largest shard / mean)")
    for vnodes in (1, 10, 100, 1000):
        ring = HashRing(five, vnodes=vnodes)
        print(f"  {vnodes:>4} vnode(s) per shard: {spread(assign(keys, ring.owner)):.2f}")

    print()
    print("Redis hash slots (compare: CLUSTER KEYSLOT) and hash tags")
    for key in ("somekey", "foo{hash_tag}", "bar{hash_tag}", "user:1000", "{user:1000}.profile", "{user:1000}.cart"):
        print(f"  {key:<22} slot {key_slot(key):>5}")


if __name__ == "__main__":
    main()
