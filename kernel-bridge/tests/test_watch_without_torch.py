"""sg.watch where PyTorch is not installed (the core venv): a clear error, and the run keeps logging."""

from __future__ import annotations

import importlib.util

import pytest

import spyglass as sg
from spyglass.torch_watch import WatchError

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("torch") is not None, reason="torch is installed (see tests/integrations)"
)


def test_watch_without_torch_says_to_install_it_and_nothing_logged_is_lost(store):
    run = sg.init(project="watch")
    run.log({"loss": 1.0})
    with pytest.raises(WatchError, match="pip install torch"):
        sg.watch(object(), log="all")
    with pytest.raises(ValueError, match="torch is not installed"):
        run.watch(object())
    run.log({"loss": 0.5})
    run.finish()
    assert [row["loss"] for row in sg.Api().run(f"watch/{run.id}").scan_history()] == [1.0, 0.5]


def test_watch_needs_a_run(store):
    with pytest.raises(sg.SpyglassError, match=r"spyglass\.watch\(\) needs a run"):
        sg.watch(object())
