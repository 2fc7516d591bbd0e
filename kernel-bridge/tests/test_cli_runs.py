"""`spyglass runs ls|show|export`, run as a user would: a subprocess, its output and its exit code."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from store_builders import framed_run, history_batch, killed_metadata, logged_run

PROJECT_ROOT = Path(__file__).parents[1]


def spyglass_cli(*args: str, store: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SPYGLASS_DIR": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "spyglass.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


@pytest.fixture
def cli_store(store):
    rows = [
        {"loss": 1.0 / (step + 1), "label": '=HYPERLINK("http://x")' if step == 0 else "ok"}
        for step in range(5)
    ]
    logged_run(
        store, "demo", "alpha", rows, config={"lr": 0.01}, summary={"loss": 0.2, "acc": 0.9}, created_at=100.0
    )
    logged_run(
        store,
        "demo",
        "beta",
        rows[:2],
        config={"lr": 0.1},
        summary={"loss": 1.5},
        created_at=200.0,
        name="evil\x1b[2Jname\u202e",
        **killed_metadata(),
    )
    logged_run(store, "other", "gamma", [{"x": -1.0, "formula": "+cmd", "at": "@SUM(A1)", "minus": "-2"}])
    return store


def test_ls_prints_an_aligned_table_with_state_and_summary_columns(cli_store):
    result = spyglass_cli("runs", "ls", "demo", store=cli_store)
    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["id", "name", "state", "created", "duration", "step", "loss", "acc"]
    assert lines[0].split()[:3] == ["beta", "evil\\x1b[2Jname\\u202e", "crashed"]
    assert lines[1].split()[:3] == ["alpha", "alpha", "finished"]
    assert lines[1].split()[-2:] == ["0.2", "0.9"]
    assert lines[1].index("finished") == lines[0].index("crashed")  # aligned
    assert "\x1b" not in result.stdout


def test_ls_without_a_project_lists_every_project(cli_store):
    result = spyglass_cli("runs", "ls", store=cli_store)
    assert result.stdout.splitlines()[0].split()[0] == "project"
    assert {line.split()[0] for line in result.stdout.splitlines()[1:]} == {"demo", "other"}


def test_ls_filters_by_state_and_by_a_json_filter(cli_store):
    crashed = spyglass_cli("runs", "ls", "demo", "--state", "crashed", store=cli_store)
    assert [line.split()[0] for line in crashed.stdout.splitlines()[1:]] == ["beta"]
    cheap = spyglass_cli("runs", "ls", "demo", "--filter", '{"config.lr": {"$lt": 0.05}}', store=cli_store)
    assert [line.split()[0] for line in cheap.stdout.splitlines()[1:]] == ["alpha"]


def test_ls_json_prints_run_metadata_with_the_effective_state(cli_store):
    result = spyglass_cli(
        "runs", "ls", "demo", "--json", "--dir", str(cli_store), store=cli_store / "elsewhere"
    )
    records = json.loads(result.stdout)
    assert [(record["run_id"], record["state"]) for record in records] == [
        ("beta", "crashed"),
        ("alpha", "finished"),
    ]


def test_show_prints_metadata_config_summary_and_the_last_rows(cli_store):
    result = spyglass_cli("runs", "show", "demo/alpha", "--rows", "2", store=cli_store)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "demo/alpha" in out and "finished" in out
    assert "\nconfig\n" in out and "lr   0.01" in out
    assert "\nsummary\n" in out and "acc   0.9" in out
    last_rows = out.split("last 2 rows\n")[1].splitlines()
    assert last_rows[0].split() == ["_step", "loss", "label"]
    assert [line.split()[0] for line in last_rows[1:]] == ["3", "4"]


def test_export_of_a_project_to_parquet_has_a_run_id_column(cli_store, tmp_path):
    out = tmp_path / "demo.parquet"
    result = spyglass_cli("runs", "export", "demo", "-o", str(out), "--keys", "loss", store=cli_store)
    assert result.returncode == 0, result.stderr
    table = pq.read_table(out)
    assert table.column_names == ["run_id", "_step", "loss"]
    assert table.column("run_id").to_pylist() == ["alpha"] * 5 + ["beta"] * 2


def test_export_of_one_run_to_csv_neutralises_spreadsheet_formulas(cli_store, tmp_path):
    out = tmp_path / "gamma.csv"
    assert spyglass_cli("runs", "export", "other/gamma", "-o", str(out), store=cli_store).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["formula"] == "'+cmd"
    assert rows[0]["at"] == "'@SUM(A1)"
    assert rows[0]["minus"] == "'-2"
    assert rows[0]["x"] == "-1.0"  # numbers stay numbers
    alpha = tmp_path / "alpha.csv"
    spyglass_cli("runs", "export", "demo/alpha", "-o", str(alpha), store=cli_store)
    assert next(csv.DictReader(alpha.open(encoding="utf-8")))["label"] == '\'=HYPERLINK("http://x")'


@pytest.mark.parametrize("name", ["out.csv", "out.parquet"])
def test_export_refuses_an_output_that_is_a_symlink_and_writes_nothing(cli_store, tmp_path, name):
    outside = tmp_path / "outside"
    outside.mkdir()
    link = tmp_path / name
    link.symlink_to(outside / name)
    result = spyglass_cli("runs", "export", "demo/alpha", "-o", str(link), store=cli_store)
    assert result.returncode == 1 and "symbolic link" in result.stderr
    assert list(outside.iterdir()) == [] and link.is_symlink()


def test_an_unknown_run_exits_1_naming_what_exists(cli_store):
    result = spyglass_cli("runs", "show", "demo/nope", store=cli_store)
    assert result.returncode == 1
    assert "no run 'nope' in project 'demo'" in result.stderr and "'alpha'" in result.stderr
    assert result.stdout == ""


def test_an_unknown_project_exits_1_naming_the_projects(cli_store):
    result = spyglass_cli("runs", "ls", "dem0", store=cli_store)
    assert result.returncode == 1
    assert "no project 'dem0'" in result.stderr and "'demo', 'other'" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["runs"],
        ["runs", "ls", "--filter", "{not json"],
        ["runs", "ls", "--filter", '{"config.lr": {"$between": 1}}'],
        ["runs", "export", "demo", "-o", "out.xlsx"],
        ["nonsense"],
    ],
)
def test_usage_errors_exit_2(cli_store, args, tmp_path):
    result = spyglass_cli(*args, store=cli_store, cwd=tmp_path)
    assert result.returncode == 2
    assert "error" in result.stderr


def test_a_corrupt_log_exits_1_naming_the_run_and_the_offset(store):
    directory = framed_run(
        store, "demo", "broken", [history_batch([0], loss=[1.0]), history_batch([1], loss=[2.0])]
    )
    data = bytearray(directory.log_path.read_bytes())
    data[16 + 24 + 3] ^= 0xFF
    directory.log_path.write_bytes(bytes(data))
    result = spyglass_cli("runs", "show", "demo/broken", store=store)
    assert result.returncode == 1
    assert "run demo/broken" in result.stderr and "corrupt framed log at byte offset 16" in result.stderr


def test_the_console_script_is_declared_for_the_cli_module():
    text = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'spyglass = "spyglass.cli:main"' in text
