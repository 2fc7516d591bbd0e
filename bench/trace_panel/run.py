"""The trace panel's reads on a 100k-call project: the root list (cold and warm), filters, the SQL box and a
10k-call tree (server side, JSON against Arrow IPC, and the page's decode and tree building in node).

The project is written by real @sg.op calls (9,000 agent traces of 10 calls, a tenth of them failing, and one
agent trace of 10,101 calls: 100 steps of 100 tool calls). Timed in-process (the endpoints' functions) and over
HTTP through a real Jupyter server, medians of N, side by side with DuckDB SQL over the sessions'
calls.parquet and the cold read of every column (as before the listing columns); wall and CPU time, and the
load average. Needs `npx tsc --build` for the
page side. Run: `python bench/trace_panel/run.py [--repeats 7]`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import spyglass as sg
from spyglass.server import calls_index
from spyglass.server.calls_index import (
    _roots_with_totals,
    _with_session,
    project_calls,
    project_feedback,
)
from spyglass.server.calls_query import list_roots, trace_arrow, trace_json
from spyglass.server.calls_user_sql import run_user_sql
from spyglass.traces.call_feedback import add_feedback
from spyglass.traces.call_reader import read_session_calls, session_directories

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


def median_ms(action, repeats: int, before=None) -> tuple[float, float]:
    """(median wall ms, median CPU ms of this process, all threads) of `action`."""
    times, cpu = [], []
    for _ in range(repeats):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu)


def load() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def read_every_column(root: Path) -> None:
    """The cold read before the listing columns: every session read whole, then the roots and totals."""
    for path in session_directories(root, PROJECT):
        _roots_with_totals(_with_session(read_session_calls(path), path.name))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        big_trace = write_project(root)
        calls = project_calls(root, PROJECT)
        total = sum(session.calls().num_rows for session in calls.sessions)
        print(
            f"project: {total:,} calls, {calls.roots.num_rows:,} root calls, written in "
            f"{time.perf_counter() - start:.1f} s; {load()}"
        )
        some = [row["id"] for row in list_roots(calls, limit=50)["calls"]]
        for index, call_id in enumerate(
            some
        ):  # feedback on 50 traces, for the feedback filters
            add_feedback(
                root,
                PROJECT,
                call_id,
                "label" if index % 2 else "thumbs",
                "wrong" if index % 2 else "down",
            )

        def cold_list():
            calls_index._projects.clear()
            list_roots(
                project_calls(root, PROJECT), entries=project_feedback(root, PROJECT)
            )

        def warm(**filters):
            return lambda: list_roots(
                project_calls(root, PROJECT),
                entries=project_feedback(root, PROJECT),
                **filters,
            )

        def with_values():
            project_calls(root, PROJECT).prefetch().result()

        rows = {
            "list, cold (sessions read)": (
                median_ms(cold_list, repeats),
                "every column read, as before",
                lambda: read_every_column(root),
            ),
            "list, warm (polling)": (
                median_ms(warm(), repeats),
                "duckdb: roots newest 100 from parquet",
                None,
            ),
            "filter status=error": (
                median_ms(warm(status="error"), repeats),
                None,
                None,
            ),
            "filter text 'topic 7'": (
                median_ms(warm(text="topic 7"), repeats, with_values),
                "duckdb: ilike over inputs",
                None,
            ),
            "filter label=wrong": (median_ms(warm(label="wrong"), repeats), None, None),
            "filter feedback=down": (
                median_ms(warm(feedback="down"), repeats),
                None,
                None,
            ),
            "filter attribute": (
                median_ms(warm(attribute="env=prod"), repeats),
                None,
                None,
            ),
            "tree of 10,101 calls, Arrow": (
                median_ms(
                    lambda: trace_arrow(project_calls(root, PROJECT), big_trace),
                    repeats,
                    with_values,
                ),
                "the same tree as JSON (DuckDB to_json)",
                lambda: trace_json(project_calls(root, PROJECT), big_trace),
            ),
        }
        parquet = f"{root}/{PROJECT}/.traces/*/calls.parquet"
        duck = {
            "list, warm (polling)": f"select * exclude (inputs, output) from '{parquet}' where parent_id is null "
            "order by started_at desc limit 100",
            "filter text 'topic 7'": f"select id from '{parquet}' where parent_id is null and inputs ilike "
            "'%topic 7%' order by started_at desc limit 100",
        }
        print(f"\nin process, median of {repeats}: wall ms / CPU ms; {load()}")
        for name, ((ms, cpu), label, other) in rows.items():
            line = f"  {name:<30} {ms:8.1f} / {cpu:7.1f}"
            if label:
                action = other or (lambda sql=duck[name]: duckdb.sql(sql).fetchall())
                other_ms, other_cpu = median_ms(action, repeats)
                line += f"   | {label}: {other_ms:8.1f} / {other_cpu:7.1f}  (ratio {other_ms / ms:.1f}x)"
            print(line)
        sql = "select op_name, count(*), avg(latency) from calls group by op_name"
        sql_ms, sql_cpu = median_ms(
            lambda: run_user_sql(
                project_calls(root, PROJECT), project_feedback(root, PROJECT), sql
            ),
            repeats,
        )
        print(f"  {'SQL box: ops by count':<30} {sql_ms:8.1f} / {sql_cpu:7.1f}")

        with jupyter_server(root, root.parent / f"{root.name}-jupyter") as url:
            query = {"store_root": str(root), "project": PROJECT}

            def get(endpoint, **params):
                status, _, body = http(
                    url, f"/spyglass/api/v1/{endpoint}", timeout=60, **query, **params
                )
                assert status == 200, body[:300]
                return body

            first = time.perf_counter()
            get("calls")
            cold = (time.perf_counter() - first) * 1000
            print(
                f"\nover HTTP (a real jupyter server), median of {repeats} (ms); {load()}"
            )
            print(f"  {'list, cold (first request)':<30} {cold:8.1f}")
            for name, action in {
                "list, warm": lambda: get("calls"),
                "filter status=error": lambda: get("calls", status="error"),
                "filter text 'topic 7'": lambda: get("calls", q="topic 7"),
                "filter feedback=down": lambda: get("calls", feedback="down"),
                "tree of 10,101 calls, JSON": lambda: get(
                    "calls/trace", trace_id=big_trace
                ),
                "tree of 10,101 calls, Arrow": lambda: get(
                    "calls/trace", trace_id=big_trace, format="arrow"
                ),
            }.items():
                print(f"  {name:<30} {median_ms(action, repeats)[0]:8.1f}")
            json_path, arrow_path = root / "tree.json", root / "tree.arrow"
            json_path.write_bytes(get("calls/trace", trace_id=big_trace))
            arrow_path.write_bytes(
                get("calls/trace", trace_id=big_trace, format="arrow")
            )
        page = Path(__file__).with_name("page_tree.mjs")
        subprocess.run(
            ["node", str(page), str(json_path), str(arrow_path), str(repeats)],
            check=True,
        )
        print(load())


if __name__ == "__main__":
    main()
