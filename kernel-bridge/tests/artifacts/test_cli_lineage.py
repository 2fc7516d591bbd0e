"""`spyglass lineage export` and `spyglass artifacts ls`."""

from __future__ import annotations

import json

import pytest
from lineage_scenario import build_scenario

from spyglass.cli import main


@pytest.fixture
def scenario_store(tmp_path):
    root = tmp_path / "store"
    build_scenario(root)
    return root


def test_lineage_export_writes_openlineage_json_lines_to_stdout(scenario_store, capsys):
    assert main(["lineage", "export", "--dir", str(scenario_store)]) == 0
    lines = capsys.readouterr().out.splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == 6 and {e["eventType"] for e in events} == {"START", "COMPLETE"}


def test_lineage_export_writes_a_json_array_or_an_svg_file(scenario_store, tmp_path, capsys):
    out = tmp_path / "events.json"
    assert main(["lineage", "export", "--dir", str(scenario_store), "--project", "demo", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())) == 6
    svg = tmp_path / "lineage.svg"
    focus = "artifact:demo/model:v1"
    assert (
        main(
            [
                "lineage",
                "export",
                "--dir",
                str(scenario_store),
                "--format",
                "svg",
                "-o",
                str(svg),
                "--focus",
                focus,
                "--depth",
                "1",
            ]
        )
        == 0
    )
    text = svg.read_text()
    assert text.startswith("<svg") and "model:v1" in text and "iris:v0" not in text
    assert "wrote an SVG of 2 nodes" in capsys.readouterr().err


def test_lineage_export_refuses_an_output_that_is_a_symlink(scenario_store, tmp_path, capsys):
    target = tmp_path / "elsewhere.svg"
    (tmp_path / "lineage.svg").symlink_to(target)
    args = ["lineage", "export", "--dir", str(scenario_store), "--project", "demo", "--format", "svg"]
    assert main([*args, "-o", str(tmp_path / "lineage.svg")]) == 1
    assert "symbolic link" in capsys.readouterr().err and not target.exists()


def test_lineage_export_refuses_an_unknown_focus_and_an_empty_store(scenario_store, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(
            ["lineage", "export", "--dir", str(scenario_store), "--format", "svg", "--focus", "run:demo/nope"]
        )
    assert exit_.value.code == 2 and "not in the lineage" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["lineage", "export", "--dir", str(tmp_path / "empty")])
    assert "holds no artifacts" in capsys.readouterr().err


def test_artifacts_ls_lists_versions_and_the_registry(scenario_store, capsys):
    assert main(["artifacts", "ls", "--dir", str(scenario_store)]) == 0
    out = capsys.readouterr().out
    assert "iris" in out and "model" in out and "v1" in out and "latest" in out
    assert main(["artifacts", "ls", "registry", "--dir", str(scenario_store)]) == 0
    out = capsys.readouterr().out
    assert "model/classifier" in out and "production" in out and "artifact:demo/model:v1" in out
