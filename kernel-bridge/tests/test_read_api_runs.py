"""The read API's runs: finding, filtering, ordering, metadata and the errors for what is not there."""

from __future__ import annotations

import math

import pytest
from store_builders import (
    framed_run,
    history_batch,
    killed_metadata,
    live_metadata,
    logged_run,
    patch_metadata,
)

import spyglass as sg
from spyglass.api import Api, FilterError, ProjectNotFoundError, Run, RunNotFoundError


@pytest.fixture
def project_store(store):
    """Four runs of project "demo" with configs, summaries, tags and states; one run in project "other"."""
    rows = [{"loss": 1.0 / (step + 1), "acc": step / 10} for step in range(10)]
    logged_run(
        store,
        "demo",
        "small-lr",
        rows,
        config={"lr": 0.001, "optimizer": {"name": "adam"}},
        summary={"loss": 0.1, "acc": 0.9},
        tags=["baseline", "a"],
        created_at=100.0,
    )
    logged_run(
        store,
        "demo",
        "big-lr",
        rows[:3],
        config={"lr": 0.1, "optimizer": {"name": "sgd"}},
        summary={"loss": 2.5, "acc": 0.2},
        tags=["b"],
        created_at=200.0,
        group="sweep-1",
    )
    logged_run(
        store,
        "demo",
        "failed-one",
        rows[:1],
        config={"lr": 0.01},
        state="failed",
        exit_code=1,
        summary={"loss": "NaN"},
        created_at=300.0,
    )
    # Killed before its first heartbeat wrote a summary.
    logged_run(
        store,
        "demo",
        "killed",
        rows[:2],
        config={"lr": 0.05},
        created_at=400.0,
        summary={},
        **killed_metadata(),
    )
    logged_run(store, "other", "lonely", rows[:1], created_at=50.0)
    return store


def ids(runs) -> list[str]:
    return [run.id for run in runs]


def test_api_resolves_the_store_like_init_from_spyglass_dir(project_store):
    assert Api().root == project_store
    assert Api(dir=project_store).projects() == ["demo", "other"]


def test_runs_of_a_project_are_newest_first_by_default(project_store):
    assert ids(Api().runs("demo")) == ["killed", "failed-one", "big-lr", "small-lr"]


def test_runs_are_lazy_until_iterated_or_counted(project_store):
    runs = Api().runs("demo")
    logged_run(project_store, "demo", "late", [{"x": 1}], created_at=1.0)
    assert len(runs) == 5
    assert runs[-1].id == "late"


def test_a_wandb_entity_prefix_in_the_path_is_ignored(project_store):
    assert len(Api().runs("my-entity/demo")) == 4


def test_a_run_killed_without_finishing_is_listed_as_crashed(project_store):
    assert Api().run("demo/killed").state == "crashed"
    assert ids(Api().runs("demo", filters={"state": "crashed"})) == ["killed"]


def test_a_run_with_a_fresh_heartbeat_from_a_live_process_is_running(project_store):
    patch_metadata(Api().run("demo/killed")._directory, **live_metadata())
    assert Api().run("demo/killed").state == "running"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"state": "finished"}, ["big-lr", "small-lr"]),
        ({"config.lr": {"$gt": 0.01}}, ["killed", "big-lr"]),
        ({"config.lr": {"$gte": 0.01, "$lte": 0.05}}, ["killed", "failed-one"]),
        ({"summary.loss": {"$lt": 1}}, ["small-lr"]),
        ({"summary_metrics.loss": {"$lt": 1}}, ["small-lr"]),
        ({"tags": {"$in": ["a"]}}, ["small-lr"]),
        ({"tags": "b"}, ["big-lr"]),
        ({"tags": {"$nin": ["a", "b"]}}, ["killed", "failed-one"]),
        ({"config.optimizer.name": {"$regex": "^ad"}}, ["small-lr"]),
        ({"group": {"$exists": True}}, ["big-lr"]),
        ({"group": {"$exists": False}}, ["killed", "failed-one", "small-lr"]),
        ({"config.lr": {"$ne": 0.1}}, ["killed", "failed-one", "small-lr"]),
        ({"config.lr": {"$eq": 0.1}}, ["big-lr"]),
        ({"$or": [{"state": "failed"}, {"summary.acc": {"$gt": 0.5}}]}, ["failed-one", "small-lr"]),
        ({"$and": [{"state": "finished"}, {"config.lr": {"$lt": 0.01}}]}, ["small-lr"]),
        ({"config.missing": {"$gt": 0}}, []),
    ],
)
def test_filters_follow_wandbs_mongo_style_operators(project_store, filters, expected):
    assert ids(Api().runs("demo", filters=filters)) == expected


