"""Spyglass's warnings name the user's line (issue 14, item 13): a script line or a notebook cell, never a
Spyglass module or IPython's internals, however deep the check that warns ran (user_warnings.py)."""

from __future__ import annotations

import inspect
import json
import warnings
from pathlib import Path

from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import spyglass as sg
from spyglass.base.text_checks import TextReplacedWarning
from spyglass.rows.history import RefusedValueWarning, StepOrderWarning
from spyglass.tracking.session import ReinitWarning
from spyglass.tracking.settings import SettingsWarning


def _line() -> int:
    return inspect.currentframe().f_back.f_lineno  # type: ignore[union-attr]


def _where(caught: list[warnings.WarningMessage], category: type[Warning]) -> tuple[str, int]:
    [hit] = [w for w in caught if issubclass(w.category, category)]
    return hit.filename, hit.lineno


def test_warnings_point_at_the_calling_line_of_a_script(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = _line() + 1
        run = sg.init(project="w", dir=tmp_path, notes="caf\udce9", settings={"bogus": 1}, display=False)
        assert _where(caught, SettingsWarning) == (__file__, line)  # through init(settings={...})
        assert _where(caught, TextReplacedWarning) == (__file__, line)  # checked deep inside Run()
        sg.log({"a": 1}, step=5)
        line = _line() + 1
        sg.log({"a": 2}, step=1)  # through sg.log, one layer more than run.log
        assert _where(caught, StepOrderWarning) == (__file__, line)
        line = _line() + 1
        run.log({"b": object()})
        assert _where(caught, RefusedValueWarning) == (__file__, line)
        line = _line() + 1
        sg.init(project="w", dir=tmp_path, display=False)
        assert _where(caught, ReinitWarning) == (__file__, line)
    sg.finish()


NOTEBOOK_CELL = """
import inspect, json, warnings
import spyglass as sg
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    run = sg.init(project="w", dir=STORE, notes="caf\\udce9", display=False)
    run.log({"a": 1}, step=5)
    run.log({"a": 2}, step=1)
    sg.init(project="w", dir=STORE, display=False)
print(json.dumps({"cell": inspect.currentframe().f_code.co_filename,
                  "caught": [[w.category.__name__, w.filename, w.lineno] for w in caught]}))
"""


def test_warnings_in_a_notebook_cell_point_at_the_cell(tmp_path: Path) -> None:
    nb = new_notebook(
        cells=[new_code_cell(f"STORE = {str(tmp_path)!r}"), new_code_cell(NOTEBOOK_CELL.strip())]
    )
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    [printed] = [out for out in nb.cells[1].outputs if out.get("name") == "stdout"]
    report = json.loads(printed["text"])
    by_category = {name: (filename, lineno) for name, filename, lineno in report["caught"]}
    assert set(by_category) >= {"TextReplacedWarning", "StepOrderWarning", "ReinitWarning"}
    lines = {"TextReplacedWarning": 5, "StepOrderWarning": 7, "ReinitWarning": 8}  # 1-based lines of the cell
    for name, line in lines.items():
        assert by_category[name] == (report["cell"], line), name
