"""init()'s wandb parameters: metadata, config sources, default names, run ids, settings, modes."""

from __future__ import annotations

import argparse
import json
import re
import time
import warnings

import pytest

import spyglass as sg
from spyglass.base.text_checks import InvalidTextError, LimitExceededError, TextReplacedWarning
from spyglass.store.run_store import RunDirectory
from spyglass.tracking.settings import Settings, SettingsWarning


def metadata(run):
    return json.loads(RunDirectory(run.dir).metadata_path.read_text())


def wait_for(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_group_job_type_tags_and_notes_are_stored_in_run_json(store):
    run = sg.init(project="p", group="sweep-1", job_type="train", tags=["baseline", "v2"], notes="first try")
    meta = metadata(run)
    assert (meta["group"], meta["job_type"], meta["tags"], meta["notes"]) == (
        "sweep-1",
        "train",
        ["baseline", "v2"],
        "first try",
    )
    assert run.tags == ("baseline", "v2") and run.group == "sweep-1" and run.job_type == "train"


def test_name_tags_notes_group_and_job_type_are_settable_and_reach_run_json_at_the_next_tick(store):
    run = sg.init(project="p", name="before")
    run.name, run.tags, run.notes, run.group, run.job_type = "after", ("x",), "n", "g", "eval"
    assert wait_for(lambda: metadata(run)["name"] == "after")
    meta = metadata(run)
    assert (meta["tags"], meta["notes"], meta["group"], meta["job_type"]) == (["x"], "n", "g", "eval")


def test_tags_must_be_a_sequence_of_strings(store):
    with pytest.raises(TypeError, match="wrap it|use \\[...\\]"):
        sg.init(project="p", tags="single")
    run = sg.init(project="p", reinit="create_new")
    with pytest.raises(TypeError, match="non-empty strings"):
        run.tags = ["ok", 3]


def test_a_run_without_a_name_gets_an_adjective_noun_number_name(store):
    first = sg.init(project="names")
    second = sg.init(project="names", reinit="create_new")
    assert re.fullmatch(r"[a-z]+-[a-z]+-1", first.name) and re.fullmatch(r"[a-z]+-[a-z]+-2", second.name)
    assert metadata(first)["name"] == first.name


@pytest.mark.parametrize("bad", ["a/b", "a\\b", "a#b", "a?b", "a%b", "a:b"])
def test_a_run_id_with_a_character_wandb_forbids_is_refused_naming_it(store, bad):
    with pytest.raises(ValueError, match=re.escape(bad[1]) + ".*cannot contain"):
        sg.init(project="p", id=bad)


def test_run_ids_may_use_what_wandb_allows_besides_the_forbidden_characters(store):
    run = sg.init(project="p", id="lr=0.1,bs=32 v2")
    assert run.dir.endswith("lr=0.1,bs=32 v2")


def test_config_from_argparse_with_exclude_keys(store):
    args = argparse.Namespace(lr=0.1, epochs=3, data_dir="/data")
    run = sg.init(project="p", config=args, config_exclude_keys=["data_dir"])
    assert run.config.as_dict() == {"lr": 0.1, "epochs": 3}


def test_config_include_keys_keeps_only_those(store):
    run = sg.init(project="p", config={"lr": 0.1, "epochs": 3}, config_include_keys=["lr"])
    assert dict(run.config) == {"lr": 0.1}


def test_config_from_a_yaml_file_in_plain_and_wandb_value_form(store, tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("wandb_version: 1\nlr:\n  desc: learning rate\n  value: 0.01\nepochs: 5\n")
    run = sg.init(project="p", config=str(path))
    assert dict(run.config) == {"lr": 0.01, "epochs": 5}


def test_a_missing_yaml_config_file_is_a_clear_error(store, tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        sg.init(project="p", config=str(tmp_path / "nope.yaml"))


def test_a_yaml_config_without_pyyaml_says_to_install_it(store, tmp_path, monkeypatch):
    import sys

    path = tmp_path / "c.yaml"
    path.write_text("a: 1\n")
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(sg.SpyglassError, match="pip install pyyaml"):
        sg.init(project="p", config=str(path))


def test_config_attribute_item_update_setdefaults_and_contains(store):
    run = sg.init(project="p", config={"lr": 0.1})
    run.config.batch_size = 32
    run.config["epochs"] = 3
    run.config.update({"dropout": 0.5})
    run.config.setdefaults({"lr": 99, "momentum": 0.9})
    assert run.config.lr == 0.1 and run.config["momentum"] == 0.9 and "dropout" in run.config
    assert sorted(run.config.keys()) == ["batch_size", "dropout", "epochs", "lr", "momentum"]
    assert dict(run.config.items())["batch_size"] == 32
    assert wait_for(lambda: metadata(run)["config"] == run.config.as_dict())


def test_changing_a_config_value_needs_allow_val_change(store):
    run = sg.init(project="p", config={"lr": 0.1})
    with pytest.raises(sg.ConfigValueChangeError, match="'lr' already holds 0.1.*allow_val_change=True"):
        run.config.update({"lr": 0.2})
    with pytest.raises(sg.ConfigValueChangeError):
        run.config.lr = 0.2
    run.config.update({"lr": 0.1})  # the same value is no change
    run.config.update({"lr": 0.2}, allow_val_change=True)
    assert run.config.lr == 0.2


def test_init_allow_val_change_lets_every_value_change(store):
    run = sg.init(project="p", config={"lr": 0.1}, allow_val_change=True)
    run.config.lr = 0.3
    assert run.config.lr == 0.3


def test_a_loop_of_config_updates_is_written_once_per_tick_not_once_per_key(store, monkeypatch):
    run = sg.init(project="p", flush_interval=60)
    writes = []
    original = RunDirectory.write_metadata
    monkeypatch.setattr(
        RunDirectory, "write_metadata", lambda self, meta: (writes.append(1), original(self, meta))
    )
    for i in range(1000):
        run.config[f"k{i}"] = i
    assert len(writes) == 0
    assert wait_for(lambda: len(writes) >= 1, timeout=3)  # the flusher's next tick (at most 1 s)
    time.sleep(0.2)
    assert len(writes) <= 2 and len(metadata(run)["config"]) == 1000


def test_config_changes_after_finish_are_refused(store):
    run = sg.init(project="p", config={"a": 1})
    run.finish()
    with pytest.raises(sg.RunFinishedError, match="finished"):
        run.config.b = 2


def test_settings_from_a_dict_with_wandb_names(store):
    run = sg.init(
        project="p", settings={"x_disable_stats": True, "start_method": "thread", "heartbeat_interval": 2}
    )
    assert run.settings.system_metrics is False and run.settings.heartbeat_interval == 2


def test_an_unknown_setting_name_warns_and_is_ignored():
    with pytest.warns(SettingsWarning, match="'colour'"):
        settings = Settings(colour="blue")
    assert settings == Settings()


def test_bad_setting_values_are_refused_naming_the_setting():
    with pytest.raises(ValueError, match="mode must be one of"):
        Settings(mode="sometimes")
    with pytest.raises(ValueError, match="heartbeat_interval must be > 0"):
        Settings(heartbeat_interval=0)
    with pytest.raises(ValueError, match="heartbeat_interval must be at most 15.0 s.*crashed"):
        Settings(heartbeat_interval=60)


def test_settings_come_from_the_environment_unless_given(monkeypatch):
    monkeypatch.setenv("SPYGLASS_FLUSH_INTERVAL", "0.5")
    monkeypatch.setenv("WANDB_MODE", "offline")
    assert (Settings().flush_interval, Settings().mode) == (0.5, "offline")
    assert Settings(mode="online").mode == "online"


def test_init_arguments_win_over_settings(store):
    run = sg.init(project="p", mode="offline", settings=Settings(mode="online", flush_interval=1.0))
    assert run.settings.mode == "offline" and run.settings.flush_interval == 1.0


def test_environment_is_captured_and_respects_disable_packages(store):
    run = sg.init(project="p", settings={"disable_packages": True, "disable_git": True})
    environment = metadata(run)["environment"]
    assert environment["python"] and environment["host"] and "packages" not in environment
    assert "git" not in environment


def test_a_failing_environment_capture_never_fails_init(store, monkeypatch):
    import spyglass.tracking.run_lifecycle as lifecycle

    def broken(*args, **kwargs):
        raise RuntimeError("no environment here")

    monkeypatch.setattr(lifecycle, "capture", broken)
    with pytest.warns(UserWarning, match="no environment captured"):
        run = sg.init(project="p")
    assert metadata(run)["environment"] is None and run.state == "running"


def test_disabled_mode_returns_a_run_that_accepts_everything_and_writes_nothing(store):
    run = sg.init(project="p", mode="disabled", config={"lr": 0.1})
    run.log({"loss": 1.0})
    run.log({"loss": 2.0}, step=5, commit=False)
    run.summary["best"] = 1.0
    run.config.update({"epochs": 3})
    run.define_metric("val/*", step_metric="epoch")
    run.watch(object(), log="all")
    run.log_artifact("model.pt").wait()
    with run.anything.at.all() as nested:
        nested["x"] = 1
    assert sg.run is run and sg.config.lr == 0.1 and run.summary.best == 1.0
    sg.log({"a": 1})
    run.finish()
    assert sg.run is None and not store.exists()


def test_disabled_mode_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("WANDB_MODE", "disabled")
    with sg.init(project="p") as run:
        run.log({"a": 1})
    assert type(run).__name__ == "DisabledRun" and not store.exists()


def test_offline_mode_stores_the_run_without_a_comm(store):
    run = sg.init(project="p", mode="offline")
    run.log({"a": 1})
    run.finish()
    assert not run._transport.active
    assert RunDirectory(run.dir).read_history().num_rows == 1 and metadata(run)["mode"] == "offline"


def test_unused_wandb_options_are_still_accepted(store):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = sg.init(project="p", entity="team", save_code=True, anonymous="never", sync_tensorboard=False)
    assert run.state == "running"


def test_the_read_api_and_settings_are_exported(store):
    run = sg.init(project="exported", name="n")
    run.log({"a": 1})
    run.finish()
    runs = list(sg.Api().runs("exported"))
    assert [r.name for r in runs] == ["n"] and sg.Settings is Settings


def test_flush_writes_pending_config_changes_at_once(store):
    run = sg.init(project="p", flush_interval=60, settings={"heartbeat_interval": 15})
    run.config.update({"late": 1})
    run.flush()
    assert metadata(run)["config"] == {"late": 1}


def test_module_level_summary_define_metric_and_mark_preempting_follow_the_current_run(store):
    run = sg.init(project="p")
    sg.define_metric("val/*", step_metric="epoch")
    sg.summary["best"] = 0.9
    sg.mark_preempting()
    assert run.summary["best"] == 0.9 and run.state == "preempting" and sg.login() is True
    run.finish()
    assert (
        metadata(run)["summary"]["best"] == 0.9
        and metadata(run)["metrics"]["val/*"]["step_metric"] == "epoch"
    )


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        ({"config": {"lr\udcff": 0.1}}, r"config key 'lr\\udcff'"),
        ({"config": {"model": {"de\udcffpth": 3}}}, r"config\['model'\] key 'de\\udcffpth'"),
        ({"name": "run-\udcff"}, r"run name 'run-\\udcff'"),
        ({"tags": ["ok", "t\udcff"]}, r"run tag 't\\udcff'"),
        ({"group": "g\udcff"}, r"run group 'g\\udcff'"),
        ({"job_type": "j\udcff"}, r"run job_type 'j\\udcff'"),
    ],
)
def test_init_refuses_a_lone_surrogate_in_a_name_or_config_key_naming_it(store, arguments, named):
    # Issue 15: these made finish() raise a raw UnicodeEncodeError and left the run "crashed".
    with pytest.raises(InvalidTextError, match=named):
        sg.init(project="p", **arguments)
    assert sg.run is None and not list(store.glob("p/*/run.json"))


def test_names_set_later_are_checked_too_and_the_run_still_finishes(store):
    run = sg.init(project="p", config={"lr": 0.1})
    with pytest.raises(InvalidTextError, match="config key"):
        run.config.update({"bad\udcff": 1})
    with pytest.raises(InvalidTextError, match="run name"):
        run.name = "x\udcff"
    with pytest.raises(InvalidTextError, match="run tag"):
        run.tags = ["t\udcff"]
    with pytest.raises(LimitExceededError, match="300 characters long; names are limited to 256"):
        run.tags = ["t" * 300]
    with pytest.raises(LimitExceededError, match="limited to 256"):
        run.config["k" * 257] = 1
    run.log({"x": 1.0})
    run.finish()
    meta = metadata(run)
    assert run.state == "finished" and meta["state"] == "finished"
    assert meta["config"] == {"lr": 0.1} and meta["tags"] == [] and meta["name"] == run.name


def test_text_values_in_config_and_notes_keep_their_text_with_u_fffd_for_lone_surrogates(store):
    with pytest.warns(TextReplacedWarning, match=r"config\['paths'\]\[1\]"):
        run = sg.init(project="p", config={"paths": ["ok", "caf\udce9.txt"]}, notes="from caf\udce9")
    with pytest.warns(TextReplacedWarning, match=r"config\['data'\]"):
        run.config.update({"data": "d\udcff"})
    run.finish()
    meta = metadata(run)
    assert meta["config"] == {"paths": ["ok", "caf\ufffd.txt"], "data": "d\ufffd"}
    assert meta["notes"] == "from caf\ufffd" and meta["state"] == "finished"


def deep_config(levels: int) -> dict:
    value: object = 1
    for _ in range(levels):
        value = {"k": value}
    return value  # type: ignore[return-value]


def test_a_config_nested_1000_levels_deep_is_refused_at_the_call_naming_the_limit(store):
    # Issue 15: accepted, then finish() raised RecursionError.
    with pytest.raises(LimitExceededError, match="nested more than 64 levels deep"):
        sg.init(project="p", config={"deep": deep_config(1000)})
    run = sg.init(project="p", config={"ok": deep_config(64)})  # 64 levels under a key: the limit
    with pytest.raises(LimitExceededError, match="more than 64 levels"):
        run.config.update({"deep": deep_config(65)})
    cyclic: dict = {}
    cyclic["again"] = [cyclic]
    with pytest.raises(LimitExceededError, match=r"config\['c'\]\['again'\]\[0\] contains itself"):
        run.config["c"] = cyclic
    with pytest.raises(TypeError, match=r"key \(1, 2\) of type tuple"):
        run.config.update({"t": {(1, 2): 3}})
    run.finish()
    assert run.state == "finished" and metadata(run)["config"] == {"ok": deep_config(64)}
