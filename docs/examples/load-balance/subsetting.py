"""Deterministic subsetting, as in chapter 20 of Google's SRE book.

With thousands of clients and hundreds of backends, a connection from every
client to every backend costs memory and health checks on both sides. Each
client therefore talks to a subset. Picking each subset at random leaves some
backends with far more clients than others; deterministic subsetting deals
the backends out in rounds so every backend gets the same number of clients.
"""

from __future__ import annotations

import random
from collections import Counter


# --8<-- [start:subset]
def deterministic_subset(backends: list[str], client_id: int, subset_size: int) -> list[str]:
    """The subset of `backends` that client number `client_id` connects to."""
    subset_count = len(backends) // subset_size
    # Clients come in rounds of subset_count; a round shares one shuffled list,
    # which is cut into subset_count disjoint subsets, one per client.
    round_number = client_id // subset_count
    shuffled = list(backends)
    random.Random(round_number).shuffle(shuffled)  # same seed, same order, on every client
    subset_id = client_id % subset_count
    start = subset_id * subset_size
    return shuffled[start:start + subset_size]


def random_subset(backends: list[str], client_id: int, subset_size: int) -> list[str]:
    """The naive alternative: each client samples its own subset."""
    return random.Random(f"client-{client_id}").sample(backends, subset_size)


def clients_per_backend(backends: list[str], clients: int, subset_size: int, pick) -> Counter:
    return Counter(b for c in range(clients) for b in pick(backends, c, subset_size))
# --8<-- [end:subset]


def main() -> None:
    backends = [f"b{i:03}" for i in range(300)]
    clients, size = 1_200, 30
    print(f"{clients:,} clients, {len(backends)} backends, subsets of {size}")
    print(f"  full mesh: {clients * len(backends):,} connections; subsets: {clients * size:,}")
    for name, pick in (("deterministic", deterministic_subset), ("random", random_subset)):
        load = clients_per_backend(backends, clients, size, pick)
        print(f"  {name:<13} clients per backend: min {min(load.values())}, max {max(load.values())}"
              f" (mean {clients * size // len(backends)})")


if __name__ == "__main__":
    main()
