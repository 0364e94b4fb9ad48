"""Asynchronous request-reply in one process: 202 Accepted, a status resource,
idempotent submission, polling with Retry-After, 303 See Other on success and
cooperative cancellation between slices.

There is no web server and no thread: the "API" is a class whose methods
return (status, headers, body) like an HTTP handler would, and the worker is
stepped by hand, one slice per step, so the run is the same every time.

Run it:  python docs/examples/time-consuming-jobs/async_request_reply.py
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

# --8<-- [start:resource]
# Which state may follow which (the page's state diagram). Anything else is a bug.
TRANSITIONS: dict[str, set[str]] = {
    "queued": {"running", "cancelled"},
    "running": {"running", "succeeded", "failed", "cancelling"},
    "cancelling": {"cancelled"},
}
# A finished job stays finished (AIP-151: `done` never goes back to false); a
# retry of a failed job is a new job.
TERMINAL = {"succeeded", "failed", "cancelled"}


@dataclass
class Job:
    id: str
    owner: str
    total: int
    done: int = 0
    state: str = "queued"
    bad_row: int | None = None  # stands in for data the export cannot read
    error: str | None = None

    def move(self, new: str) -> None:
        if new not in TRANSITIONS.get(self.state, set()):
            raise ValueError(f"job {self.id}: {self.state} -> {new} is not allowed")
        self.state = new

    def resource(self) -> dict[str, Any]:
        """The status body, shaped like Google's AIP-151 Operation."""
        body: dict[str, Any] = {
            "name": f"jobs/{self.id}",
            "done": self.state in TERMINAL,
            "metadata": {"state": self.state, "items_done": self.done, "items_total": self.total,
                         "progress_percent": 100 * self.done // self.total},
        }
        if self.state == "succeeded":
            body["response"] = {"export": f"/exports/{self.id}"}
        if self.state == "failed":  # AIP-151: a done operation has a response or an error
            body["error"] = {"code": 3, "message": self.error}  # 3: INVALID_ARGUMENT
        if self.state == "cancelled":  # a cancelled operation ends with code 1, CANCELLED
            body["error"] = {"code": 1, "message": "cancelled by the client"}
        return body


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
# --8<-- [end:resource]


# --8<-- [start:api]
class ExportAPI:
    def __init__(self, slice_size: int = 100, retry_after: int = 5) -> None:
        self.slice_size, self.retry_after = slice_size, retry_after
        self.jobs: dict[str, Job] = {}
        self.by_key: dict[tuple[str, str], str] = {}  # (owner, Idempotency-Key) -> job id
        self.runnable: deque[str] = deque()  # stands in for the job queue
        self._ids = itertools.count(1)

    def post_export(self, owner: str, rows: int, idempotency_key: str, bad_row: int | None = None) -> Response:
        """POST /exports: validate, record the job, enqueue it, answer at once."""
        if (owner, idempotency_key) in self.by_key:  # a retried POST: same job, no duplicate work
            return self._accepted(self.jobs[self.by_key[(owner, idempotency_key)]])
        if rows <= 0:  # reject bad input now, not minutes later in a worker
            return Response(400, body={"error": "rows must be positive"})
        job = Job(str(next(self._ids)), owner, rows, bad_row=bad_row)
        self.jobs[job.id] = job
        self.by_key[(owner, idempotency_key)] = job.id
        self.runnable.append(job.id)
        return self._accepted(job)

    def _accepted(self, job: Job) -> Response:
        return Response(202, {"Location": f"/jobs/{job.id}", "Retry-After": str(self.retry_after)},
                        job.resource())

    def get_job(self, owner: str, job_id: str) -> Response:
        """GET /jobs/{id}: 200 with progress while pending, 303 to the result when done."""
        job = self.jobs.get(job_id)
        if job is None or job.owner != owner:  # 404, not 403: do not reveal other people's jobs
            return Response(404)
        if job.state == "succeeded":
            return Response(303, {"Location": f"/exports/{job.id}"}, job.resource())
        headers = {} if job.state in TERMINAL else {"Retry-After": str(self.retry_after)}
        return Response(200, headers, job.resource())

    def delete_job(self, owner: str, job_id: str) -> Response:
        """DELETE /jobs/{id}: ask for cancellation; the worker honours it between slices."""
        job = self.jobs.get(job_id)
        if job is None or job.owner != owner:
            return Response(404)
        if job.state == "queued":
            job.move("cancelled")  # never started: nothing to wind down
        elif job.state == "running":
            job.move("cancelling")
        return Response(202, {"Location": f"/jobs/{job.id}"}, job.resource())

    def worker_step(self) -> str | None:
        """Run one slice of the next runnable job, round-robin. Returns a log line."""
        while self.runnable:
            job = self.jobs[self.runnable.popleft()]
            if job.state == "cancelled":
                continue  # cancelled while still queued
            if job.state == "cancelling":  # checked between slices: cooperative cancellation
                job.move("cancelled")
                return f"worker: jobs/{job.id} stopped at {job.done}/{job.total}, cancelled"
            job.move("running")
            end = min(job.total, job.done + self.slice_size)
            if job.bad_row is not None and job.done < job.bad_row <= end:
                # A permanent error: retrying the slice would fail the same way.
                # Stop with an error a person can act on; items_done says how far it got.
                job.error = f"row {job.bad_row}: quantity is not a number"
                job.move("failed")
                return f"worker: jobs/{job.id} failed at {job.done}/{job.total}: {job.error}"
            job.done = end
            if job.done == job.total:
                job.move("succeeded")
            else:
                self.runnable.append(job.id)  # the rest waits its turn behind other jobs
            return f"worker: jobs/{job.id} slice done, {job.done}/{job.total}"
        return None
# --8<-- [end:api]


# --8<-- [start:demo]
REASONS = {200: "OK", 202: "Accepted", 303: "See Other", 400: "Bad Request", 404: "Not Found"}


def show(request: str, r: Response) -> None:
    meta = r.body.get("metadata", {})
    state = f" {meta['state']} {meta['progress_percent']}%" if meta else ""
    headers = "".join(f" {k}: {v}" for k, v in r.headers.items())
    error = f" error: {r.body['error']['message']}" if "error" in r.body and meta else ""
    print(f"{request:<40} -> {r.status} {REASONS[r.status]}{state}{headers}{error}")


def main() -> None:
    api = ExportAPI(slice_size=100, retry_after=5)
    show("POST /exports rows=0", api.post_export("ada", 0, "k-0"))
    show("POST /exports rows=1000 key=k-1", api.post_export("ada", 1000, "k-1"))
    show("POST /exports rows=1000 key=k-1 (retry)", api.post_export("ada", 1000, "k-1"))
    show("POST /exports rows=600 key=k-2", api.post_export("ada", 600, "k-2"))
    show("GET /jobs/1", api.get_job("ada", "1"))
    for step in range(1, 15):
        line = api.worker_step()
        if line is None:
            break
        print(f"  {line}")
        if step == 4:
            show("DELETE /jobs/2", api.delete_job("ada", "2"))
        if step % 3 == 0:
            show("GET /jobs/1", api.get_job("ada", "1"))
    show("GET /jobs/1", api.get_job("ada", "1"))
    show("GET /jobs/2", api.get_job("ada", "2"))
    show("GET /jobs/1 (as another user)", api.get_job("bob", "1"))
    show("POST /exports rows=300 key=k-3 (bad row)", api.post_export("ada", 300, "k-3", bad_row=217))
    while line := api.worker_step():
        print(f"  {line}")
    show("GET /jobs/3", api.get_job("ada", "3"))
    assert len(api.jobs) == 3 and api.jobs["1"].state == "succeeded"
    assert api.jobs["2"].state == "cancelled" and api.jobs["2"].done == 200
    assert api.jobs["3"].resource()["done"] and api.jobs["3"].done == 200
# --8<-- [end:demo]


if __name__ == "__main__":
    main()
