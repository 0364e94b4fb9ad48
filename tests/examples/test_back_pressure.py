"""Tests for docs/examples/back-pressure/bounded_queue.py.

They check the behaviour the page describes: a bounded queue paces a fast
producer (depth never exceeds the bound, nothing is lost, order is kept),
rejects the excess when offered without waiting, evicts the oldest in the
lossy mode, and Little's law sizes the bound. Nothing sleeps.
"""

import asyncio

import pytest

EXAMPLE = "back-pressure/bounded_queue.py"


@pytest.fixture
def bq(load_example):
    return load_example(EXAMPLE)


def test_blocking_put_paces_the_producer_without_losing_items(bq):
    run = asyncio.run(bq.paced(n_items=10, maxsize=3))
    assert run.processed == list(range(10))  # nothing lost, order kept
    assert run.peak_depth == 3  # never more than maxsize, never unbounded
    assert run.producer_waits > 0  # the producer really was suspended


@pytest.mark.parametrize("maxsize", [1, 2, 5])
def test_peak_depth_equals_the_bound_for_any_bound(bq, maxsize):
    run = asyncio.run(bq.paced(n_items=20, maxsize=maxsize))
    assert run.peak_depth == maxsize
    assert run.processed == list(range(20))


def test_put_blocks_when_full_until_a_get_makes_room(bq):
    async def scenario():
        queue = asyncio.Queue(maxsize=1)
        await queue.put("a")
        blocked = asyncio.ensure_future(queue.put("b"))
        await asyncio.sleep(0)  # let the put run: it must suspend, not finish
        suspended = not blocked.done()
        assert queue.get_nowait() == "a"  # a consumer makes room...
        await blocked  # ...and the suspended producer resumes
        return suspended, queue.get_nowait()

    assert asyncio.run(scenario()) == (True, "b")


def test_put_nowait_sheds_the_excess(bq):
    accepted, rejected = asyncio.run(bq.shed(n_items=10, maxsize=3))
    assert (len(accepted), len(rejected)) == (3, 7)
    assert accepted == [0, 1, 2]
    assert rejected == list(range(3, 10))


def test_put_nowait_raises_queue_full(bq):
    async def scenario():
        queue = asyncio.Queue(maxsize=1)
        queue.put_nowait(1)
        with pytest.raises(asyncio.QueueFull):
            queue.put_nowait(2)

    asyncio.run(scenario())


def test_unbounded_queue_never_reports_full(bq):
    async def scenario():
        queue = asyncio.Queue()  # maxsize=0, the default, means infinite
        for item in range(10_000):
            queue.put_nowait(item)
        return queue.full(), queue.qsize()

    assert asyncio.run(scenario()) == (False, 10_000)


def test_drop_oldest_keeps_the_newest_items(bq):
    kept, dropped = asyncio.run(bq.drop_oldest(n_items=10, maxsize=3))
    assert kept == [7, 8, 9]
    assert dropped == list(range(7))


def test_littles_law_bound(bq):
    assert bq.max_queue_depth(200, 2.0) == 400
    assert bq.max_queue_depth(150, 0.5) == 75
    assert bq.wait_at_position(400, 200) == pytest.approx(2.0)
    assert bq.wait_at_position(401, 200) == pytest.approx(2.005)
    assert bq.wait_at_position(401, 200) > 2.0  # one past the bound misses the budget


@pytest.mark.parametrize("rate, budget", [(0, 1.0), (10, 0), (-1, 2.0)])
def test_bound_needs_positive_inputs(bq, rate, budget):
    with pytest.raises(ValueError):
        bq.max_queue_depth(rate, budget)


def test_unbounded_queue_turns_overload_into_growing_wait(bq):
    timeline = bq.overload(250, 200, 12)
    waits = [s.wait_s for s in timeline]
    assert waits == sorted(waits) and waits[-1] == pytest.approx(3.0)
    assert all(s.rejected == 0 for s in timeline)


def test_bounded_queue_caps_wait_at_the_budget_and_rejects_the_rest(bq):
    timeline = bq.overload(250, 200, 12, bound=400)
    assert max(s.backlog for s in timeline) == 400
    assert max(s.wait_s for s in timeline) == pytest.approx(2.0)
    assert timeline[-1].rejected == 200  # 50 a second for the last 4 seconds


def test_no_overload_no_backlog(bq):
    timeline = bq.overload(100, 200, 3, bound=10)
    assert [(s.backlog, s.rejected) for s in timeline] == [(0, 0)] * 3


def test_token_bucket_passes_one_burst_then_holds_the_rate(bq):
    bucket = bq.TokenBucket(rate_per_s=5, burst=10)
    assert [bucket.allow(0) for _ in range(12)] == [True] * 10 + [False] * 2
    # Requests every 100 ms earn half a token each, so every second one passes.
    assert [bucket.allow(t) for t in range(100, 1_001, 100)] == [False, True] * 5


def test_token_bucket_never_saves_more_than_its_burst(bq):
    bucket = bq.TokenBucket(rate_per_s=5, burst=10)
    # An hour of silence refills the bucket only to its capacity.
    assert sum(bucket.allow(3_600_000) for _ in range(50)) == 10


def test_script_output_matches_the_page(run_example, expected_output):
    out = run_example(EXAMPLE)
    assert out == expected_output("back-pressure/bounded_queue.out")
    assert "processed      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]" in out
    assert "peak depth     3" in out
    assert "accepted 3 [0, 1, 2]" in out
    assert "rejected 7 [3, 4, 5, 6, 7, 8, 9]" in out
    assert "bound = floor(200 x 2.0) = 400" in out
