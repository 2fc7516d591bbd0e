"""In a real ipykernel: mode="offline" opens no comm, and an exception in a cell does not end the run."""

from __future__ import annotations

import json
import queue
import textwrap
import time

from test_kernel_comm import kernel  # noqa: F401 - the module-scoped real kernel fixture


def execute(client, code: str, timeout: float = 60) -> tuple[list[dict], str]:
    """Run `code`; return the IOPub messages up to idle and the text it printed (errors tolerated)."""
    msg_id = client.execute(textwrap.dedent(code))
    messages, printed = [], []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = client.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        messages.append(msg)
        if msg["msg_type"] == "stream":
            printed.append(msg["content"]["text"])
        if (
            msg["parent_header"].get("msg_id") == msg_id
            and msg["msg_type"] == "status"
            and msg["content"]["execution_state"] == "idle"
        ):
            return messages, "".join(printed)
    raise AssertionError("the kernel did not finish in time")


def test_an_offline_run_in_a_kernel_opens_no_comm_but_stores_every_row(kernel, tmp_path):  # noqa: F811
    messages, printed = execute(
        kernel,
        f"""
        import spyglass as sg
        run = sg.init(project="modes", id="offline-run", dir={str(tmp_path)!r}, mode="offline")
        for i in range(50):
            run.log({{"i": i}})
        run.finish()
        print(run._transport.active)
        """,
    )
    assert not [m for m in messages if m["msg_type"].startswith("comm")]
    assert printed.strip() == "False"
    from spyglass.store.run_store import RunDirectory

    assert RunDirectory(tmp_path / "modes" / "offline-run").read_history().num_rows == 50


def test_an_exception_in_a_cell_does_not_end_the_run(kernel, tmp_path):  # noqa: F811
    execute(
        kernel,
        f"""
        import spyglass as sg
        run = sg.init(project="modes", id="cell-error", dir={str(tmp_path)!r}, mode="offline")
        run.log({{"a": 1}})
        """,
    )
    messages, _ = execute(kernel, "1 / 0")
    assert any(m["msg_type"] == "error" for m in messages)
    _, printed = execute(kernel, 'run.log({"a": 2}); print(run.state)')
    assert printed.strip() == "running"
    execute(kernel, "run.finish()")
    meta = json.loads((tmp_path / "modes" / "cell-error" / "run.json").read_text())
    assert meta["state"] == "finished"


def test_config_values_may_change_in_a_kernel_as_cells_are_rerun(kernel, tmp_path):  # noqa: F811
    _, printed = execute(
        kernel,
        f"""
        import spyglass as sg
        run = sg.init(project="modes", dir={str(tmp_path)!r}, mode="offline", config={{"lr": 0.1}})
        run.config.lr = 0.2
        print(run.config.lr)
        run.finish()
        """,
    )
    assert printed.strip() == "0.2"
