"""The world the traversal corpus runs in, and the corpus itself (tests/torture/test_traversal_corpus.py).

A store inside the server's root with planted symlinks leading out (run directories, history logs, run.json,
media, a `.tables` Parquet, sweeps, a notebook, report names; chains; dangling links), a directory outside and
a sibling whose name extends the root's (`root2`), both holding a canary; and the generated hostile paths.
"""

from __future__ import annotations

import json
import os
import random
import struct
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from store_builders import framed_run, history_batch

import spyglass as sg
from spyglass.store.run_store import SYSTEM_LOG_FILE
from spyglass.transport.protocol import RUN_MIME_TYPE, TABLE_MIME_TYPE
from spyglass.workspace_data.display import WORKSPACE_MIME_TYPE

CANARY = "CANARY-OUTSIDE-7f3a"
CANARY_VALUE = 987654.321  # logged only by the runs outside the root; searched for as float64 bytes
CANARY_BYTES = (CANARY.encode(), struct.pack("<d", CANARY_VALUE))
SWEEP = {"method": "grid", "metric": {"name": "loss"}, "parameters": {"x": {"values": [1, 2]}}}
SEED = 15


def canary_run(store: Path, run_id: str = "run1") -> Path:
    run = framed_run(
        store,
        "demo",
        run_id,
        [history_batch([0, 1], loss=[CANARY_VALUE] * 2)],
        name=CANARY,
        config={"c": CANARY},
    )
    (run.path / "media" / "images").mkdir(parents=True)
    (run.path / "media" / "images" / "pic.png").write_text(CANARY)
    return run.path


def build_world(base: Path) -> dict:
    root, outside, sibling = base / "root", base / "outside", base / "root2"
    store = root / "spyglass"
    for directory in (root, outside, sibling):
        directory.mkdir()
    # Outside: runs, a file, a store with a sweep and a Parquet table, a notebook; all carrying the canary.
    foreign_run = canary_run(outside / "spyglass")
    canary_run(sibling / "spyglass")
    (outside / "secret.txt").write_text(CANARY)
    (outside / "table.parquet").write_bytes(b"PAR1" + CANARY.encode())
    foreign_sweep = sg.sweep({**SWEEP, "name": CANARY}, project="demo", dir=outside / "spyglass")
    nbformat.write(new_notebook(cells=[new_markdown_cell(CANARY)]), outside / "nb.ipynb")
    # Inside: one real run with media and a system log, a sweep, .tables, and the planted links.
    run = framed_run(store, "demo", "run1", [history_batch([0, 1, 2], loss=[0.3, 0.2, 0.1])])
    framed_run(store, "demo", "log_link", [history_batch([0], loss=[0.5])])
    framed_run(store, "demo", "meta_link", [history_batch([0], loss=[0.5])])
    (run.path / SYSTEM_LOG_FILE).write_bytes((run.path / "history.sglog").read_bytes())
    media = run.path / "media" / "images"
    media.mkdir(parents=True)
    (media / "pic.png").write_bytes(b"\x89PNG inside")
    sweeps = [sg.sweep(SWEEP, project="demo", dir=store) for _ in range(2)]
    trap = store / "demo" / ".sweeps" / sweeps[1] / "trials"  # a real sweep holding a trial linked out
    trap.mkdir(exist_ok=True)
    (outside / "trial.json").write_text(json.dumps({"index": 0, "state": "finished", "run_id": CANARY}))
    (trap / "0.json").symlink_to(outside / "trial.json")
    tables = store / ".tables"
    (tables / "sub").mkdir(parents=True)
    (tables / "t.parquet").write_bytes(b"PAR1inside")
    (tables / "sub" / "notes.txt").write_text("private")
    demo = store / "demo"
    links = {
        demo / "dir_link": foreign_run,
        demo / "dangling": outside / "spyglass" / "demo" / "gone",
        demo / "chain": root / "chain1",
        root / "chain1": root / "chain2",
        root / "chain2": foreign_run,
        demo / "inside_link": run.path,  # inside the root: allowed
        demo / "log_link" / "history.sglog": foreign_run / "history.sglog",
        demo / "meta_link" / "run.json": foreign_run / "run.json",
        media / "escape.png": outside / "secret.txt",
        media / "chain.png": root / "chain_file",
        root / "chain_file": outside / "secret.txt",
        media / "dangling.png": outside / "nothing.png",
        run.path / "media" / "linked": outside,
        tables / "leak.parquet": outside / "table.parquet",
        demo / ".sweeps" / "planted": outside / "spyglass" / "demo" / ".sweeps" / foreign_sweep,
        root / "escape": outside,
        root / "store_link": outside / "spyglass",
        root / "nb_link.ipynb": outside / "nb.ipynb",
        root / "linked.report.html": outside / "written.html",  # dangling: the report must not create it
        root / "chained.report.html": root / "chained_hop.html",
        root / "chained_hop.html": outside / "chained.html",
    }
    for link, target in links.items():
        if link.exists():
            link.unlink()  # a run's own file, replaced by the planted link
        link.symlink_to(target)
    for name in ("linked", "chained", "inside"):
        nbformat.write(new_notebook(cells=[new_markdown_cell("# inside")]), root / f"{name}.ipynb")
    sweep_dirs = [f"spyglass/demo/.sweeps/{sweep_id}" for sweep_id in sweeps]
    return {
        "root": root,
        "outside": outside,
        "sibling": sibling,
        "store": store,
        "foreign_run": foreign_run,
        "sweep_dirs": sweep_dirs,
    }


