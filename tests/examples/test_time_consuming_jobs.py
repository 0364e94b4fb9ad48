"""The time-consuming-jobs examples: a resumable sliced job and asynchronous request-reply."""

import pytest

SLICED = "time-consuming-jobs/sliced_job.py"
ASYNC = "time-consuming-jobs/async_request_reply.py"


@pytest.fixture
def sj(load_example):
    return load_example(SLICED)


@pytest.fixture
def arr(load_example):
    return load_example(ASYNC)


def test_sliced_output_matches_page(run_example, expected_output):
    assert run_example(SLICED) == expected_output("time-consuming-jobs/sliced_job.out")


def test_async_output_matches_page(run_example, expected_output):
    assert run_example(ASYNC) == expected_output("time-consuming-jobs/async_request_reply.out")


# --- slicing with checkpoints ------------------------------------------------

def test_sliced_result_equals_unsliced_result(sj):
    db = sj.make_store(250)
    job = sj.SlicedJob(db, "j", slice_size=100, log=lambda line: None)
    assert job.run() == sum(v * v for v in range(1, 251))
    assert job.checkpoint() == (250, sum(v * v for v in range(1, 251)), 250)


def test_crash_rolls_back_only_the_slice_in_flight(sj):
    db = sj.make_store(1000)
    lines = []
    job = sj.SlicedJob(db, "j", log=lines.append)
    job.crash_in_slice = 5
    with pytest.raises(sj.Crash):
        job.run()
    assert job.checkpoint()[2] == 400
    archived = db.execute("SELECT count(*) FROM item WHERE archived > 0").fetchone()[0]
    assert archived == 400  # slice 5's UPDATE rolled back with its transaction
    assert "CRASH before commit" in lines[-1]


def test_restart_resumes_from_checkpoint_and_touches_each_row_once(sj):
    db = sj.make_store(1000)
    lines = []
    job = sj.SlicedJob(db, "j", log=lines.append)
    job.crash_in_slice = 5
    with pytest.raises(sj.Crash):
        job.run()
    lines.clear()
    restarted = sj.SlicedJob(db, "j", log=lines.append)  # a new worker process, same job id
    assert restarted.run() == sum(v * v for v in range(1, 1001))
    assert lines[0] == "run: resuming from checkpoint, 400 of 1000 rows done"
    assert lines[1].startswith("  slice  5: items  401- 500  committed")
    assert restarted.attempted == 600  # slices 1-4 were not redone
    counts = dict(db.execute("SELECT archived, count(*) FROM item GROUP BY archived").fetchall())
    assert counts == {1: 1000}


def test_rerunning_a_finished_job_changes_nothing(sj):
    db = sj.make_store(300)
    job = sj.SlicedJob(db, "j", log=lambda line: None)
    first = job.run()
    assert job.run() == first and job.run_slice() is False
    assert db.execute("SELECT max(archived) FROM item").fetchone()[0] == 1


def test_progress_is_reported_per_slice(sj):
    lines = []
    sj.SlicedJob(sj.make_store(500), "j", log=lines.append).run()
    assert [line.split("(")[-1] for line in lines[1:]] == ["20%)", "40%)", "60%)", "80%)", "100%)"]


# --- asynchronous request-reply ------------------------------------------------

def test_submit_returns_202_with_status_location(arr):
    api = arr.ExportAPI()
    r = api.post_export("ada", 300, "k")
    assert r.status == 202
    assert r.headers == {"Location": "/jobs/1", "Retry-After": "5"}
    assert r.body["name"] == "jobs/1" and r.body["done"] is False


def test_invalid_request_is_rejected_before_any_job_exists(arr):
    api = arr.ExportAPI()
    assert api.post_export("ada", 0, "k").status == 400
    assert api.jobs == {} and not api.runnable


def test_same_idempotency_key_returns_the_same_job(arr):
    api = arr.ExportAPI()
    first = api.post_export("ada", 300, "k")
    again = api.post_export("ada", 300, "k")
    other_user = api.post_export("bob", 300, "k")  # keys are scoped to the caller
    assert again.headers["Location"] == first.headers["Location"] == "/jobs/1"
    assert other_user.headers["Location"] == "/jobs/2"
    assert len(api.jobs) == 2 and list(api.runnable) == ["1", "2"]


