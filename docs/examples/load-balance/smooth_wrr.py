"""Smooth weighted round robin, the algorithm nginx uses for `weight=`.

Plain weighted round robin with weights a=5, b=1, c=1 sends five requests in a
row to `a` and then one each to `b` and `c`. The burst is harmless on average
but hurts a backend whose queue or cache is cold. nginx's "smooth" variant
interleaves the picks while still giving every backend exactly its share over
one cycle of `sum(weights)` picks:

1. add each backend's weight to its running `current` score;
2. pick the backend with the largest `current` (ties: first declared wins);
3. subtract the total weight from the picked backend's `current`.

The scores always sum to zero after step 3, so nobody can drift away, and a
backend that was just picked has to "earn" its way back to the top.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


# --8<-- [start:core]
@dataclass
class Backend:
    """One upstream server. `current` is the running score the picker updates."""

    name: str
    weight: int
    current: int = 0


class SmoothWeightedRoundRobin:
    """Deterministic picker: same weights in, same sequence out, on every run."""

    def __init__(self, weights: dict[str, int]) -> None:
        if not weights or any(w <= 0 for w in weights.values()):
            raise ValueError("need at least one backend, and every weight must be positive")
        # dicts keep insertion order, which is our tie-break order
        self.backends = [Backend(name, weight) for name, weight in weights.items()]
        self.total = sum(b.weight for b in self.backends)

    def pick(self) -> str:
        best: Backend | None = None
        for backend in self.backends:
            backend.current += backend.weight
            # strict ">" keeps the earliest backend on a tie, as nginx does
            if best is None or backend.current > best.current:
                best = backend
        assert best is not None  # the constructor guarantees a non-empty pool
        best.current -= self.total
        return best.name

    def scores(self) -> dict[str, int]:
        """The `current` values; they sum to 0 after every pick."""
        return {b.name: b.current for b in self.backends}
# --8<-- [end:core]


def naive_weighted_round_robin(weights: dict[str, int], picks: int) -> list[str]:
    """The bursty version for comparison: repeat each name `weight` times."""
    cycle = [name for name, weight in weights.items() for _ in range(weight)]
    return [cycle[i % len(cycle)] for i in range(picks)]


def main() -> None:
    weights = {"a": 5, "b": 1, "c": 1}
    print(f"weights: {weights}")

    picker = SmoothWeightedRoundRobin(weights)
    print("pick  chosen  scores after the pick")
    for i in range(1, 8):
        chosen = picker.pick()
        print(f"{i:>4}  {chosen:<6}  {picker.scores()}")

    smooth = SmoothWeightedRoundRobin(weights)
    first_cycle = [smooth.pick() for _ in range(7)]
    print("smooth 7 picks:", " ".join(first_cycle))
    print("naive  7 picks:", " ".join(naive_weighted_round_robin(weights, 7)))

    long_run = SmoothWeightedRoundRobin(weights)
    counts = Counter(long_run.pick() for _ in range(700))
    print("700 picks:", dict(sorted(counts.items())))


if __name__ == "__main__":
    main()