def hostile_notebook(world: dict, places: list[str]) -> Path:
    """One notebook whose outputs name each hostile place as a run_dir, a table's run_dir and a store_root."""
    outputs = []
    for place in places:
        run = {"run_id": "run1", "project": "demo", "name": "r", "run_dir": place}
        table = {"run_dir": place, "path": "media/images/pic.png", "key": "t", "columns": [], "nrows": 0}
        leak = {"run_dir": place, "path": "../../../table.parquet", "key": "t", "columns": [], "nrows": 0}
        outputs += [
            new_output("display_data", data={RUN_MIME_TYPE: run}),
            new_output("display_data", data={TABLE_MIME_TYPE: table}),
            new_output("display_data", data={TABLE_MIME_TYPE: leak}),
            new_output("display_data", data={WORKSPACE_MIME_TYPE: {"store_root": place, "project": "demo"}}),
        ]
    code = new_code_cell("x")
    code.outputs = outputs
    path = world["root"] / "hostile.ipynb"
    nbformat.write(new_notebook(cells=[code]), path)
    return path


def snapshot(directory: Path) -> dict[str, tuple]:
    """Every entry below `directory` (links not followed): kind, size, mtime; a change is a write outside."""
    seen = {}
    for parent, dirs, files in os.walk(directory):
        for name in dirs + files:
            info = os.lstat(os.path.join(parent, name))
            seen[os.path.relpath(os.path.join(parent, name), directory)] = (
                info.st_mode,
                info.st_size,
                info.st_mtime_ns,
            )
    return seen


# The pieces of the generated paths.
CLIMBS = [
    "../", "../../", "./../", "spyglass/../../", "spyglass/demo/../../../", "..//", "..///./", ".../",
    "....//", "%2e%2e/", "%2e%2e%2f", "..%2f", "%2E%2E/", ".%2e/", "%252e%252e/", "%c0%ae%c0%ae/", "..%5c",
    "..\\",
    "..\\\\", "\u2025/", "\uff0e\uff0e/", "\u2024\u2024/", "..\u2215", "..\uff0f", "\u202e../", "..%00/",
    "../\x00/", "~/../", "spyglass/demo/run1/../../../../", "escape/../", "/", "//",
]  # fmt: skip
TARGETS = {
    "run": ["outside/spyglass/demo/run1", "root2/spyglass/demo/run1"],
    "store": ["outside/spyglass", "root2/spyglass"],
    "sweep": ["outside/spyglass/demo/.sweeps"],
    "notebook": ["outside/nb.ipynb"],
    "file": ["secret.txt", "run.json", "history.sglog"],
}
PLANTED = {
    "run": [
        "spyglass/demo/dir_link", "spyglass/demo/dangling", "spyglass/demo/chain", "spyglass/demo/log_link",
        "spyglass/demo/meta_link", "escape/spyglass/demo/run1", "store_link/demo/run1", "chain1", "chain2",
        "spyglass/demo/inside_link", "spyglass/demo/run1", "spyglass/demo/run1/", "spyglass/demo/run1/.",
        "spyglass/./demo/run1", "spyglass//demo/run1", "spyglass/demo/run1/media/linked",
    ],
    "store": [
        "escape/spyglass", "store_link", "escape", "spyglass", "spyglass/demo", "chain1", "spyglass/..",
    ],
    "sweep": ["spyglass/demo/.sweeps/planted", "escape/spyglass/demo/.sweeps", "spyglass/demo/.sweeps"],
    "notebook": ["nb_link.ipynb", "linked.ipynb", "chained.ipynb", "escape/nb.ipynb", "inside.ipynb"],
    "file": [
        "media/images/escape.png", "media/images/chain.png", "media/images/dangling.png",
        "media/linked/secret.txt",
        "media/images/pic.png", "media/images/../../run.json", "media/%2e%2e/run.json", "media\\..\\run.json",
        "media/images/pic.png\x00.txt", "/etc/passwd", "media/./images/pic.png", "media//images/pic.png",
        "media/images/", "media", "leak.parquet", "sub/notes.txt", "t.parquet", "sub/../t.parquet",
        "media/images/\uff0e\uff0e/run.json",
    ],
}  # fmt: skip
SPECIALS = [
    "",
    " ",
    "\x00",
    ".",
    "..",
    "~",
    "/etc/passwd",
    "/proc/self/environ",
    "/",
    "C:\\Windows",
    "\\\\host\\s",
]
PROJECTS = [
    "demo",
    "..",
    "../demo",
    "demo/../demo",
    "demo%2f..",
    ".sweeps",
    ".tables",
    "demo\x00",
    "d\u2215emo",
    "",
]


def corpus(kind: str, world: dict, rng: random.Random) -> list[str]:
    """Hostile (and a few benign) values for one kind of path parameter, deterministic for a seed."""
    base = str(world["root"].parent)
    targets = TARGETS[kind]
    values = [climb + target for climb in CLIMBS for target in targets[:1]]
    values += [f"{base}/{target}" for target in targets] + PLANTED[kind] + SPECIALS
    if kind == "sweep":
        values += world["sweep_dirs"] + [
            f"{d}/trials/../../{d.rsplit('/', 1)[1]}" for d in world["sweep_dirs"]
        ]
    values += [str(world["root"] / p) for p in PLANTED[kind][:6]]
    for _ in range(20):  # random mixtures: two climbs, a planted name, a target
        parts = [rng.choice(CLIMBS), rng.choice(CLIMBS + [""]), rng.choice(PLANTED[kind] + targets)]
        values.append("".join(parts))
    return list(dict.fromkeys(values))
