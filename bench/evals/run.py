"""An evaluation of N examples at concurrency C against the same requests made without Spyglass, side by side.

    .venv/bin/python bench/evals/run.py [--examples 1000] [--concurrency 16] [--rounds 3] \\
        [--latency 0.02] [--base-url http://127.0.0.1:PORT/v1 --model NAME | --local-server]

Without --base-url each request is an `asyncio.sleep(latency)` stand-in for a model server (the evaluation's own
cost is what is left); with it, each request is a real `chat.completions.create` of the official async openai
client against that OpenAI-compatible server; --local-server starts the tests' tiny model server for it
(kernel-bridge/tests/llm_server.py, needs .venv-integrations) and stops it after.
Contenders, interleaved in each round on the same loop:
- plain: the requests under an asyncio.Semaphore(C), nothing recorded;
- spyglass: `sg.Evaluation(rows, [exact match], max_concurrency=C).evaluate_async(model)`: every predict and
  score traced, the results table, summary and run written to a fresh store.
Prints each contender's median wall time over the rounds and the ratio spyglass / plain (issue 17 asks <= 1.2).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--latency", type=float, default=0.02, help="seconds per stand-in request"
    )
    parser.add_argument(
        "--base-url", default=None, help="an OpenAI-compatible server (ends in /v1)"
    )
    parser.add_argument("--model", default=None, help="the server's model name")
    parser.add_argument(
        "--local-server",
        action="store_true",
        help="start the tests' tiny model server (kernel-bridge/tests/llm_server.py) and use it",
    )
    args = parser.parse_args()
    if args.local_server:
        return _with_local_server(args)
    return _bench(args)


def _with_local_server(args: argparse.Namespace) -> int:
    # The server the LLM tests use: transformers serve over a tiny random model, in .venv-integrations.
    sys.path.insert(
        0, str(Path(__file__).resolve().parents[2] / "kernel-bridge" / "tests")
    )
    from llm_server import tiny_llm_server

    with (
        tempfile.TemporaryDirectory(prefix="bench-evals-server-") as directory,
        tiny_llm_server(Path(directory)) as server,
    ):
        args.base_url, args.model = server.base_url, server.model
        print(f"local model server at {server.base_url}", flush=True)
        return _bench(args)


def _bench(args: argparse.Namespace) -> int:
    request = (
        _server_request(args.base_url, args.model)
        if args.base_url
        else _sleep_request(args.latency)
    )
    rows = [
        {"question": f"question {i}", "expected": f"answer {i}"}
        for i in range(args.examples)
    ]
    times: dict[str, list[float]] = {"plain": [], "spyglass": []}
    print(f"load average before: {os.getloadavg()}")
    for round_number in range(args.rounds):
        for name in (
            ("plain", "spyglass") if round_number % 2 == 0 else ("spyglass", "plain")
        ):
            seconds = asyncio.run(
                _round(_CONTENDERS[name], request, rows, args.concurrency)
            )
            times[name].append(seconds)
            print(f"round {round_number + 1} {name}: {seconds:.3f} s", flush=True)
    plain, spyglass = (statistics.median(times[name]) for name in ("plain", "spyglass"))
    source = (
        f"server {args.base_url}"
        if args.base_url
        else f"stand-in requests of {args.latency * 1000:.0f} ms"
    )
    print(
        f"{args.examples} examples, concurrency {args.concurrency}, {source}, median of {args.rounds}:"
    )
    print(f"  plain     {plain:8.3f} s")
    print(f"  spyglass  {spyglass:8.3f} s   ratio {spyglass / plain:.2f}x")
    print(f"load average after: {os.getloadavg()}")
    return 0


async def _round(contender, request, rows, concurrency: int) -> float:
    try:
        return await contender(request, rows, concurrency)
    finally:
        close = getattr(request, "close", None)
        if (
            close is not None
        ):  # the server client of this round's loop, closed while the loop runs
            await close()


async def _plain(request, rows, concurrency: int) -> float:
    gate = asyncio.Semaphore(concurrency)

    async def one(row):
        async with gate:
            output = await request(row["question"])
            return output == row["expected"]

    started = time.perf_counter()
    await asyncio.gather(*(one(row) for row in rows))
    return time.perf_counter() - started


async def _spyglass(request, rows, concurrency: int) -> float:
    import spyglass as sg

    async def model(question):
        return await request(question)

    with tempfile.TemporaryDirectory(prefix="bench-evals-") as root:
        evaluation = sg.Evaluation(
            rows, [sg.evals.ExactMatch()], name="bench", max_concurrency=concurrency
        )
        started = time.perf_counter()
        summary = await evaluation.evaluate_async(
            model, project="bench", dir=root, progress=False
        )
        seconds = time.perf_counter() - started
        sg.finish_traces()
    assert summary["examples"] == len(rows) and summary["failed"] == 0, summary
    return seconds


_CONTENDERS = {"plain": _plain, "spyglass": _spyglass}


def _sleep_request(latency: float):
    async def request(question: str) -> str:
        await asyncio.sleep(latency)
        return "answer " + question.rpartition(" ")[2]

    return request


def _server_request(base_url: str, model: str | None):
    if not model:
        sys.exit("--base-url needs --model (the server's model name)")
    import openai

    def request_factory():
        client = openai.AsyncOpenAI(
            base_url=base_url, api_key=os.environ.get("OPENAI_API_KEY", "local")
        )

        async def request(question: str) -> str:
            reply = await client.chat.completions.create(
                model=model,
                messages=[{"role": "user", "content": question}],
                max_tokens=8,
            )
            return reply.choices[0].message.content or ""

        request.client = client
        return request

    # One client per event loop (each contender's round runs its own loop).
    holder: dict[int, object] = {}

    async def request(question: str) -> str:
        loop_id = id(asyncio.get_running_loop())
        if loop_id not in holder:
            holder.clear()
            holder[loop_id] = request_factory()
        return await holder[loop_id](question)

    async def close() -> None:
        for made in holder.values():
            await made.client.close()
        holder.clear()

    request.close = close
    return request


if __name__ == "__main__":
    sys.exit(main())
