"""A minimal, thread-safe circuit breaker with an injectable clock.

The breaker is a three-state machine (CLOSED, OPEN, HALF_OPEN) that wraps
calls to one remote dependency. It counts consecutive failures while CLOSED,
fails fast while OPEN, and lets a limited number of trial calls through once
the reset timeout has passed (HALF_OPEN).

The clock is a parameter so that tests and the demonstration below can move
time forward by assignment instead of sleeping: a breaker whose behaviour
depends on wall-clock time is otherwise very hard to test.
"""

from __future__ import annotations

import enum
import functools
import threading
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


# --8<-- [start:core]
class State(enum.Enum):
    CLOSED = "CLOSED"        # calls pass through; failures are counted
    OPEN = "OPEN"            # calls are rejected without touching the dependency
    HALF_OPEN = "HALF_OPEN"  # a limited number of trial calls probe the dependency


class CircuitOpenError(RuntimeError):
    """Raised instead of calling the dependency. Carries a Retry-After hint."""

    def __init__(self, name: str, retry_after: float) -> None:
        super().__init__(f"circuit '{name}' is open; retry in {retry_after:.1f} s")
        self.retry_after = retry_after


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int = 3,
        reset_timeout: float = 10.0,
        *,
        half_open_trials: int = 1,
        exclude: tuple[type[BaseException], ...] = (),
        clock: Callable[[], float] = time.monotonic,
        name: str = "dependency",
    ) -> None:
        if failure_threshold < 1 or half_open_trials < 1 or reset_timeout <= 0:
            raise ValueError("thresholds must be >= 1 and reset_timeout > 0")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.half_open_trials = half_open_trials
        self.exclude = exclude  # errors that say nothing about the dependency's health
        self.name = name
        self._clock = clock
        self._lock = threading.Lock()  # one breaker is shared by all request threads
        self._state = State.CLOSED
        self._failures = 0        # consecutive failures while CLOSED
        self._opened_at = 0.0     # when the current OPEN period started
        self._trials_started = 0  # trial permits handed out in this HALF_OPEN period
        self._trial_successes = 0
        self.transitions: list[str] = []

    @property
    def state(self) -> State:
        # Reading the state never changes it: like most libraries, this breaker
        # leaves OPEN lazily, on the first call after the timeout.
        return self._state

    @property
    def failure_count(self) -> int:
        return self._failures

    # -- the two-step API: ask permission, then report the outcome -----------
    def acquire(self) -> None:
        """Allow one call or raise CircuitOpenError. Never calls the dependency."""
        with self._lock:
            if self._state is State.OPEN:
                waited = self._clock() - self._opened_at
                if waited < self.reset_timeout:
                    raise CircuitOpenError(self.name, self.reset_timeout - waited)
                self._move_to(State.HALF_OPEN)
            if self._state is State.HALF_OPEN:
                if self._trials_started >= self.half_open_trials:
                    # The trial is still in flight: everyone else fails fast, so a
                    # recovering dependency is not hit by the whole backlog at once.
                    # Its outcome is not known yet; if it fails, the breaker stays
                    # open for another reset_timeout, so that is the honest hint
                    # (0 would invite every caller straight back).
                    raise CircuitOpenError(self.name, self.reset_timeout)
                self._trials_started += 1

    def release(self) -> None:
        """Give back a permit whose call ended without an outcome (it was cancelled)."""
        with self._lock:
            if self._state is State.HALF_OPEN and self._trials_started > self._trial_successes:
                self._trials_started -= 1

    def record_success(self) -> None:
        with self._lock:
            if self._state is State.HALF_OPEN:
                self._trial_successes += 1
                if self._trial_successes >= self.half_open_trials:
                    self._move_to(State.CLOSED)
            else:
                self._failures = 0  # the count is of *consecutive* failures

    def record_failure(self) -> None:
        with self._lock:
            if self._state is State.HALF_OPEN:
                self._move_to(State.OPEN)  # one failed trial re-opens, timer restarts
            elif self._state is State.CLOSED:
                self._failures += 1
                if self._failures >= self.failure_threshold:
                    self._move_to(State.OPEN)

    def _move_to(self, new: State) -> None:
        self.transitions.append(f"{self._state.value}->{new.value}")
        self._state = new
        self._failures = 0
        self._trials_started = 0
        self._trial_successes = 0
        if new is State.OPEN:
            self._opened_at = self._clock()

    # -- the convenient APIs: explicit call and decorator ---------------------
    def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        self.acquire()  # may raise CircuitOpenError: fn is then never invoked
        try:
            result = fn(*args, **kwargs)
        except self.exclude:
            # A validation error or a 404 means the dependency answered: health is fine.
            self.record_success()
            raise
        except Exception:
            self.record_failure()
            raise
        except BaseException:
            # KeyboardInterrupt, SystemExit, a gevent Timeout: the call was
            # cancelled and says nothing about the dependency. Give the trial
            # permit back, or a half-open breaker would reject every call for ever.
            self.release()
            raise
        self.record_success()
        return result

    def __call__(self, fn: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(fn)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> T:
            return self.call(fn, *args, **kwargs)

        return guarded
# --8<-- [end:core]


# --8<-- [start:demo]
class ManualClock:
    """A clock that moves only when told to: the test's replacement for time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class FlakyDependency:
    """Stands in for a remote service: counts invocations, fails while unhealthy."""

    def __init__(self) -> None:
        self.healthy = False
        self.calls = 0

    def fetch(self, key: str) -> str:
        self.calls += 1
        if not self.healthy:
            raise ConnectionError("upstream timed out")
        return f"value-for-{key}"


def attempt(breaker: CircuitBreaker, dep: FlakyDependency, clock: ManualClock) -> str:
    """Make one guarded call and describe what happened in one line."""
    try:
        outcome = f"ok {breaker.call(dep.fetch, 'user:42')}"
    except CircuitOpenError as err:
        outcome = f"rejected, retry in {err.retry_after:.1f} s"
    except ConnectionError as err:
        outcome = f"failed: {err}"
    return f"t={clock.now:>4.1f}  {outcome:<32} state={breaker.state.value}"


def main() -> None:
    clock = ManualClock()
    dep = FlakyDependency()
    breaker = CircuitBreaker(failure_threshold=3, reset_timeout=10.0, clock=clock)

    for _ in range(3):  # three failures in a row trip the breaker
        print(attempt(breaker, dep, clock))
    for _ in range(5):  # fail fast: the dependency is not touched
        print(attempt(breaker, dep, clock))
    print(f"dependency invoked {dep.calls} times so far")

    clock.now = 10.0  # timeout elapsed: one trial call, which fails
    print(attempt(breaker, dep, clock))
    clock.now = 15.0  # the failed trial restarted the 10 s timer
    print(attempt(breaker, dep, clock))
    clock.now = 20.0  # second trial, dependency recovered
    dep.healthy = True
    print(attempt(breaker, dep, clock))
    print(f"dependency invoked {dep.calls} times in total")
    print("transitions: " + ", ".join(breaker.transitions))
# --8<-- [end:demo]


if __name__ == "__main__":
    main()
