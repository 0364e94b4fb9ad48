"""Tests for docs/examples/circuit-breaker/breaker.py.

Every transition of the state machine is driven by a fake clock and a fake
dependency that counts its invocations, so nothing sleeps and nothing is mocked.
"""

import threading

import pytest

EXAMPLE = "circuit-breaker/breaker.py"


@pytest.fixture
def cb(load_example):
    return load_example(EXAMPLE)


def make(cb, **kwargs):
    """A breaker on a manual clock, plus the clock and a failing dependency."""
    clock = cb.ManualClock()
    dep = cb.FlakyDependency()
    kwargs.setdefault("failure_threshold", 3)
    kwargs.setdefault("reset_timeout", 10.0)
    breaker = cb.CircuitBreaker(clock=clock, **kwargs)
    return breaker, clock, dep


def fail(breaker, dep, times=1):
    for _ in range(times):
        with pytest.raises(ConnectionError):
            breaker.call(dep.fetch, "k")


def trip(cb, breaker, dep):
    fail(breaker, dep, breaker.failure_threshold)
    assert breaker.state is cb.State.OPEN


def test_closed_to_open_after_threshold_consecutive_failures(cb):
    breaker, _, dep = make(cb)
    fail(breaker, dep, 2)
    assert breaker.state is cb.State.CLOSED
    assert breaker.failure_count == 2
    fail(breaker, dep)
    assert breaker.state is cb.State.OPEN
    assert breaker.transitions == ["CLOSED->OPEN"]


def test_open_rejects_without_calling_the_dependency(cb):
    breaker, clock, dep = make(cb)
    trip(cb, breaker, dep)
    clock.now = 4.0
    for _ in range(5):
        with pytest.raises(cb.CircuitOpenError) as err:
            breaker.call(dep.fetch, "k")
        assert err.value.retry_after == pytest.approx(6.0)
    assert dep.calls == 3  # only the three failures that tripped it


def test_open_to_half_open_only_after_the_timeout_and_lazily(cb):
    breaker, clock, dep = make(cb)
    trip(cb, breaker, dep)
    clock.now = 9.999
    with pytest.raises(cb.CircuitOpenError):
        breaker.call(dep.fetch, "k")
    clock.now = 10.0
    assert breaker.state is cb.State.OPEN  # reading the state does not move it
    seen = []

    def probe():
        seen.append(breaker.state)
        return "pong"

    assert breaker.call(probe) == "pong"
    assert seen == [cb.State.HALF_OPEN]  # the trial ran while HALF_OPEN


def test_half_open_success_closes(cb):
    breaker, clock, dep = make(cb)
    trip(cb, breaker, dep)
    clock.now = 10.0
    dep.healthy = True
    assert breaker.call(dep.fetch, "k") == "value-for-k"
    assert breaker.state is cb.State.CLOSED
    assert breaker.failure_count == 0
    assert breaker.transitions == ["CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED"]


def test_half_open_failure_reopens_and_restarts_the_timer(cb):
    breaker, clock, dep = make(cb)
    trip(cb, breaker, dep)
    clock.now = 10.0
    fail(breaker, dep)  # the trial fails
    assert breaker.state is cb.State.OPEN
    clock.now = 19.9  # 19.9 s after the first trip, but only 9.9 s after the re-open
    with pytest.raises(cb.CircuitOpenError) as err:
        breaker.call(dep.fetch, "k")
    assert err.value.retry_after == pytest.approx(0.1)
    clock.now = 20.0
    dep.healthy = True
    breaker.call(dep.fetch, "k")
    assert breaker.state is cb.State.CLOSED
    assert dep.calls == 5


def test_a_success_resets_the_consecutive_failure_count(cb):
    breaker, _, dep = make(cb)
    fail(breaker, dep, 2)
    dep.healthy = True
    breaker.call(dep.fetch, "k")
    assert breaker.failure_count == 0
    dep.healthy = False
    fail(breaker, dep, 2)  # 4 failures in all, but never 3 in a row
    assert breaker.state is cb.State.CLOSED


def test_excluded_exceptions_do_not_count_as_failures(cb):
    breaker, _, dep = make(cb, exclude=(ValueError,))

    def bad_request():
        raise ValueError("malformed key")

    fail(breaker, dep, 2)
    for _ in range(10):
        with pytest.raises(ValueError):  # the caller still sees the error
            breaker.call(bad_request)
    assert breaker.state is cb.State.CLOSED
    assert breaker.failure_count == 0  # the dependency answered, so it counts as health


def test_unexcluded_exceptions_of_any_type_count(cb):
    breaker, _, _ = make(cb, failure_threshold=1)

    def bad_request():
        raise ValueError("malformed key")

    with pytest.raises(ValueError):
        breaker.call(bad_request)
    assert breaker.state is cb.State.OPEN


