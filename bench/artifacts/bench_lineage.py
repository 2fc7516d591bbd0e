"""Lineage neighbourhoods in a large project: 1,000 artifact versions and 10,000 runs (generate_lineage_store).

Times `lineage_graph(focus=..., depth=2)` around a popular dataset version, a model and an eval run (median of
--repeat), side by side with the naive alternative a reader would otherwise run: loading every run.json of the
project (what listing runs costs) and building the whole-project graph. The browser render time of the same
neighbourhoods is measured by the lineage-panel benchmark, which reuses the generator.
Usage: python bench/artifacts/bench_lineage.py [--runs 10000] [--versions 1000] [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kernel-bridge"))

from generate_lineage_store import generate
from spyglass.artifacts import lineage_graph


def median_seconds(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def load_every_run_json(root: Path, project: str) -> int:
    count = 0
    for entry in os.scandir(root / project):
        if not entry.name.startswith("."):
            with open(os.path.join(entry.path, "run.json"), "rb") as handle:
                json.load(handle)
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="/tmp/spyglass-lineage-bench")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=1_000)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    info = generate(args.root, runs=args.runs, versions=args.versions)
    root, project = Path(info["store_root"]), info["project"]
    print(
        f"store {root}: {info['runs']} runs, {info['versions']} versions (generated in {info['seconds']} s)"
    )
    baseline, count = median_seconds(
        lambda: load_every_run_json(root, project), args.repeat
    )
    whole, graph = median_seconds(lambda: lineage_graph(root, project), args.repeat)
    print(f"median of {args.repeat}")
    print(
        f"  load every run.json ({count} runs)        {baseline * 1000:8.1f} ms  (ratio 1.00)"
    )
    print(
        f"  whole-project graph ({len(graph['nodes'])} nodes, capped) {whole * 1000:8.1f} ms  "
        f"(ratio {whole / baseline:.2f})"
    )
    for focus in info["focus"]:
        if focus is None:
            continue
        seconds, neighbourhood = median_seconds(
            lambda focus=focus: lineage_graph(
                root, project, focus=focus, depth=args.depth
            ),
            args.repeat,
        )
        print(
            f"  neighbourhood {focus} depth {args.depth}: {len(neighbourhood['nodes'])} nodes, "
            f"{len(neighbourhood['edges'])} edges, truncated {neighbourhood['truncated']}: "
            f"{seconds * 1000:8.1f} ms  (ratio {seconds / baseline:.2f})"
        )


if __name__ == "__main__":
    main()
