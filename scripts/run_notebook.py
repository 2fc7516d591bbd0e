"""Executes a notebook headless with nbclient (a real ipykernel), saves its outputs and prints the stored runs."""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebook", type=Path)
    parser.add_argument(
        "--output",
        type=Path,
        help="where to save the executed notebook (default: in place)",
    )
    args = parser.parse_args()

    notebook_dir = args.notebook.resolve().parent
    nb = nbformat.read(args.notebook, as_version=4)
    started = time.time()
    # A local kernel over IPC (Unix sockets in a private temporary directory) rather than TCP: nothing listens
    # on a port, and ipykernel does not print its "Kernel is running over TCP without encryption" warning.
    with tempfile.TemporaryDirectory(prefix="spyglass-kernel-") as sockets:
        ipc = (
            {"transport": "ipc", "ip": os.path.join(sockets, "kernel")}
            if os.name == "posix"
            else {}
        )
        NotebookClient(
            nb,
            km=KernelManager(kernel_name="python3", **ipc),
            timeout=600,
            resources={"metadata": {"path": str(notebook_dir)}},
        ).execute()
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, args.output or args.notebook)

    runs = []
    for meta_path in sorted(notebook_dir.glob("spyglass/*/*/run.json")):
        meta = json.loads(meta_path.read_text())
        if meta.get("created_at", 0) >= started - 1:
            runs.append((meta_path.parent, meta))
    if not runs:
        print(
            "spyglass: the notebook ran but logged no run under",
            notebook_dir / "spyglass",
            file=sys.stderr,
        )
        return 1
    for run_dir, meta in runs:
        print(
            f"spyglass: run {meta['run_id']} ({meta['state']}) of project '{meta['project']}' stored in {run_dir}"
        )
    print(f"spyglass: executed notebook saved to {args.output or args.notebook}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
