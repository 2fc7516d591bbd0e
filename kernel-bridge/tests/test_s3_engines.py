"""Any engine reads a team store: DuckDB (httpfs from its PyPI package) and Spark in local mode (the S3A
connector) query the runs' history.parquet straight from the bucket, as the read-only viewer, and get the rows
sg.Api() gives.

The engines run in .venv-engines (scripts/setup-engines.sh) through s3_engine_query.py, the queries
docs/team.md shows. sg.Api() reads from a second, empty local root, so its rows too come through the bucket.
"""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

import spyglass as sg

ENGINES_PYTHON = Path(__file__).resolve().parents[2] / ".venv-engines" / "bin" / "python"
QUERY = Path(__file__).with_name("s3_engine_query.py")
PROJECT = "engines"
ENGINE_TIMEOUT_S = 240


def log_runs() -> dict[str, list[dict]]:
    """Two finished runs with a dense float metric, a sparse one, an integer one and a NaN."""
    logged = {}
    for number, run_id in enumerate(("alpha", "beta")):
        run = sg.init(project=PROJECT, id=run_id, config={"lr": 0.1 * (number + 1)}, reinit="create_new")
        for step in range(40):
            row = {"loss": 1.0 / (step + 1) + number, "epoch": step // 10}
            if step % 7 == 0:
                row["val/acc"] = step / 40
            if step == 13:
                row["loss"] = math.nan
            run.log(row)
        run.finish()
        logged[run_id] = run
    return logged


def api_rows(run_ids, reader_cache: Path, monkeypatch) -> dict[str, list[dict]]:
    """Every history row of each run through sg.Api(), read by a machine that has none of them locally."""
    monkeypatch.setenv("SPYGLASS_CACHE_DIR", str(reader_cache))
    api = sg.Api()
    return {
        run_id: api.run(f"{PROJECT}/{run_id}").history(samples=None, pandas=False).to_pylist()
        for run_id in run_ids
    }


def engine_rows(engine: str, url: str, s3_server) -> dict[str, list[dict]]:
    if not ENGINES_PYTHON.exists():
        raise RuntimeError(
            f"{ENGINES_PYTHON} is missing: run scripts/setup-engines.sh (scripts/setup.sh runs it)"
        )
    done = subprocess.run(
        [str(ENGINES_PYTHON), str(QUERY), engine, f"{url}/{PROJECT}"],
        env=s3_server.process_env("viewer"),
        capture_output=True,
        text=True,
        timeout=ENGINE_TIMEOUT_S,
    )
    assert done.returncode == 0, f"{engine} failed:\n{done.stderr[-4000:]}"
    by_run: dict[str, list[dict]] = {}
    for row in json.loads(done.stdout)["rows"]:
        by_run.setdefault(row.pop("run"), []).append(row)
    return by_run


def same_value(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left) and math.isnan(right):
        return True
    return left == right and type(left) is type(right)


def assert_same_rows(engine: str, got: dict[str, list[dict]], expected: dict[str, list[dict]]) -> None:
    assert sorted(got) == sorted(expected)
    for run_id, rows in expected.items():
        assert len(got[run_id]) == len(rows), f"{engine}: run {run_id}"
        for engine_row, api_row in zip(got[run_id], rows, strict=True):
            # The engine sees every column of the run's Parquet; the API's columns are what a user compares.
            projected = {key: engine_row.get(key, "<missing>") for key in api_row}
            mismatched = {key for key in api_row if not same_value(projected[key], api_row[key])}
            assert not mismatched, f"{engine}, run {run_id}: {projected} != {api_row}"


@pytest.mark.filterwarnings("ignore::spyglass.rows.flusher.NonFiniteValueWarning")  # the NaN is on purpose
@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_engine_reads_the_bucket_and_gets_the_rows_of_the_read_api(
    engine, s3_store, s3_server, tmp_path, monkeypatch
):
    runs = log_runs()
    expected = api_rows(runs, tmp_path / "reader-cache", monkeypatch)
    assert [len(rows) for rows in expected.values()] == [40, 40]
    assert {"loss", "epoch", "val/acc", "_step"} <= set(expected["alpha"][0])

    got = engine_rows(engine, s3_store, s3_server)

    assert_same_rows(engine, got, expected)
    assert math.isnan(got["alpha"][13]["loss"]) and got["beta"][39]["epoch"] == 3
    assert [row["val/acc"] for row in got["beta"][:8]] == [0.0, None, None, None, None, None, None, 7 / 40]
