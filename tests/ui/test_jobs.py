"""The server-wide job pool: bounded, FIFO, stoppable while queued or running, failures contained."""

import threading
import time

from ui.jobs import Job, JobPool


def _wait(pred, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.01)
    return False


def _blocking(release: threading.Event, steps: list):
    def fn(ctx):
        while not release.is_set():
            if ctx.should_stop():
                return "stopped early"
            time.sleep(0.01)
        ctx.on_step({"step": 1, "steps": 1, "loss": 0.5})
        steps.append(1)
        return "finished"
    return fn


def test_pool_runs_at_most_workers_and_queues_the_rest_in_order():
    pool, release, steps = JobPool(workers=2), threading.Event(), []
    jobs = [Job(name=f"j{i}", session_id=None) for i in range(4)]
    for j in jobs:
        pool.submit(j, _blocking(release, steps), lambda: True)
    assert _wait(lambda: pool.running_count() == 2)
    time.sleep(0.1)
    assert [j.status for j in jobs] == ["running", "running", "queued", "queued"]
    assert [pool.queue_position(j) for j in jobs] == [0, 0, 1, 2]
    release.set()
    assert _wait(lambda: all(j.status == "done" for j in jobs))
    assert [j.result for j in jobs] == ["finished"] * 4 and jobs[0].progress == 1.0
    assert pool.running_count() == 0


def test_stop_frees_the_slot_for_the_next_job():
    pool, release, steps = JobPool(workers=1), threading.Event(), []
    first, second = Job(name="a", session_id=None), Job(name="b", session_id=None)
    pool.submit(first, _blocking(release, steps), lambda: True)
    pool.submit(second, _blocking(release, steps), lambda: True)
    assert _wait(lambda: first.status == "running")
    assert pool.queue_position(second) == 1
    first.stop()
    assert _wait(lambda: first.status == "stopped") and first.result == "stopped early"
    assert _wait(lambda: second.status == "running")
    second.stop()
    assert _wait(lambda: second.status == "stopped")


def test_closed_session_stops_its_queued_and_running_jobs():
    pool, release, steps = JobPool(workers=1), threading.Event(), []
    alive = {"a": True}
    running, queued = Job(name="a", session_id="s"), Job(name="b", session_id="s")
    pool.submit(running, _blocking(release, steps), lambda: alive["a"])
    pool.submit(queued, _blocking(release, steps), lambda: alive["a"])
    assert _wait(lambda: running.status == "running")
    alive["a"] = False  # the tab was closed
    assert _wait(lambda: running.status == "stopped" and queued.status == "stopped")
    assert running.result == "stopped early" and pool.queue_position(queued) == 0


def test_a_failing_job_is_reported_and_the_pool_goes_on():
    pool = JobPool(workers=1)
    bad, good = Job(name="bad", session_id=None), Job(name="good", session_id=None)

    def boom(ctx):
        raise ValueError("the text has only one distinct character")

    pool.submit(bad, boom, lambda: True)
    pool.submit(good, lambda ctx: 42, lambda: True)
    assert _wait(lambda: good.status == "done")
    assert bad.status == "failed" and "one distinct character" in bad.error and good.result == 42


def test_jobs_run_at_background_priority_so_page_runs_come_first():
    import os

    pool, seen = JobPool(workers=1), {}

    def fn(ctx):
        seen["nice"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        return "ok"

    job = Job(name="nice", session_id=None)
    pool.submit(job, fn, lambda: True)
    assert _wait(lambda: job.status == "done")
    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert seen["nice"] >= max(10, main)  # a nice 0 server: jobs at 10; already nicer: at least as nice
