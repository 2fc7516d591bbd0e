"""In a real ipykernel: evaluate() blocks inside the kernel's running loop, `await evaluate_async()` runs on
it, and the progress is one display updated in place (display_id), ending at N/N."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the kernel fixture and execute() helper

from test_kernel_comm import kernel  # noqa: E402, F401 - the module-scoped real kernel fixture
from test_kernel_modes import execute  # noqa: E402

import spyglass as sg  # noqa: E402

SETUP = """
import asyncio
import spyglass as sg

class Slow(sg.Model):
    async def predict(self, question):
        await asyncio.sleep(0.05)
        return question.upper()

def loud(output):
    return output.isupper()

evaluation = sg.Evaluation([{{"question": f"q{{i}}"}} for i in range(40)], [loud], name="kernel-eval")
"""


def progress_messages(messages):
    return [m for m in messages if m["msg_type"] in ("display_data", "update_display_data")]


def test_evaluate_and_evaluate_async_in_a_kernel_show_progress_in_place(kernel, tmp_path):  # noqa: F811
    root = str(tmp_path)
    messages, printed = execute(
        kernel,
        SETUP.format()
        + f"""
summary = evaluation.evaluate(Slow(), project="nb", dir={root!r})
print(summary["scores"]["loud"]["mean"], summary["examples"])
""",
    )
    assert printed.split() == ["1.0", "40"], printed
    shown = progress_messages(messages)
    first, last = shown[0], shown[-1]
    assert first["msg_type"] == "display_data"
    display_id = first["content"]["transient"]["display_id"]
    assert display_id.startswith("spyglass-eval-")
    assert all(m["content"]["transient"]["display_id"] == display_id for m in shown)
    assert last["msg_type"] == "update_display_data"
    assert "kernel-eval/Slow: 40/40" in last["content"]["data"]["text/plain"]
    assert '<progress max="40" value="40">' in last["content"]["data"]["text/html"]

    messages, printed = execute(
        kernel,
        f"""
summary = await evaluation.evaluate_async(Slow(), project="nb", dir={root!r})
print(summary["failed"], summary["run"].split("/")[0])
""",
    )
    assert printed.split() == ["0", "nb"], printed
    assert "40/40" in progress_messages(messages)[-1]["content"]["data"]["text/plain"]
    runs = sg.Api(dir=tmp_path).runs("nb")
    assert len(runs) == 2 and {run.job_type for run in runs} == {"evaluation"}
