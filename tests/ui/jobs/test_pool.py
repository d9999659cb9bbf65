"""The server-wide job pool: bounded, FIFO, stoppable while queued or running, failures contained."""

import threading
import time

from ui.jobs.pool import Job, JobPool


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
    assert _wait(lambda: pool.running_count() == 0)  # the slot is freed just after the status is set


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


# ---------------------------------------------------------------- jobs in child processes


def child_counts(ctx, n: int, fail: bool = False):
    """A job function for the process pool: reports n steps, then returns what process ran it."""
    import os

    for i in range(1, n + 1):
        ctx.on_step({"step": i, "steps": n, "loss": 1.0 / i})
    ctx.progress(1.0, "counted")
    if fail:
        raise ValueError("that text has only one distinct character")
    return {"pid": os.getpid(), "niceness": os.nice(0)}


def child_spins(ctx, seconds: float):
    """Runs until stopped (or `seconds` pass); returns how long it ran."""
    t = time.time()
    ctx.on_step({"step": 1, "steps": 2, "loss": 1.0})
    while time.time() - t < seconds and not ctx.should_stop():
        time.sleep(0.01)
    return time.time() - t


def child_dies(ctx):
    import os

    os._exit(3)


def test_process_job_relays_steps_progress_and_result_from_another_process():
    import os
    from functools import partial

    pool = JobPool(workers=1, processes=True)
    job = Job(name="count", session_id=None)
    pool.submit(job, partial(child_counts, n=5), lambda: True)
    assert _wait(lambda: job.status == "done", timeout=60), (job.status, job.error)
    assert [m["step"] for m in job.metrics] == [1, 2, 3, 4, 5]
    assert job.progress == 1.0 and job.progress_text == "counted"
    assert job.result["pid"] != os.getpid()  # ran outside the server's process (and its interpreter lock)
    assert job.result["niceness"] >= os.nice(0) + 1  # at a lower priority than the pages
    assert _wait(lambda: pool.running_count() == 0, timeout=5)  # the slot is freed just after the status is set


def test_process_job_stop_and_closed_session_end_the_child_within_a_second():
    from functools import partial

    pool = JobPool(workers=1, processes=True)
    job = Job(name="spin", session_id=None)
    pool.submit(job, partial(child_spins, seconds=60), lambda: True)
    assert _wait(lambda: job.metrics, timeout=60)  # the child is up and training
    time.sleep(0.5)
    t = time.time()
    job.stop()
    assert _wait(lambda: job.status == "stopped", timeout=5)
    assert time.time() - t < 1.5 and job.result < 30
    alive = {"v": True}
    other = Job(name="spin", session_id=None)
    pool.submit(other, partial(child_spins, seconds=60), lambda: alive["v"])
    assert _wait(lambda: other.metrics, timeout=60)
    t = time.time()
    alive["v"] = False  # the tab closed
    assert _wait(lambda: other.status == "stopped", timeout=5)
    assert _wait(lambda: pool.running_count() == 0, timeout=1)
    assert time.time() - t < 1.5


def test_process_job_errors_and_crashes_are_reported_and_free_the_slot():
    from functools import partial

    pool = JobPool(workers=1, processes=True)
    bad, dead, good = (Job(name=n, session_id=None) for n in ("bad", "dead", "good"))
    pool.submit(bad, partial(child_counts, n=2, fail=True), lambda: True)
    pool.submit(dead, child_dies, lambda: True)
    pool.submit(good, partial(child_counts, n=1), lambda: True)
    assert _wait(lambda: good.status == "done", timeout=60), (good.status, good.error)
    assert bad.status == "failed" and bad.error == "that text has only one distinct character"
    assert len(bad.metrics) == 2  # what it reported before failing is kept
    assert dead.status == "failed" and "ended unexpectedly (exit code 3)" in dead.error


def test_job_results_are_read_back_through_an_allow_list():
    import os
    import pickle

    import pytest
    import torch

    from rnn_models.network import ModelConfig, SequenceModel
    from ui.jobs.process import read_message

    class Payload:
        def __reduce__(self):
            return (os.system, ("touch /tmp/rnn_studio_payload_ran",))

    with pytest.raises(pickle.UnpicklingError, match="may not contain"):
        read_message(pickle.dumps(("result", Payload(), False)))
    with pytest.raises(pickle.UnpicklingError):
        read_message(pickle.dumps(("result", eval, False)))
    assert not os.path.exists("/tmp/rnn_studio_payload_ran")
    model = SequenceModel(ModelConfig(cell="gru", input_size=3, hidden_size=4, output_size=3))
    kind, back, stopped = read_message(pickle.dumps(("result", {"model": model, "ids": torch.arange(3)}, True)))
    assert kind == "result" and stopped and torch.equal(back["ids"], torch.arange(3))
    assert torch.equal(back["model"].head.weight, model.head.weight)
