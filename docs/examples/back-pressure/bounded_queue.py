"""Back-pressure with bounded asyncio queues, and sizing the bound.

Three responses to a producer that is faster than its consumer:

* pace it: ``await queue.put()`` suspends the producer while the queue is full;
* shed the excess: ``queue.put_nowait()`` raises ``asyncio.QueueFull`` at once;
* drop the oldest item to make room (lossy, for data where only recent values matter).

Then Little's law (L = lambda * W) turns a drain rate and a latency budget into
the largest queue worth keeping, and a one-second-step model shows what an
unbounded queue does to waiting time under sustained overload.

Nothing here sleeps or reads the clock: ``asyncio.sleep(0)`` only yields to
the event loop, so every run interleaves the coroutines the same way.
"""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass

DONE = -1  # sentinel the producer sends when it has nothing more


# --8<-- [start:pace]
@dataclass
class PacedRun:
    processed: list[int]   # items in the order the consumer finished them
    peak_depth: int        # largest queue size the producer ever saw
    producer_waits: int    # puts that found the queue full and had to suspend


async def paced(n_items: int = 10, maxsize: int = 3) -> PacedRun:
    """A fast producer and a slow consumer joined by a bounded queue."""
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=maxsize)
    processed: list[int] = []
    peak = waits = 0

    async def producer() -> None:
        nonlocal peak, waits
        for item in range(n_items):
            if queue.full():
                waits += 1
            await queue.put(item)  # the back-pressure point: suspends while full
            peak = max(peak, queue.qsize())
        await queue.put(DONE)

    async def consumer() -> None:
        while (item := await queue.get()) != DONE:
            for _ in range(3):  # "slow work": three trips round the event loop
                await asyncio.sleep(0)
            processed.append(item)

    await asyncio.gather(producer(), consumer())
    return PacedRun(processed, peak, waits)
# --8<-- [end:pace]


# --8<-- [start:shed]
async def shed(n_items: int = 10, maxsize: int = 3) -> tuple[list[int], list[int]]:
    """Offer items without waiting; reject what does not fit (load shedding)."""
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=maxsize)
    accepted: list[int] = []
    rejected: list[int] = []
    for item in range(n_items):  # no await in the loop: no consumer can run
        try:
            queue.put_nowait(item)
            accepted.append(item)
        except asyncio.QueueFull:
            rejected.append(item)  # a server would answer 429 or 503 here
    return accepted, rejected


async def drop_oldest(n_items: int = 10, maxsize: int = 3) -> tuple[list[int], list[int]]:
    """Keep the newest items, evicting the oldest (lossy; fine for telemetry)."""
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=maxsize)
    dropped: list[int] = []
    for item in range(n_items):
        if queue.full():
            dropped.append(queue.get_nowait())
        queue.put_nowait(item)
    kept = [queue.get_nowait() for _ in range(queue.qsize())]
    return kept, dropped
# --8<-- [end:shed]


# --8<-- [start:size]
def max_queue_depth(drain_rate_per_s: float, latency_budget_s: float) -> int:
    """Little's law: a queue drained at `rate` holds at most rate * budget
    items that can still finish within the budget. Anything deeper is late."""
    if drain_rate_per_s <= 0 or latency_budget_s <= 0:
        raise ValueError("rate and budget must be positive")
    return math.floor(drain_rate_per_s * latency_budget_s)


def wait_at_position(position: int, drain_rate_per_s: float) -> float:
    """Seconds an item waits when `position` items (itself included) are ahead of the exit."""
    return position / drain_rate_per_s


@dataclass
class Second:
    t: int
    backlog: int    # items waiting at the end of this second
    wait_s: float   # how long the last item in the backlog will wait
    rejected: int   # total turned away so far


def overload(arrivals_per_s: int, drain_per_s: int, seconds: int,
             bound: int | None = None) -> list[Second]:
    """A fluid model of a queue under constant overload, one second per step."""
    backlog = rejected = 0
    timeline = []
    for t in range(1, seconds + 1):
        # Space that exists this second: what is free now plus what the consumer drains.
        room = arrivals_per_s if bound is None else bound - backlog + drain_per_s
        accepted = min(arrivals_per_s, room)
        rejected += arrivals_per_s - accepted
        backlog = max(0, backlog + accepted - drain_per_s)
        timeline.append(Second(t, backlog, wait_at_position(backlog, drain_per_s), rejected))
    return timeline
# --8<-- [end:size]


# --8<-- [start:bucket]
class TokenBucket:
    """Admit `rate_per_s` requests per second on average and bursts of up to `burst`.

    Time is passed in as integer milliseconds and tokens are kept in thousandths,
    so the arithmetic is exact and the demonstration needs no clock.
    """

    def __init__(self, rate_per_s: int, burst: int) -> None:
        self.rate_per_s = rate_per_s
        self.capacity = burst * 1000
        self.tokens = self.capacity  # a new bucket starts full: the first burst passes
        self.last_ms = 0

    def allow(self, now_ms: int) -> bool:
        # Refill for the time since the last request, never beyond the capacity.
        self.tokens = min(self.capacity, self.tokens + (now_ms - self.last_ms) * self.rate_per_s)
        self.last_ms = now_ms
        if self.tokens >= 1000:
            self.tokens -= 1000
            return True
        return False  # a server answers 429 here, or the caller waits for the next token
# --8<-- [end:bucket]


def main() -> None:
    run = asyncio.run(paced())
    print("pace: await put() on Queue(maxsize=3), 10 items")
    print(f"  processed      {run.processed}")
    print(f"  peak depth     {run.peak_depth}")
    print(f"  producer waits {run.producer_waits}")

    accepted, rejected = asyncio.run(shed())
    print("shed: put_nowait() on Queue(maxsize=3), 10 items, no consumer running")
    print(f"  accepted {len(accepted)} {accepted}")
    print(f"  rejected {len(rejected)} {rejected}")

    kept, dropped = asyncio.run(drop_oldest())
    print("drop oldest: Queue(maxsize=3), 10 items")
    print(f"  kept {kept}, dropped {dropped}")

    bound = max_queue_depth(200, 2.0)
    print("size: drain 200 items/s, latency budget 2.0 s")
    print(f"  bound = floor(200 x 2.0) = {bound}")
    for position in (bound, bound + 1):
        print(f"  item at position {position} waits {wait_at_position(position, 200):.3f} s")

    print("overload: 250 arrivals/s, 200 drained/s, 12 s")
    print("   t  unbounded backlog  wait    bounded(400) backlog  wait    rejected")
    for free, capped in zip(overload(250, 200, 12), overload(250, 200, 12, bound)):
        print(f"  {free.t:>2}  {free.backlog:>17}  {free.wait_s:4.2f} s"
              f"  {capped.backlog:>20}  {capped.wait_s:4.2f} s  {capped.rejected:>7}")

    bucket = TokenBucket(rate_per_s=5, burst=10)
    burst = [bucket.allow(0) for _ in range(30)]
    steady = [bucket.allow(t) for t in range(100, 4_001, 100)]
    print("token bucket: 5 tokens/s, burst 10")
    print(f"  30 requests at t=0 s: {sum(burst)} admitted, {burst.count(False)} rejected")
    print(f"  then 10 requests/s for 4 s: {sum(steady)} of {len(steady)} admitted (the 5/s rate)")

if __name__ == "__main__":
    main()
