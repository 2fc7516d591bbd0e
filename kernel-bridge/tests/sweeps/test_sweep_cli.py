"""`spyglass sweep CONFIG.yaml`, `spyglass sweep pause|resume|stop|show`, and `spyglass agent` on a script."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from spyglass.cli import main
from spyglass.sweeps import find_sweep, snapshot

TRAIN_SCRIPT = textwrap.dedent(
    """
    import argparse, json, sys
    import spyglass as wandb

    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float)
    parser.add_argument("--layers", type=int)
    args, _ = parser.parse_known_args()
    run = wandb.init(config=args)
    assert wandb.config.lr == args.lr, (wandb.config.lr, args.lr)
    if args.layers == 3:
        raise RuntimeError("three layers explode")
    for epoch in range(3):
        wandb.log({"loss": args.lr * args.layers / (epoch + 1)})
    """
)


def write_sweep(tmp_path, command=None):
    (tmp_path / "train.py").write_text(TRAIN_SCRIPT)
    config = {
        "program": str(tmp_path / "train.py"),
        "method": "grid",
        "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"lr": {"values": [0.1, 0.01]}, "layers": {"values": [1, 3]}},
    }
    if command is not None:
        config["command"] = command
    path = tmp_path / "sweep.yaml"
    import yaml

    path.write_text(yaml.safe_dump(config))
    return path


def create(tmp_path, store, capsys, **kwargs):
    assert main(["sweep", str(write_sweep(tmp_path, **kwargs)), "--project", "cli", "--dir", str(store)]) == 0
    return capsys.readouterr().out.strip()


def test_sweep_prints_the_id_and_agent_runs_the_script_with_args(tmp_path, store, capsys):
    sweep_id = create(tmp_path, store, capsys)
    assert len(sweep_id) == 8
    assert main(["agent", sweep_id, "--dir", str(store)]) == 0
    snap = snapshot(find_sweep(sweep_id, dir=store))
    by_params = {(t["params"]["lr"], t["params"]["layers"]): t for t in snap["trials"]}
    assert by_params[(0.1, 1)]["state"] == "finished" and by_params[(0.1, 1)]["metric"] == pytest.approx(
        0.1 / 3
    )
    failed = by_params[(0.1, 3)]
    assert failed["state"] == "failed" and "three layers explode" in failed["error"]
    run = json.loads((store / "cli" / by_params[(0.01, 1)]["run_id"] / "run.json").read_text())
    assert run["config"]["sweep_id"] == sweep_id and run["sweep"]["trial"] == by_params[(0.01, 1)]["index"]
    assert snap["sweep"]["state"] == "finished"


# Small programs that read the parameters the way each macro passes them.
MACRO_PROGRAMS = {
    "${args_no_hyphens}": "args = dict(a.split('=') for a in sys.argv[1:])",
    "${args_json}": "args = json.loads(sys.argv[1])",
    "${args_json_file}": "args = json.load(open(sys.argv[1]))",
}


@pytest.mark.parametrize("macro", list(MACRO_PROGRAMS), ids=lambda macro: macro.strip("${}"))
def test_command_macros(tmp_path, store, capsys, macro):
    (tmp_path / "reader.py").write_text(
        f"import json, sys, spyglass as sg\n{MACRO_PROGRAMS[macro]}\n"
        "sg.init(); sg.log({'loss': float(args['lr']) * int(args['layers'])})\n"
    )
    command = ["${env}", "${interpreter}", str(tmp_path / "reader.py"), macro]
    sweep_id = create(tmp_path, store, capsys, command=command)
    assert main(["agent", sweep_id, "--count", "1", "--dir", str(store)]) == 0
    [trial] = snapshot(find_sweep(sweep_id, dir=store))["trials"]
    assert trial["state"] == "finished", trial["error"]
    assert trial["metric"] is not None


def test_pause_resume_stop_and_show_from_the_command_line(tmp_path, store, capsys):
    sweep_id = create(tmp_path, store, capsys)
    for action, state in (("pause", "paused"), ("resume", "running"), ("stop", "stopped")):
        assert main(["sweep", action, sweep_id, "--dir", str(store)]) == 0
        assert capsys.readouterr().out.strip() == f"sweep {sweep_id}: {state}"
    assert main(["agent", sweep_id, "--dir", str(store)]) == 0  # stopped: runs nothing
    capsys.readouterr()
    assert main(["sweep", "show", sweep_id, "--dir", str(store), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["sweep"]["state"] == "stopped" and shown["trials"] == []


def test_a_missing_sweep_or_config_exits_with_a_message(tmp_path, store, capsys):
    assert main(["agent", "nosuch12", "--dir", str(store)]) == 1
    assert "no sweep 'nosuch12'" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("method: random\nparameters: {lr: {min: 1, max: 0}}\n")
    assert main(["sweep", str(bad), "--dir", str(store)]) == 1
    assert "min (1) is greater than max (0)" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["sweep", "pause", "--dir", str(store)])
    assert exited.value.code == 2


def test_the_installed_command_runs(tmp_path, store):
    result = subprocess.run(
        [sys.executable, "-m", "spyglass.cli", "sweep", str(write_sweep(tmp_path)), "--dir", str(store)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert find_sweep(result.stdout.strip(), dir=store).is_dir()


CURVE_SCRIPT = textwrap.dedent(
    """
    import spyglass as sg

    run = sg.init()
    for step in range(1, 31):
        run.log({"loss": run.config["quality"] / step})
        if run.should_stop:
            break
    """
)


@pytest.mark.parametrize("raise_on_stop", [False, True], ids=["should_stop", "raise_on_stop"])
def test_a_script_trial_cut_by_hyperband_is_stopped_early(tmp_path, store, capsys, raise_on_stop):
    (tmp_path / "curve.py").write_text(CURVE_SCRIPT)
    import yaml

    config = {
        "program": str(tmp_path / "curve.py"), "method": "grid", "metric": {"name": "loss"},
        "parameters": {"quality": {"values": [1.0, 2.0, 3.0, 9.0]}},
        "early_terminate": {"type": "hyperband", "min_iter": 2, "eta": 2},
    }  # fmt: skip
    (tmp_path / "curve.yaml").write_text(yaml.safe_dump(config))
    assert main(["sweep", str(tmp_path / "curve.yaml"), "--project", "hbcli", "--dir", str(store)]) == 0
    sweep_id = capsys.readouterr().out.strip()
    flags = ["--raise-on-stop"] if raise_on_stop else []
    assert main(["agent", sweep_id, "--dir", str(store), *flags]) == 0
    trials = {t["params"]["quality"]: t for t in snapshot(find_sweep(sweep_id, dir=store))["trials"]}
    assert trials[1.0]["state"] == "finished"
    assert trials[9.0]["state"] == "stopped_early" and trials[9.0]["stopped_reason"].startswith("hyperband:")
    assert trials[9.0]["error"] is None
    # An uncaught TrialStopped ends the script's run as finished: it stopped because it was asked to.
    meta = json.loads((store / "hbcli" / trials[9.0]["run_id"] / "run.json").read_text())
    assert meta["state"] == "finished"