def test_polling_shows_progress_then_redirects_with_303(arr):
    api = arr.ExportAPI(slice_size=100)
    api.post_export("ada", 300, "k")
    seen = []
    while api.worker_step():
        r = api.get_job("ada", "1")
        seen.append((r.status, r.body["metadata"]["progress_percent"]))
    assert seen == [(200, 33), (200, 66), (303, 100)]
    done = api.get_job("ada", "1")
    assert done.headers == {"Location": "/exports/1"}  # no Retry-After once finished
    assert done.body["done"] is True and done.body["response"] == {"export": "/exports/1"}


def test_status_is_private_to_the_submitter(arr):
    api = arr.ExportAPI()
    api.post_export("ada", 100, "k")
    assert api.get_job("bob", "1").status == 404
    assert api.get_job("ada", "99").status == 404
    assert api.delete_job("bob", "1").status == 404


def test_running_job_is_cancelled_between_slices_keeping_partial_progress(arr):
    api = arr.ExportAPI(slice_size=100)
    api.post_export("ada", 500, "k")
    api.worker_step()
    r = api.delete_job("ada", "1")
    assert r.status == 202 and r.body["metadata"]["state"] == "cancelling"
    assert api.worker_step() == "worker: jobs/1 stopped at 100/500, cancelled"
    status = api.get_job("ada", "1")
    assert status.status == 200 and "Retry-After" not in status.headers
    assert status.body["metadata"] == {"state": "cancelled", "items_done": 100,
                                       "items_total": 500, "progress_percent": 20}
    assert api.worker_step() is None


def test_queued_job_is_cancelled_immediately_and_never_runs(arr):
    api = arr.ExportAPI()
    api.post_export("ada", 100, "a")
    api.post_export("ada", 100, "b")
    assert api.delete_job("ada", "1").body["metadata"]["state"] == "cancelled"
    assert api.worker_step() == "worker: jobs/2 slice done, 100/100"
    assert api.jobs["1"].done == 0
    # Cancelling a finished job changes nothing.
    assert api.delete_job("ada", "2").body["metadata"]["state"] == "succeeded"


def test_state_machine_rejects_illegal_transitions(arr):
    job = arr.Job("1", "ada", 10)
    job.move("running")
    job.move("succeeded")
    with pytest.raises(ValueError, match="succeeded -> running"):
        job.move("running")


def test_a_failed_job_is_done_with_an_error_and_no_retry_after(arr):
    """AIP-151: a finished operation has done=true and either a response or an error."""
    api = arr.ExportAPI(slice_size=100)
    api.post_export("ada", 300, "k", bad_row=150)
    assert api.worker_step() == "worker: jobs/1 slice done, 100/300"
    assert api.worker_step() == "worker: jobs/1 failed at 100/300: row 150: quantity is not a number"
    assert api.worker_step() is None  # a failed job is not requeued
    r = api.get_job("ada", "1")
    assert r.status == 200 and "Retry-After" not in r.headers
    assert r.body["done"] is True and "response" not in r.body
    assert r.body["error"] == {"code": 3, "message": "row 150: quantity is not a number"}
    assert r.body["metadata"]["items_done"] == 100  # partial progress is reported


def test_every_terminal_state_is_done_and_stays_done(arr):
    for state in ("succeeded", "failed", "cancelled"):
        job = arr.Job("1", "ada", 10, state=state)
        assert job.resource()["done"] is True
        assert not arr.TRANSITIONS.get(state), f"{state} must have no way out"


def test_a_cancelled_job_is_done_with_the_cancelled_error(arr):
    """google.longrunning: a cancelled operation is not deleted; it ends with error code 1, CANCELLED."""
    job = arr.Job("1", "ada", 10, state="cancelled")
    body = job.resource()
    assert body["done"] is True and "response" not in body
    assert body["error"]["code"] == 1
