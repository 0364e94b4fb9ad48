"""A job queue with leases, jittered retries, a dead-letter list and an
idempotent handler, driven by a fake clock so every run prints the same thing.

The queue behaves like Amazon SQS: receive() hides a message for a lease
(the visibility timeout) instead of deleting it, and only ack() deletes it.
A worker that dies before acking therefore loses nothing, but the message is
delivered again when the lease runs out: at-least-once delivery. Everything
else on the page follows from that one fact.

Run it:  python docs/examples/job-queue/job_queue.py
"""

from __future__ import annotations

import itertools
import random
import sqlite3
from dataclasses import dataclass
from typing import Any, Callable

# --8<-- [start:queue]
class FakeClock:
    """Seconds since the demo started. Only advance() moves it, so tests never sleep."""

    def __init__(self) -> None:
        self.now = 0.0

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self.now += seconds


@dataclass
class Message:
    id: int
    job: str
    args: dict[str, Any]
    receive_count: int = 0  # how often the broker handed it out (SQS: ApproximateReceiveCount)
    visible_at: float = 0.0  # receive() skips the message until the clock reaches this


class LeaseQueue:
    """receive() leases a message for `visibility_timeout` seconds; ack() deletes it."""

    def __init__(self, clock: FakeClock, visibility_timeout: float = 30.0) -> None:
        self.clock = clock
        self.visibility_timeout = visibility_timeout
        self._messages: dict[int, Message] = {}
        self._ids = itertools.count(1)

    def enqueue(self, job: str, args: dict[str, Any], delay: float = 0.0) -> Message:
        msg = Message(next(self._ids), job, dict(args), visible_at=self.clock.now + delay)
        self._messages[msg.id] = msg
        return msg

    def receive(self) -> Message | None:
        visible = [m for m in self._messages.values() if m.visible_at <= self.clock.now]
        if not visible:
            return None
        msg = min(visible, key=lambda m: (m.visible_at, m.id))
        msg.receive_count += 1
        # Not deleted, only hidden: if nobody acks before the lease ends, it comes back.
        msg.visible_at = self.clock.now + self.visibility_timeout
        return msg

    def ack(self, msg: Message) -> None:
        del self._messages[msg.id]

    def change_visibility(self, msg: Message, seconds: float) -> None:
        """Hide an in-flight message for `seconds` from now (SQS ChangeMessageVisibility).

        Used here to schedule a retry; a long job would call it as a heartbeat.
        """
        msg.visible_at = self.clock.now + seconds

    def next_visible_at(self) -> float | None:
        return min((m.visible_at for m in self._messages.values()), default=None)

    def __len__(self) -> int:
        return len(self._messages)
# --8<-- [end:queue]


# --8<-- [start:worker]
class TransientError(Exception):
    """Worth retrying: timeouts, HTTP 5xx, lock contention."""