def test_a_nan_summary_never_satisfies_a_comparison_and_reads_back_as_a_float(project_store):
    run = Api().run("demo/failed-one")
    assert math.isnan(run.summary["loss"])
    assert ids(Api().runs("demo", filters={"summary.loss": {"$gte": -math.inf}})) == ["big-lr", "small-lr"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("+created_at", ["small-lr", "big-lr", "failed-one", "killed"]),
        ("-config.lr", ["big-lr", "killed", "failed-one", "small-lr"]),
        ("+summary.loss", ["small-lr", "big-lr", "failed-one", "killed"]),  # NaN, then no summary, last
        ("-summary.acc", ["small-lr", "big-lr", "failed-one", "killed"]),  # missing: in store order
    ],
)
def test_orders_sort_by_any_field_and_put_runs_without_it_last(project_store, order, expected):
    assert ids(Api().runs("demo", order=order)) == expected


def test_an_unknown_operator_is_refused_with_the_list_of_known_ones(project_store):
    with pytest.raises(FilterError, match=r"'\$between'.*\$eq"):
        list(Api().runs("demo", filters={"config.lr": {"$between": [0, 1]}}))


def test_a_run_exposes_wandbs_read_only_fields(project_store):
    run = Api().run("demo/big-lr")
    assert isinstance(run, Run)
    assert (run.id, run.name, run.project, run.path) == ("big-lr", "big-lr", "demo", "demo/big-lr")
    assert run.state == "finished"
    assert run.config == {"lr": 0.1, "optimizer": {"name": "sgd"}}
    assert run.summary == {"loss": 2.5, "acc": 0.2}
    assert (run.tags, run.group, run.notes, run.job_type) == (["b"], "sweep-1", None, None)
    assert run.created_at == 200.0
    assert run.dir == str(project_store / "demo" / "big-lr")


def test_an_unknown_project_names_the_projects_that_exist(project_store):
    with pytest.raises(ProjectNotFoundError, match=r"no project 'dem0'.*'demo', 'other'"):
        Api().runs("dem0")


def test_an_unknown_run_names_the_runs_of_its_project(project_store):
    with pytest.raises(RunNotFoundError, match=r"no run 'nope' in project 'demo'.*'big-lr'"):
        Api().run("demo/nope")


def test_a_missing_store_says_where_it_looked(tmp_path):
    with pytest.raises(ProjectNotFoundError, match=r"there is no store at .*SPYGLASS_DIR"):
        Api(dir=tmp_path / "absent").runs("demo")


def test_runs_histories_stacks_every_run_with_a_run_id_column(project_store):
    table = Api().runs("demo", order="+created_at").histories(keys=["loss"], samples=None, pandas=False)
    assert table.column_names[:2] == ["run_id", "_step"]
    assert (
        table.column("run_id").to_pylist()
        == ["small-lr"] * 10 + ["big-lr"] * 3 + ["failed-one"] + ["killed"] * 2
    )


def test_runs_in_every_project_are_listed_when_no_project_is_given(project_store):
    assert set(ids(Api().runs())) == {"small-lr", "big-lr", "failed-one", "killed", "lonely"}


def test_a_hand_written_run_without_optional_fields_still_reads(store):
    framed_run(store, "bare", "r1", [history_batch([0], loss=[1.0])])
    run = Api().run("bare/r1")
    assert (run.summary, run.tags, run.group, run.heartbeat_at) == ({}, [], None, None)
    assert sg.Run is not Run  # the read-only Run is not the live one
