"""Generate a store with a large lineage: 1,000 artifact versions and 10,000 runs (defaults) in one project.

Shape (seeded, so every call with the same arguments builds the same graph):
- 20 dataset collections and 80 model collections, versions spread evenly (10 each by default);
- one producer run per version (`job_type` "dataset" or "train"); each training run consumes one dataset
  version, so dataset → train run → model chains exist;
- the remaining runs are "eval" runs, each consuming 1-3 model or dataset versions (popular versions get
  hundreds of consumers, as a real project's `production` model does);
- 20 model versions are linked into the registry `model/classifier-<k>` with `production` on the last one.

Usage: python bench/artifacts/generate_lineage_store.py [--root DIR] [--project P] [--runs N] [--versions N]
Prints JSON: {"store_root", "project", "focus": [node ids worth centring a neighbourhood on], "seconds"}.
The lineage-panel benchmark reuses this (import `generate`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "kernel-bridge"))

from spyglass.artifacts.artifact_store import collection_of
from spyglass.artifacts.collection import USAGE_LOG
from spyglass.artifacts.manifest import Manifest, ManifestEntry
from spyglass.artifacts.object_store import ObjectStore
from spyglass.artifacts.registry import registry_collection

DATASET_SHARE = 0.2


def generate(
    root: str | os.PathLike[str],
    project: str = "lineage-bench",
    runs: int = 10_000,
    versions: int = 1_000,
    seed: int = 7,
    fresh: bool = True,
) -> dict:
    """Build the store under `root` and return where it is and which nodes make good focus points."""
    started = time.perf_counter()
    root = Path(root).resolve()
    if fresh and (root / project).exists():
        shutil.rmtree(root / project)
    rng = random.Random(seed)
    objects = ObjectStore(root)
    collections_total = max(1, versions // 10)
    dataset_collections = max(1, int(collections_total * DATASET_SHARE))
    names = [
        f"dataset-{i}"
        if i < dataset_collections
        else f"model-{i - dataset_collections}"
        for i in range(collections_total)
    ]
    base_time = 1_700_000_000.0
    run_count = 0
    version_nodes: list[tuple[str, str, int]] = []  # (kind, name, number)
    uses: dict[str, list[str]] = {}

    def new_run(job_type: str) -> str:
        nonlocal run_count
        run_id = f"r{run_count:05d}"
        created = base_time + run_count * 60
        _write_run(
            root / project / run_id,
            project,
            run_id,
            f"{job_type}-{run_count}",
            job_type,
            created,
        )
        run_count += 1
        return run_id

    datasets: list[tuple[str, int]] = []
    for index in range(versions):
        name = names[index % collections_total]
        is_dataset = name.startswith("dataset")
        job = "dataset" if is_dataset else "train"
        if run_count >= runs:
            raise SystemExit(
                "need at least one run per version: raise --runs or lower --versions"
            )
        run_id = new_run(job)
        if not is_dataset and datasets:
            source = rng.choice(datasets[-dataset_collections * 2 :])
            uses.setdefault(source[0], []).append(
                json.dumps(
                    {
                        "version": source[1],
                        "project": project,
                        "run_id": run_id,
                        "at": 0,
                    }
                )
            )
        manifest = Manifest()
        content = f"{name} version {index}\n".encode()
        manifest.add(
            ManifestEntry(f"{name}.bin", objects.put_bytes(content), len(content))
        )
        collection = collection_of(root, project, name)
        collection.ensure(
            {
                "kind": "artifact",
                "name": name,
                "project": project,
                "type": "dataset" if is_dataset else "model",
            }
        )
        record = {
            "format": 1,
            "project": project,
            "name": name,
            "type": "dataset" if is_dataset else "model",
            "description": None,
            "metadata": {"index": index},
            "manifest": objects.put_bytes(manifest.to_bytes()),
            "size": len(content),
            "file_count": 1,
            "created_at": base_time + index * 60,
            "logged_by": {"project": project, "run_id": run_id},
        }
        number, _ = collection.add_version(manifest.digest, record)
        version_nodes.append(("dataset" if is_dataset else "model", name, number))
        if is_dataset:
            datasets.append((name, number))

    # Eval runs: popularity is skewed (a few versions are used by many runs).
    weights = [1.0 / (rank + 1) for rank in range(len(version_nodes))]
    while run_count < runs:
        run_id = new_run("eval")
        for _, name, number in set(
            rng.choices(version_nodes, weights=weights, k=rng.randint(1, 3))
        ):
            uses.setdefault(name, []).append(
                json.dumps(
                    {"version": number, "project": project, "run_id": run_id, "at": 0}
                )
            )
    for name, lines in uses.items():
        with open(
            collection_of(root, project, name).path / USAGE_LOG, "a", encoding="utf-8"
        ) as log:
            log.write("\n".join(lines) + "\n")

    models = [
        (name, number) for kind, name, number in version_nodes if kind == "model"
    ][:20]
    for index, (name, number) in enumerate(models):
        source_id = f"artifact:{project}/{name}:v{number}"
        source = collection_of(root, project, name).read_version(number)
        target = registry_collection(root, "model", f"classifier-{index % 4}")
        target.ensure(
            {
                "kind": "registry",
                "registry": "model",
                "name": f"classifier-{index % 4}",
                "type": "model",
            }
        )
        link, _ = target.add_version(
            source["digest"],
            {
                "format": 1,
                "source": source_id,
                "project": project,
                "name": name,
                "source_version": number,
                "type": "model",
                "manifest": source["manifest"],
                "created_at": time.time(),
            },
        )
        target.set_alias("production", link, force=True)
    popular = version_nodes[0]
    return {
        "store_root": str(root),
        "project": project,
        "runs": run_count,
        "versions": len(version_nodes),
        "focus": [
            f"artifact:{project}/{popular[1]}:v{popular[2]}",
            f"artifact:{project}/{models[0][0]}:v{models[0][1]}" if models else None,
            f"run:{project}/r{runs - 1:05d}",
        ],
        "seconds": round(time.perf_counter() - started, 2),
    }


def _write_run(
    path: Path, project: str, run_id: str, name: str, job_type: str, created: float
) -> None:
    path.mkdir(parents=True, exist_ok=True)
    meta = {
        "format": 1,
        "run_id": run_id,
        "project": project,
        "name": name,
        "state": "finished",
        "created_at": created,
        "updated_at": created + 30,
        "finished_at": created + 30,
        "exit_code": 0,
        "config": {},
        "summary": {},
        "metrics": {},
        "tags": [],
        "group": None,
        "job_type": job_type,
        "notes": None,
    }
    (path / "run.json").write_text(json.dumps(meta))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="/tmp/spyglass-lineage-bench")
    parser.add_argument("--project", default="lineage-bench")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(
        json.dumps(
            generate(args.root, args.project, args.runs, args.versions, args.seed),
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
