"""Async predicts and scorers, `await evaluate_async`, evaluate() inside a running loop, and the bound on
how many examples run at once (default 8), for sync and async predicts."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from eval_helpers import calls_by_op, qa_rows, stored_results

import spyglass as sg


class AsyncEcho(sg.Model):
    delay: float = 0.0

    async def predict(self, question: str) -> str:
        await asyncio.sleep(self.delay)
        return "a" + question[1:]


async def async_exact(output: str, expected: str) -> bool:
    await asyncio.sleep(0)
    return output == expected


def test_await_evaluate_async_runs_on_the_callers_loop(eval_store):
    evaluation = sg.Evaluation(qa_rows(), [async_exact], name="async")

    async def main():
        loop = asyncio.get_running_loop()
        summary = await evaluation.evaluate_async(AsyncEcho(), project="proj", progress=False)
        return summary, loop

    summary, _ = asyncio.run(main())
    assert summary["scores"]["async_exact"]["mean"] == 1.0 and summary["failed"] == 0
    calls = calls_by_op(eval_store, "proj")
    examples = {call.id for call in calls["Evaluation.predict_and_score"]}
    assert len(calls["AsyncEcho.predict"]) == 6
    assert {call.parent_id for call in calls["AsyncEcho.predict"]} == examples
    assert {call.parent_id for call in calls["async_exact"]} == examples


def test_evaluate_blocks_and_works_inside_a_running_loop_as_in_a_notebook_cell(eval_store):
    evaluation = sg.Evaluation(qa_rows(), [async_exact], name="in-loop")

    async def cell():
        # A notebook cell runs inside the kernel's loop; the blocking call must not need that loop.
        return evaluation.evaluate(AsyncEcho(), project="proj", progress=False)

    summary = asyncio.run(cell())
    assert summary["scores"]["async_exact"]["mean"] == 1.0
    assert stored_results(eval_store, summary).num_rows == 6


class InFlight:
    """Counts examples inside predict at once (threads or tasks) and keeps the largest count seen."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.most = 0

    def enter(self):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def leave(self):
        with self.lock:
            self.now -= 1


@pytest.mark.parametrize("bound", [1, 3])
def test_a_sync_predict_never_runs_more_than_max_concurrency_at_once(eval_store, bound):
    seen = InFlight()

    def slow(question):
        seen.enter()
        time.sleep(0.05)
        seen.leave()
        return question

    evaluation = sg.Evaluation(qa_rows(12), [], name="bound", max_concurrency=bound)
    evaluation.evaluate(slow, project="proj", progress=False)
    assert seen.most == bound  # reached, never passed


def test_an_async_predict_never_runs_more_than_max_concurrency_at_once(eval_store):
    seen = InFlight()

    async def slow(question):
        seen.enter()
        await asyncio.sleep(0.05)
        seen.leave()
        return question

    evaluation = sg.Evaluation(qa_rows(20), [], name="bound")
    assert evaluation.max_concurrency == 8
    evaluation.evaluate(slow, project="proj", progress=False)
    assert seen.most == 8
    seen.most = 0
    evaluation = sg.Evaluation(qa_rows(20), [], name="bound", max_concurrency=2)
    evaluation.evaluate(slow, project="proj", progress=False)
    assert seen.most == 2


def test_concurrency_makes_slow_predicts_overlap(eval_store):
    started = time.perf_counter()
    sg.Evaluation(qa_rows(16), [], name="fast", max_concurrency=8).evaluate(
        AsyncEcho(delay=0.2), project="proj", progress=False
    )
    # 16 examples of 0.2 s, 8 at a time: two waves (0.4 s), far from 3.2 s one after another.
    assert time.perf_counter() - started < 2.5
