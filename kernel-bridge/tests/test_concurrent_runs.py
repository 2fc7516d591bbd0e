"""Many runs at once: 20 runs logging from threads in one process plus 4 processes, all into one project.

Every row of every run is in the store afterwards and the read API returns each run with its exact row count.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import spyglass as sg

THREAD_RUNS = 20
PROCESS_RUNS = 4
ROWS = 3000  # more than a chunk (history.CHUNK_ROWS) per run, so the chunk conversion path is exercised too

_PROCESS_SCRIPT = textwrap.dedent(
    """
    import sys
    import spyglass as sg
    run = sg.init(project="crowd", id=sys.argv[2], dir=sys.argv[1], settings={"system_metrics": False})
    for i in range(int(sys.argv[3])):
        run.log({"i": i, "loss": 1.0 / (i + 1), "phase": "train" if i % 2 else "eval"})
    """
)


def test_twenty_thread_runs_and_four_process_runs_store_every_row(tmp_path):
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _PROCESS_SCRIPT, str(tmp_path), f"proc-{n}", str(ROWS)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESS_RUNS)
    ]
    runs = [
        sg.init(
            project="crowd",
            id=f"thread-{n}",
            dir=tmp_path,
            reinit="create_new",
            settings={"system_metrics": False},
        )
        for n in range(THREAD_RUNS)
    ]
    start = threading.Barrier(THREAD_RUNS)
    errors: list[BaseException] = []

    def train(run):
        try:
            start.wait()
            for i in range(ROWS):
                run.log({"i": i, "loss": 1.0 / (i + 1), "phase": "train" if i % 2 else "eval"})
            run.finish()
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=train, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
    assert not errors, errors

    found = sg.Api(dir=tmp_path).runs("crowd")
    assert len(found) == THREAD_RUNS + PROCESS_RUNS
    for run in found:
        assert run.state == "finished", (run.id, run.state)
        table = run.history(samples=None, pandas=False)
        assert table.num_rows == ROWS, (run.id, table.num_rows)
        assert table.column("_step").to_pylist() == list(range(ROWS))
        assert table.column("i").to_pylist() == [float(i) for i in range(ROWS)]
