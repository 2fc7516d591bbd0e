"""sg.init() shows the run's live panel in the notebook cell that calls it (issue 14, item 1), once.

Through a real ipykernel (nbclient): `run = sg.init(...); run` in one cell gives exactly one panel,
display=False and SPYGLASS_DISPLAY=0 give none, and a later cell's `run` shows the panel again. Outside a
kernel (a script, terminal IPython) init prints nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from spyglass.transport.protocol import RUN_MIME_TYPE

CELLS = {
    "init_and_value": 'run = sg.init(project="shown", id="one", dir=STORE)\nrun',
    "init_only": 'quiet = sg.init(project="shown", id="two", dir=STORE, reinit="create_new")',
    "value_later": "quiet",
    "explicit_display": (
        'shown = sg.init(project="shown", id="5", dir=STORE, reinit="create_new")\nshown.display()\nshown'
    ),
    "display_false": 'off = sg.init(project="shown", id="3", dir=STORE, reinit="create_new", display=False)',
    "env_off": (
        'os.environ["SPYGLASS_DISPLAY"] = "0"\n'
        'env_off = sg.init(project="shown", id="four", dir=STORE, reinit="create_new")\n'
        "env_off"
    ),
}


def _panels(cell: nbformat.NotebookNode) -> list[str]:
    return [
        out["data"][RUN_MIME_TYPE]["run_id"] for out in cell.outputs if RUN_MIME_TYPE in out.get("data", {})
    ]


def test_init_shows_one_panel_in_its_cell_and_none_when_turned_off(tmp_path: Path) -> None:
    setup = "import os\nimport spyglass as sg\nos.environ.pop('SPYGLASS_DISPLAY', None)\nSTORE = " + repr(
        str(tmp_path)
    )
    nb = new_notebook(cells=[new_code_cell(setup)] + [new_code_cell(code) for code in CELLS.values()])
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = dict(zip(CELLS, nb.cells[1:], strict=True))

    assert _panels(outputs["init_and_value"]) == ["one"]
    assert len(outputs["init_and_value"].outputs) == 1  # no second copy, no execute_result
    assert _panels(outputs["init_only"]) == ["two"]
    assert _panels(outputs["value_later"]) == ["two"]  # another cell: shown again, as asked
    assert _panels(outputs["explicit_display"]) == ["5"]  # once per cell, however it is asked for
    assert len(outputs["explicit_display"].outputs) == 1
    assert outputs["display_false"].outputs == []
    # The run shows nothing at init and, as the cell's value, its panel exactly once.
    assert _panels(outputs["env_off"]) == ["four"]
    assert len(outputs["env_off"].outputs) == 1


def test_outside_a_kernel_init_prints_nothing(tmp_path: Path) -> None:
    code = f'import spyglass as sg\nrun = sg.init(project="p", dir={str(tmp_path)!r})\nrun.finish()'
    env = {**os.environ, "SPYGLASS_DISABLE_GIT": "1", "SPYGLASS_DISABLE_PACKAGES": "1"}
    env.pop("SPYGLASS_DISPLAY", None)
    script = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert (script.returncode, script.stdout, script.stderr) == (0, "", "")
    # Terminal IPython: no kernel, so no panel and no text (init's value is assigned, not shown).
    ipython = [sys.executable, "-m", "IPython", "--quick", "--no-banner", "--colors=nocolor", "-c", code]
    terminal = subprocess.run(ipython, capture_output=True, text=True, env=env, timeout=60)
    assert terminal.returncode == 0, terminal.stderr
    assert terminal.stdout.strip() == ""
    assert "spyglass" not in terminal.stderr
