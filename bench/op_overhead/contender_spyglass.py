"""@sg.op on the trivial function, traced into a fresh store; finish = session.flush() (rows fsynced)."""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spyglass as sg
from workload import add, measure

with tempfile.TemporaryDirectory() as store:
    session = sg.init_traces("bench", dir=store)
    measure("spyglass @sg.op", sg.op(add), session.flush)
    session.close()
