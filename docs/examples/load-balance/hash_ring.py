"""Consistent hashing with virtual nodes, compared with `hash(key) % N`.

Hash-based balancing sends the same key (a client IP, a URL, a cache key) to
the same backend, which keeps caches warm and sessions local. The question is
what happens when the pool changes. With `hash % N`, going from 4 to 5
backends changes the owner of about 4 keys in 5. With a hash ring (Karger et
al., 1997) only the keys that fall into the arcs the new node takes over move,
about 1/5 of them, and every one of them moves *to* the new node.

Each server is placed on the ring many times ("virtual nodes"); with a single
point per server the arcs, and so the loads, would be very uneven.

The hash is MD5 truncated to 64 bits: it is stable across processes and
machines. Python's built-in `hash()` of a str is salted per process
(PYTHONHASHSEED), so two balancers, or two runs, would disagree.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter


# --8<-- [start:core]
def hash64(text: str) -> int:
    """A stable 64-bit hash: the first 8 bytes of MD5, big-endian."""
    return int.from_bytes(hashlib.md5(text.encode()).digest()[:8], "big")


class HashRing:
    """Each node owns the arc that ends at each of its virtual points."""

    def __init__(self, nodes: list[str], vnodes: int = 100) -> None:
        self.vnodes = vnodes
        self._points: list[int] = []  # sorted positions on the ring
        self._owner: dict[int, str] = {}  # position -> node
        for node in nodes:
            self.add(node)

    def add(self, node: str) -> None:
        for i in range(self.vnodes):
            point = hash64(f"{node}#{i}")
            bisect.insort(self._points, point)
            self._owner[point] = node

    def remove(self, node: str) -> None:
        self._points = [p for p in self._points if self._owner[p] != node]
        self._owner = {p: n for p, n in self._owner.items() if n != node}

    def node_for(self, key: str) -> str:
        # first point clockwise from the key's position, wrapping past the top
        i = bisect.bisect_right(self._points, hash64(key)) % len(self._points)
        return self._owner[self._points[i]]


def modulo_node(key: str, nodes: list[str]) -> str:
    """The naive scheme: the owner depends on len(nodes), so resizing reshuffles."""
    return nodes[hash64(key) % len(nodes)]
# --8<-- [end:core]


def moved_fraction(before: dict[str, str], after: dict[str, str]) -> float:
    """Share of keys whose owner differs between two assignments."""
    moved = sum(1 for key in before if before[key] != after[key])
    return moved / len(before)


def main() -> None:
    keys = [f"user:{i}" for i in range(10_000)]
    four = ["node-a", "node-b", "node-c", "node-d"]
    five = four + ["node-e"]

    ring = HashRing(four, vnodes=100)
    ring_before = {k: ring.node_for(k) for k in keys}
    print("4 nodes, 100 virtual nodes each, 10,000 keys")
    print("  keys per node:", dict(sorted(Counter(ring_before.values()).items())))

    ring.add("node-e")
    ring_after = {k: ring.node_for(k) for k in keys}
    print("add node-e")
    print("  keys per node:", dict(sorted(Counter(ring_after.values()).items())))
    movers = {ring_after[k] for k in keys if ring_before[k] != ring_after[k]}
    print(f"  consistent hashing moved {moved_fraction(ring_before, ring_after):.4f} of keys, all to {sorted(movers)}")

    mod_before = {k: modulo_node(k, four) for k in keys}
    mod_after = {k: modulo_node(k, five) for k in keys}
    print(f"  hash % N (4 -> 5) moved {moved_fraction(mod_before, mod_after):.4f} of keys")


if __name__ == "__main__":
    main()
