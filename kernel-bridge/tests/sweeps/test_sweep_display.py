"""In a notebook, sg.agent shows the sweep bundle once with a display_id and updates it as trials finish."""

from __future__ import annotations

from sweep_test_helpers import RANDOM_CONFIG, quadratic_train

import spyglass as sg
from spyglass.sweeps.display import SWEEP_MIME_TYPE


def test_agent_displays_the_sweep_bundle_and_updates_it(store, monkeypatch):
    import IPython.display

    from spyglass.sweeps import display as display_module
    from spyglass.tracking import session

    shown, updated = [], []
    monkeypatch.setattr(session, "in_kernel", lambda: True)
    monkeypatch.setattr(display_module, "UPDATE_INTERVAL", 0.0)
    monkeypatch.setattr(
        IPython.display, "display", lambda bundle, raw, display_id: shown.append((bundle, display_id))
    )
    monkeypatch.setattr(
        IPython.display,
        "update_display",
        lambda bundle, raw, display_id: updated.append((bundle, display_id)),
    )
    sweep_id = sg.sweep({**RANDOM_CONFIG, "run_cap": 3}, project="shown")
    assert sg.agent(sweep_id, quadratic_train) == 3
    [(first, display_id)] = shown
    assert first[SWEEP_MIME_TYPE]["sweep_id"] == sweep_id and first[SWEEP_MIME_TYPE]["project"] == "shown"
    assert first[SWEEP_MIME_TYPE]["snapshot"]["trials"] == [] and "text/plain" in first
    assert updated and all(target == display_id for _, target in updated)
    last = updated[-1][0][SWEEP_MIME_TYPE]["snapshot"]
    assert last["counts"]["done"] == 3 and last["sweep"]["state"] == "finished"
    assert "3 done" in updated[-1][0]["text/plain"]
    # The bundle was refreshed while trials ran (a trial started, a trial finished), not only at the end.
    assert len(updated) >= 4


def test_sweep_displays_nothing(store, monkeypatch):
    import IPython.display

    monkeypatch.setattr(
        IPython.display, "display", lambda *a, **k: (_ for _ in ()).throw(AssertionError("shown"))
    )
    assert isinstance(sg.sweep(RANDOM_CONFIG, project="quiet"), str)
