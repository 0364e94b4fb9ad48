"""The job-queue example: leases, jittered backoff, dead letters, idempotency."""

import random

import pytest

EXAMPLE = "job-queue/job_queue.py"


@pytest.fixture
def jq(load_example):
    return load_example(EXAMPLE)


def make_worker(jq, handlers, max_attempts=4, visibility_timeout=30.0):
    queue = jq.LeaseQueue(jq.FakeClock(), visibility_timeout=visibility_timeout)
    lines = []
    worker = jq.Worker(queue, handlers, jq.RetryPolicy(max_attempts=max_attempts),
                       random.Random(1), log=lines.append)
    return queue, worker, lines


def test_output_matches_page(run_example, expected_output):
    assert run_example(EXAMPLE) == expected_output("job-queue/job_queue.out")


def test_clock_never_runs_backwards(jq):
    clock = jq.FakeClock()
    clock.advance(2.5)
    assert clock.now == 2.5
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_unacked_message_is_redelivered_when_its_lease_expires(jq):
    queue = jq.LeaseQueue(jq.FakeClock(), visibility_timeout=30.0)
    sent = queue.enqueue("job", {})
    first = queue.receive()
    assert first is sent and first.receive_count == 1
    assert queue.receive() is None  # hidden while leased, not deleted
    queue.clock.advance(29.9)
    assert queue.receive() is None
    queue.clock.advance(0.1)
    again = queue.receive()
    assert again is sent and again.receive_count == 2  # at-least-once: same message, second delivery
    queue.ack(again)
    assert len(queue) == 0 and queue.next_visible_at() is None


def test_delayed_message_waits_for_its_time(jq):
    queue = jq.LeaseQueue(jq.FakeClock())
    queue.enqueue("later", {}, delay=10)
    assert queue.receive() is None
    assert queue.next_visible_at() == 10


def test_backoff_ceiling_doubles_is_capped_and_draws_below_it(jq):
    policy = jq.RetryPolicy(base=1.0, cap=8.0)
    rng = random.Random(3)
    draws = [policy.backoff(attempt, rng) for attempt in range(1, 7)]
    assert [ceiling for ceiling, _ in draws] == [1, 2, 4, 8, 8, 8]
    assert all(0 <= delay <= ceiling for ceiling, delay in draws)
    # Same seed, same schedule: the demo's output is reproducible.
    rng2 = random.Random(3)
    assert draws == [policy.backoff(attempt, rng2) for attempt in range(1, 7)]


def test_transient_failure_is_retried_with_backoff_then_succeeds(jq):
    calls = []

    def flaky(args):
        calls.append(len(calls))
        if len(calls) < 3:
            raise jq.TransientError("503")
        return "ok"

    queue, worker, lines = make_worker(jq, {"flaky": flaky})
    queue.enqueue("flaky", {})
    worker.run()
    assert len(calls) == 3 and worker.succeeded == 1 and worker.dead_letter == []
    assert "retry in" in lines[0] and "retry in" in lines[1] and lines[2].endswith("ok; ack")
    assert queue.clock.now > 0  # the retries waited on the (fake) clock


def test_always_transient_job_lands_in_dead_letter_after_last_attempt(jq):
    def down(args):
        raise jq.TransientError("timeout")

    queue, worker, lines = make_worker(jq, {"down": down}, max_attempts=4)
    queue.enqueue("down", {})
    worker.run()
    assert len(lines) == 4
    assert [line.count("retry in") for line in lines] == [1, 1, 1, 0]
    assert "attempts exhausted" in lines[-1]
    (dead,) = worker.dead_letter
    assert dead.message.receive_count == 4 and "after 4 attempts" in dead.reason
    assert len(queue) == 0  # buried messages leave the live queue


def test_permanent_error_is_not_retried(jq):
    calls = []

    def invalid(args):
        calls.append(1)
        raise jq.PermanentError("bad input")

    queue, worker, _ = make_worker(jq, {"invalid": invalid})
    queue.enqueue("invalid", {})
    worker.run()
    assert len(calls) == 1
    assert worker.dead_letter[0].reason.startswith("PermanentError after 1 attempt")


def test_unknown_job_name_is_a_permanent_error(jq):
    queue, worker, _ = make_worker(jq, {})
    queue.enqueue("renamed_in_new_release", {})
    worker.run()
    assert "no handler named 'renamed_in_new_release'" in worker.dead_letter[0].reason


def test_poison_message_is_dead_lettered_by_receive_count(jq):
    queue, worker, lines = make_worker(jq, {"oom": lambda args: "done"}, max_attempts=3)
    msg = queue.enqueue("oom", {})
    worker.crash_before_ack |= {(msg.id, n) for n in range(1, 10)}  # dies on every delivery
    worker.run()
    (dead,) = worker.dead_letter
    assert dead.message.receive_count == 4 and "poison message" in dead.reason
    assert queue.clock.now == 90  # three leases of 30 s expired before the fourth receive


def test_payments_charge_once_per_key(jq):
    payments = jq.Payments(balance=100)
    assert payments.charge("k1", 30) is True
    assert payments.charge("k1", 30) is False
    assert payments.charge("k2", 5) is True
    assert payments.balance == 65 and payments.side_effects == 2


def test_demo_redelivers_the_charge_but_moves_money_once(jq):
    lines = []
    worker, payments = jq.build_demo(log=lines.append)
    worker.run()
    charge_lines = [line for line in lines if "charge_card" in line]
    assert len(charge_lines) == 2  # delivered twice: crash before ack, then lease expiry
    assert "worker crashed before ack" in charge_lines[0]
    assert charge_lines[1].startswith("t= 30.00s") and "nothing charged" in charge_lines[1]
    assert payments.side_effects == 1 and payments.balance == 75
    assert worker.succeeded == 3
    assert sorted(d.message.job for d in worker.dead_letter) == ["import_row", "sync_inventory"]


def test_flaky_partner_succeeds_on_third_attempt_in_demo(jq):
    lines = []
    worker, _ = jq.build_demo(log=lines.append)
    worker.run()
    partner = [line for line in lines if "notify_partner" in line]
    assert [f"attempt {n}/4" in line for n, line in enumerate(partner, 1)] == [True] * 3
    assert partner[-1].endswith("partner accepted; ack")
