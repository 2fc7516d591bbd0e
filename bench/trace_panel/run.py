"""The trace panel's reads on a 100k-call project: the root list (cold and warm), filters and a 10k-call tree.

The project is written by real @sg.op calls (9,000 agent traces of 10 calls, a tenth of them failing, and one
agent trace of 10,101 calls: 100 steps of 100 tool calls). Timed in-process (the endpoints' functions) and over
HTTP through a real Jupyter server, medians of N, side by side with the read API (sg.Api().calls) and DuckDB SQL
over the sessions' calls.parquet. Run: `python bench/trace_panel/run.py [--repeats 7]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import spyglass as sg
from spyglass.server import calls_index
from spyglass.server.calls_index import project_calls
from spyglass.server.calls_query import list_roots, trace_json

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kernel-bridge" / "tests"))
from server_harness import http, jupyter_server

PROJECT = "bench-agent"
TRACES = 9_000


def write_project(root: Path) -> str:
    """The project's calls through @sg.op; answers the big tree's trace id."""
    sg.init_traces(PROJECT, dir=root)

    @sg.op
    def llm(messages, step):
        sg.traces.current_call().usage = {
            "input_tokens": 100 + step,
            "output_tokens": 20,
        }
        sg.traces.current_call().cost = 0.0001
        return {
            "role": "assistant",
            "content": f"thinking about step {step}",
            "tool_calls": [{"name": "search"}],
        }

    @sg.op
    def search(query):
        return [f"hit {query}"]

    @sg.op
    def agent(question, steps, fail=False):
        for step in range(steps):
            llm([{"role": "user", "content": question}], step)
            search(question)
        if fail:
            raise RuntimeError("the agent gave up")
        return "done"

    @sg.op
    def plan_step(index, tools):
        for tool in range(tools):
            search(f"{index}/{tool}")

    @sg.op
    def big_agent():
        for index in range(100):
            plan_step(index, 100)

    for index in range(TRACES):
        try:
            agent(f"question {index} about topic {index % 50}", 4, fail=index % 10 == 0)
            search(f"loose {index}")  # a root call of its own every other trace
        except RuntimeError:
            pass
    big_agent()
    sg.finish_traces()
    calls = project_calls(root, PROJECT)
    [big] = list_roots(calls, op_name="big_agent")["calls"]
    return big["trace_id"]


def median_ms(action, repeats: int, before=None) -> float:
    times = []
    for _ in range(repeats):
        if before:
            before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        big_trace = write_project(root)
        total = sum(
            session.calls.num_rows for session in project_calls(root, PROJECT).sessions
        )
        roots = project_calls(root, PROJECT).roots.num_rows
        print(
            f"project: {total:,} calls, {roots:,} root calls, written in {time.perf_counter() - start:.1f} s"
        )

        def cold_list():
            list_roots(project_calls(root, PROJECT))

        rows = {
            "list, cold (sessions read)": median_ms(
                cold_list, repeats, calls_index._projects.clear
            ),
            "list, warm (polling)": median_ms(cold_list, repeats),
            "filter status=error": median_ms(
                lambda: list_roots(project_calls(root, PROJECT), status="error"),
                repeats,
            ),
            "filter text 'topic 7'": median_ms(
                lambda: list_roots(project_calls(root, PROJECT), text="topic 7"),
                repeats,
            ),
            "tree of 10,101 calls": median_ms(
                lambda: trace_json(project_calls(root, PROJECT), big_trace), repeats
            ),
        }
        parquet = f"{root}/{PROJECT}/.traces/*/calls.parquet"
        alternatives = {
            "list, cold (sessions read)": (
                "sg.Api().calls(parent_id=None) newest 100 (1 run)",
                lambda: sorted(
                    sg.Api(dir=root).calls(PROJECT, filters={"parent_id": None}),
                    key=lambda c: c.started_at,
                    reverse=True,
                )[:100],
            ),
            "list, warm (polling)": (
                "duckdb: roots newest 100 from parquet",
                lambda: duckdb.sql(
                    f"select * exclude (inputs, output) from '{parquet}' where parent_id is null "
                    "order by started_at desc limit 100"
                ).fetchall(),
            ),
            "filter text 'topic 7'": (
                "duckdb: ilike over inputs",
                lambda: duckdb.sql(
                    f"select id from '{parquet}' where parent_id is null and inputs ilike '%topic 7%' "
                    "order by started_at desc limit 100"
                ).fetchall(),
            ),
            "tree of 10,101 calls": (
                "duckdb: the trace's rows as Python tuples",
                lambda: duckdb.sql(
                    f"select * from '{parquet}' where trace_id = '{big_trace}'"
                ).fetchall(),
            ),
        }
        print(f"\nin process, median of {repeats} (ms)")
        for name, ms in rows.items():
            line = f"  {name:<28} {ms:8.1f}"
            if name in alternatives:
                label, action = alternatives[name]
                # The read API decodes every call into objects (over a minute here): timed once.
                other = median_ms(action, 1 if label.startswith("sg.Api") else repeats)
                line += f"   | {label}: {other:8.1f}  (ratio {other / ms:.1f}x)"
            print(line)

        with jupyter_server(root, root.parent / f"{root.name}-jupyter") as url:
            query = {"store_root": str(root), "project": PROJECT}

            def get(endpoint, **params):
                status, _, body = http(
                    url, f"/spyglass/api/v1/{endpoint}", timeout=60, **query, **params
                )
                assert status == 200, body[:300]
                return json.loads(body)

            first = time.perf_counter()
            get("calls")
            cold = (time.perf_counter() - first) * 1000
            print(f"\nover HTTP (a real jupyter server), median of {repeats} (ms)")
            print(f"  {'list, cold (first request)':<28} {cold:8.1f}")
            for name, action in {
                "list, warm": lambda: get("calls"),
                "filter status=error": lambda: get("calls", status="error"),
                "filter text 'topic 7'": lambda: get("calls", q="topic 7"),
                "tree of 10,101 calls": lambda: get("calls/trace", trace_id=big_trace),
            }.items():
                print(f"  {name:<28} {median_ms(action, repeats):8.1f}")


if __name__ == "__main__":
    main()
