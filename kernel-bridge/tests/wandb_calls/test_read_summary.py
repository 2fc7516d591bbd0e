"""The read API's run.summary behaves like wandb's summary object, _json_dict recipe included."""

from __future__ import annotations

import math

import pytest

import spyglass as sg


@pytest.fixture
def stored(store):
    run = sg.init(project="p")
    run.log({"acc": 0.5, "loss": 0.25})
    run.summary["best_acc"] = 0.9
    run.finish()
    return sg.Api().run(f"p/{run.id}")


def test_the_csv_export_recipe_of_wandb_docs_works(stored):
    row = {k: v for k, v in stored.summary._json_dict.items() if not k.startswith("_")}
    assert row == {"acc": 0.5, "loss": 0.25, "best_acc": 0.9}


def test_item_attribute_get_keys_and_items_access(stored):
    summary = stored.summary
    assert summary["acc"] == summary.acc == summary.get("acc") == 0.5
    assert summary.get("missing", 7) == 7 and "loss" in summary
    assert set(summary.keys()) == {"acc", "loss", "best_acc"} and dict(summary.items())["loss"] == 0.25
    with pytest.raises(AttributeError, match="no key 'missing'"):
        _ = summary.missing


def test_setting_a_key_on_a_finished_run_writes_run_json(stored):
    stored.summary["note"] = "checked"
    stored.summary.update({"extra": math.inf})
    stored.summary.threshold = 3
    again = sg.Api().run(stored.path)
    assert again.summary == {
        "acc": 0.5,
        "loss": 0.25,
        "best_acc": 0.9,
        "note": "checked",
        "extra": math.inf,
        "threshold": 3,
    }


def test_setting_a_key_of_a_live_run_from_the_read_api_is_refused(store):
    run = sg.init(project="p")
    run.log({"acc": 0.1})
    run.flush()
    stored = sg.Api().run(f"p/{run.id}")
    with pytest.raises(sg.SpyglassError, match="still running"):
        stored.summary["x"] = 1
    assert "x" not in stored.summary
    with pytest.raises(sg.SpyglassError, match="still running"):
        stored.update()
    run.finish()


def test_the_live_summary_has_json_dict_too(store):
    run = sg.init(project="p")
    run.log({"acc": 0.5})
    assert run.summary._json_dict == {"acc": 0.5}
    run.finish()


def test_run_update_writes_name_tags_notes_and_config_back_as_wandb_does(stored):
    stored.name = "renamed"
    stored.tags.append("reviewed")
    stored.notes = "checked by hand"
    stored.config["lr"] = 0.5
    stored.update()
    again = sg.Api().run(stored.path)
    assert (again.name, again.tags, again.notes, again.config) == (
        "renamed",
        ["reviewed"],
        "checked by hand",
        {"lr": 0.5},
    )
    assert again.summary["best_acc"] == 0.9