class PermanentError(Exception):
    """Retrying cannot help: invalid input, a record that does not exist."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base: float = 1.0  # seconds
    cap: float = 60.0

    def backoff(self, attempt: int, rng: random.Random) -> tuple[float, float]:
        """'Full jitter': a uniform draw below an exponentially growing ceiling.

        The ceiling doubles per attempt; the draw spreads clients that failed
        together so they do not retry together (Brooker, AWS, 2015).
        """
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        return ceiling, rng.uniform(0, ceiling)


@dataclass
class DeadLetter:
    message: Message
    reason: str


Handler = Callable[[dict[str, Any]], str]


class Worker:
    """Receives, runs, then acks, retries with backoff, or dead-letters one message at a time."""

    def __init__(self, queue: LeaseQueue, handlers: dict[str, Handler], policy: RetryPolicy,
                 rng: random.Random, log: Callable[[str], None] = print) -> None:
        self.queue = queue
        self.handlers = handlers
        self.policy = policy
        self.rng = rng
        self.log = log
        self.succeeded = 0
        self.dead_letter: list[DeadLetter] = []
        # (message id, receive count) pairs on which the process "dies" after the
        # handler ran but before the ack: the gap that makes duplicates possible.
        self.crash_before_ack: set[tuple[int, int]] = set()

    def process_one(self) -> bool:
        msg = self.queue.receive()
        if msg is None:
            return False
        n, limit = msg.receive_count, self.policy.max_attempts
        head = f"t={self.queue.clock.now:6.2f}s  #{msg.id} {msg.job:<18} attempt {n}/{limit}:"
        if n > limit:
            # A message that kills the worker never reaches the except clauses below;
            # only the broker's receive count notices it (SQS: maxReceiveCount).
            self._bury(msg, f"delivered {n} times without an ack (poison message)")
            self.log(f"{head} over the receive limit -> dead-letter")
            return True
        try:
            handler = self.handlers.get(msg.job)
            if handler is None:
                raise PermanentError(f"no handler named {msg.job!r}")
            outcome = handler(msg.args)
        except PermanentError as exc:
            self._bury(msg, f"PermanentError after {n} attempt(s): {exc}")
            self.log(f"{head} PermanentError: {exc} -> not retryable, dead-letter")
        except TransientError as exc:
            if n >= limit:
                self._bury(msg, f"TransientError after {n} attempts: {exc}")
                self.log(f"{head} TransientError: {exc} -> attempts exhausted, dead-letter")
            else:
                ceiling, delay = self.policy.backoff(n, self.rng)
                self.queue.change_visibility(msg, delay)
                self.log(f"{head} TransientError: {exc} -> retry in {delay:.2f}s (ceiling {ceiling:g}s)")
        else:
            if (msg.id, n) in self.crash_before_ack:
                self.log(f"{head} {outcome}; worker crashed before ack")
                return True  # no ack, no retry: the lease will expire and the broker redelivers
            self.queue.ack(msg)
            self.succeeded += 1
            self.log(f"{head} {outcome}; ack")
        return True

    def _bury(self, msg: Message, reason: str) -> None:
        self.queue.ack(msg)  # remove from the live queue so it stops blocking or looping
        self.dead_letter.append(DeadLetter(msg, reason))

    def run(self) -> None:
        """Drain the queue, jumping the fake clock to the next message that becomes visible."""
        while True:
            if self.process_one():
                continue
            wake = self.queue.next_visible_at()
            if wake is None:
                return
            self.queue.clock.advance(wake - self.queue.clock.now)
# --8<-- [end:worker]


# --8<-- [start:idempotent]
class Payments:
    """An idempotent side effect: the key and the balance change commit in one transaction."""

    def __init__(self, balance: int) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.executescript(
            """
            CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
            CREATE TABLE charge (idempotency_key TEXT PRIMARY KEY, amount INTEGER NOT NULL);
            """
        )
        self.db.execute("INSERT INTO account VALUES (1, ?)", (balance,))
        self.db.commit()

    def charge(self, key: str, amount: int) -> bool:
        """Debit once per key. A redelivered job finds its key and changes nothing."""
        with self.db:  # both statements commit together, or neither does
            inserted = self.db.execute(
                "INSERT INTO charge VALUES (?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
                (key, amount),
            ).rowcount
            if inserted == 0:
                return False
            self.db.execute("UPDATE account SET balance = balance - ? WHERE id = 1", (amount,))
            return True

    @property
    def balance(self) -> int:
        return self.db.execute("SELECT balance FROM account WHERE id = 1").fetchone()[0]

    @property
    def side_effects(self) -> int:
        return self.db.execute("SELECT count(*) FROM charge").fetchone()[0]
# --8<-- [end:idempotent]


# --8<-- [start:demo]
def inventory_api_down(args: dict[str, Any]) -> str:
    raise TransientError("inventory API timed out")


def bad_row(args: dict[str, Any]) -> str:
    raise PermanentError(f"row {args['row']}: 'qty' is not a number")


def build_demo(seed: int = 7, log: Callable[[str], None] = print) -> tuple[Worker, Payments]:
    """Five jobs, one per behaviour the page describes."""
    queue = LeaseQueue(FakeClock(), visibility_timeout=30.0)
    payments = Payments(balance=100)
    partner_calls = 0

    def flaky_partner(args: dict[str, Any]) -> str:
        nonlocal partner_calls
        partner_calls += 1
        if partner_calls <= 2:
            raise TransientError("partner returned 503")
        return "partner accepted"

    def charge_card(args: dict[str, Any]) -> str:
        key, amount = str(args["key"]), int(args["amount"])
        if payments.charge(key, amount):
            return f"charged {amount}, balance {payments.balance}"
        return f"key {key} already used, nothing charged, balance {payments.balance}"

    handlers: dict[str, Handler] = {
        "send_welcome_email": lambda args: f"mail queued for {args['to']}",
        "notify_partner": flaky_partner,
        "sync_inventory": inventory_api_down,
        "import_row": bad_row,
        "charge_card": charge_card,
    }
    worker = Worker(queue, handlers, RetryPolicy(), random.Random(seed), log)
    queue.enqueue("send_welcome_email", {"to": "ada@example.com"})
    queue.enqueue("notify_partner", {"order": 42})
    queue.enqueue("sync_inventory", {"sku": "A-1"})
    queue.enqueue("import_row", {"row": 17})
    charge = queue.enqueue("charge_card", {"key": "order-42", "amount": 25})
    worker.crash_before_ack.add((charge.id, 1))  # dies after charging, before the ack
    return worker, payments


def main() -> None:
    worker, payments = build_demo()
    worker.run()
    print(f"succeeded={worker.succeeded} dead={len(worker.dead_letter)} "
          f"side_effects={payments.side_effects} balance={payments.balance}")
    for dead in worker.dead_letter:
        print(f"dead-letter #{dead.message.id} {dead.message.job}: {dead.reason}")
    assert len(worker.dead_letter) == 2 and payments.side_effects == 1
# --8<-- [end:demo]


if __name__ == "__main__":
    main()
