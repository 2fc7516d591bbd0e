"""Runs across processes: forked workers never write the parent's run; a worker's own run keeps its rows."""

from __future__ import annotations

import multiprocessing

import pytest

import spyglass as sg
from spyglass.tracking.process_forks import RunInOtherProcessError


def _train_in_worker(task: int) -> str:
    run = sg.init(project="workers", name=f"worker-{task}", reinit=True)
    for i in range(50):
        run.log({"x": i})
    run.finish()  # a terminated Pool kills its workers: the worker function finishes its run (as with wandb)
    return run.id


def _train_in_process(store: str) -> None:
    run = sg.init(project="workers", name="process", dir=store)
    for i in range(50):
        run.log({"x": i})
    # no finish(): the child's exit (os._exit, no atexit) finishes it through a multiprocessing finalizer


def _log_to_the_inherited_run(_: int) -> None:
    sg.run.log({"x": 1})  # sg.run is None in a forked child: AttributeError


_INHERITED: list = []  # the parent's run object, as a forked child sees it (copied by the fork)


def _log_with_the_parents_run_object(_: int) -> None:
    _INHERITED[0].log({"x": 1})


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool_workers_start_their_own_runs_and_the_parents_run_stays_intact(store, method):
    parent = sg.init(project="workers", name="parent")
    for i in range(100):
        parent.log({"p": i})
    with multiprocessing.get_context(method).Pool(2) as pool:
        worker_ids = pool.map(_train_in_worker, range(2), chunksize=1)
    for i in range(100, 200):
        parent.log({"p": i})
    parent.finish()
    runs = {run.id: run for run in sg.Api().runs("workers")}
    assert runs[parent.id].state == "finished"
    assert runs[parent.id].history(samples=None, pandas=False).column("p").to_pylist() == list(range(200))
    for worker_id in worker_ids:
        assert runs[worker_id].state == "finished"
        assert runs[worker_id].history(samples=None, pandas=False).column("x").to_pylist() == list(range(50))


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_process_that_returns_without_finish_still_finishes_its_run(store, method):
    process = multiprocessing.get_context(method).Process(target=_train_in_process, args=(str(store),))
    process.start()
    process.join(timeout=120)
    assert process.exitcode == 0
    [run] = sg.Api().runs("workers")
    assert run.state == "finished"
    assert run.history(samples=None, pandas=False).column("x").to_pylist() == list(range(50))


def test_a_forked_child_cannot_write_the_run_it_inherited(store):
    parent = sg.init(project="workers", name="parent")
    parent.log({"p": 0})
    _INHERITED[:] = [parent]
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        with pytest.raises(AttributeError):
            pool.apply(_log_to_the_inherited_run, (0,))
        with pytest.raises(RunInOtherProcessError, match="Call spyglass.init\\(\\) in this process"):
            pool.apply(_log_with_the_parents_run_object, (0,))
    parent.log({"p": 1})
    parent.finish()
    stored = sg.Api().run(f"workers/{parent.id}")
    assert stored.state == "finished" and stored.history(samples=None, pandas=False).num_rows == 2