def test_half_open_admits_only_the_permitted_number_of_trials(cb):
    breaker, clock, dep = make(cb, half_open_trials=2)
    trip(cb, breaker, dep)
    clock.now = 10.0
    breaker.acquire()  # two-step API: permission now, outcome later
    breaker.acquire()
    with pytest.raises(cb.CircuitOpenError) as err:
        breaker.acquire()  # both trials in flight: everyone else fails fast
    # not 0 (which would send every caller straight back): a failed trial
    # keeps the breaker open for another reset_timeout
    assert err.value.retry_after == 10.0
    breaker.record_success()
    assert breaker.state is cb.State.HALF_OPEN  # needs both trials to succeed
    breaker.record_success()
    assert breaker.state is cb.State.CLOSED


@pytest.mark.parametrize("cancellation", [KeyboardInterrupt, SystemExit, GeneratorExit])
def test_a_cancelled_trial_gives_its_permit_back(cb, cancellation):
    """A BaseException during the half-open trial (Ctrl-C, exit, a gevent Timeout)
    must not leave the breaker stuck: the next call becomes the trial."""
    breaker, clock, dep = make(cb)
    trip(cb, breaker, dep)
    clock.now = 10.0

    def cancelled(key):
        raise cancellation()

    with pytest.raises(cancellation):
        breaker.call(cancelled, "k")
    assert breaker.state is cb.State.HALF_OPEN
    dep.healthy = True
    assert breaker.call(dep.fetch, "k") == "value-for-k"  # a new trial, not a rejection
    assert breaker.state is cb.State.CLOSED


def test_a_cancelled_call_while_closed_counts_nothing(cb):
    breaker, clock, dep = make(cb)
    fail(breaker, dep, 2)

    def interrupted(key):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        breaker.call(interrupted, "k")
    assert breaker.failure_count == 2 and breaker.state is cb.State.CLOSED


def test_release_never_hands_out_more_permits_than_the_quota(cb):
    breaker, clock, dep = make(cb, half_open_trials=1)
    trip(cb, breaker, dep)
    clock.now = 10.0
    breaker.release()  # nothing in flight: nothing to give back
    breaker.acquire()
    with pytest.raises(cb.CircuitOpenError):
        breaker.acquire()


def test_a_late_failure_reported_while_open_is_ignored(cb):
    breaker, clock, dep = make(cb, failure_threshold=1)
    breaker.acquire()  # a slow call starts while CLOSED
    fail(breaker, dep)  # a faster call fails and trips the breaker
    opened_at_transitions = list(breaker.transitions)
    clock.now = 5.0
    breaker.record_failure()  # the slow call finally fails
    assert breaker.transitions == opened_at_transitions
    clock.now = 10.0  # the timer was not restarted by the late failure
    breaker.acquire()
    assert breaker.state is cb.State.HALF_OPEN


def test_decorator_style(cb):
    clock = cb.ManualClock()
    breaker = cb.CircuitBreaker(failure_threshold=1, clock=clock, name="prices")
    calls = []

    @breaker
    def get_price(sku: str) -> int:
        """Look up a price."""
        calls.append(sku)
        raise TimeoutError(sku)

    assert get_price.__name__ == "get_price"
    assert get_price.__doc__ == "Look up a price."
    with pytest.raises(TimeoutError):
        get_price("a")
    with pytest.raises(cb.CircuitOpenError, match="circuit 'prices' is open; retry in 10.0 s"):
        get_price("b")
    assert calls == ["a"]


def test_the_breaker_is_safe_to_share_between_threads(cb):
    breaker, _, dep = make(cb, failure_threshold=1000)
    dep.healthy = True

    def worker():
        for _ in range(200):
            breaker.call(dep.fetch, "k")

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert dep.calls == 800
    assert breaker.state is cb.State.CLOSED


@pytest.mark.parametrize(
    "kwargs",
    [{"failure_threshold": 0}, {"half_open_trials": 0}, {"reset_timeout": 0}],
)
def test_nonsense_settings_are_rejected(cb, kwargs):
    with pytest.raises(ValueError):
        cb.CircuitBreaker(**kwargs)


def test_default_clock_is_monotonic(cb):
    import time

    assert cb.CircuitBreaker()._clock is time.monotonic


def test_script_output_matches_the_page(run_example, expected_output):
    out = run_example(EXAMPLE)
    assert out == expected_output("circuit-breaker/breaker.out")
    assert out.splitlines()[-1] == (
        "transitions: CLOSED->OPEN, OPEN->HALF_OPEN, HALF_OPEN->OPEN, "
        "OPEN->HALF_OPEN, HALF_OPEN->CLOSED"
    )
    assert "dependency invoked 3 times so far" in out
    assert "dependency invoked 5 times in total" in out
