"""Run each script in scripts/ under real wandb (offline, .venv-bench) and under Spyglass (.venv, the
`wandb` shim on PYTHONPATH), read each store back and print a parity table: keys, steps, summary.

    .venv/bin/python bench/wandb_parity/parity.py [script-name-substring ...]

Spyglass stands in for `import wandb` through the files `spyglass wandb-compat install` would write,
placed in a temporary directory on PYTHONPATH (nothing installed into any environment).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import spyglass as sg
from spyglass.wandb_compat.shim_files import package_files

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BENCH_PY = ROOT / ".venv-bench" / "bin" / "python"
MAIN_PY = ROOT / ".venv" / "bin" / "python"
PROJECT = "parity"


def _clean_env() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WANDB_", "SPYGLASS_", "PYTHONPATH"))
    }


def _run_script(
    python: Path, script: Path, env: dict, tmp: Path
) -> subprocess.CompletedProcess:
    """One script under one contender's interpreter, in its own temp directory."""
    return subprocess.run(
        [str(python), str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp,
        check=False,
    )


def run_wandb(script: Path, tmp: Path) -> tuple[bool, str, list[dict]]:
    env = {
        **_clean_env(),
        "WANDB_MODE": "offline",
        "WANDB_DIR": str(tmp),
        "WANDB_SILENT": "true",
    }
    done = _run_script(BENCH_PY, script, env, tmp)
    read = subprocess.run(
        [str(BENCH_PY), str(HERE / "read_wandb.py"), str(tmp)],
        capture_output=True,
        text=True,
        check=False,
    )
    runs = json.loads(read.stdout) if read.returncode == 0 else []
    runs = [{"rows": r["rows"], "summary": r["summary"]} for r in runs]
    return done.returncode == 0, done.stderr, runs


def run_spyglass(script: Path, tmp: Path) -> tuple[bool, str, list[dict]]:
    shim = tmp / "shim"
    for rel, data in package_files().items():
        (shim / rel).parent.mkdir(parents=True, exist_ok=True)
        (shim / rel).write_bytes(data)
    store = tmp / "store"
    # PARITY_SPYGLASS_SRC: another Spyglass source tree (e.g. an older commit's kernel-bridge) to measure.
    path = os.pathsep.join(
        filter(None, [str(shim), os.environ.get("PARITY_SPYGLASS_SRC")])
    )
    env = {
        **_clean_env(),
        "SPYGLASS_DIR": str(store),
        "PYTHONPATH": path,
        "SPYGLASS_DISABLE_PACKAGES": "1",
    }
    done = _run_script(MAIN_PY, script, env, tmp)
    runs = []
    if store.exists():
        stored = sorted(
            sg.Api(dir=store).runs(PROJECT), key=lambda r: r.created_at or 0
        )
        for run in stored:
            rows = run.history(samples=None, pandas=False).to_pylist()
            rows = [{k: v for k, v in row.items() if v is not None} for row in rows]
            runs.append({"rows": rows, "summary": dict(run.summary._json_dict)})
    return done.returncode == 0, done.stderr, runs


def _norm(value):
    if isinstance(value, str) and value.startswith('{"_type"'):
        value = json.loads(value)  # Spyglass stores a media reference as its JSON text
    if isinstance(value, dict):
        if (
            "_type" in value
        ):  # a media reference: its kind only ("image-file" in wandb is "image" here)
            return {"_type": value["_type"].removesuffix("-file")}
        return {k: _norm(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 5)
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def flat(values: dict, prefix: str = "") -> dict:
    """Nested dicts (not media references) as "a/b" keys, as both tools name a nested metric."""
    out = {}
    for key, value in values.items():
        if isinstance(value, dict) and "_type" not in value and value:
            out.update(flat(value, f"{prefix}{key}/"))
        else:
            out[f"{prefix}{key}"] = value
    return out


def shape(runs: list[dict]) -> list[dict]:
    out = []
    for run in runs:
        rows = [flat(row) for row in run["rows"]]
        keys = sorted({k for row in rows for k in row if not k.startswith("_")})
        steps = [row.get("_step") for row in rows]
        summary = {
            k: _norm(v)
            for k, v in flat(run["summary"]).items()
            if not k.startswith("_")
        }
        out.append({"keys": keys, "steps": steps, "summary": summary})
    return out


def compare(name: str, verbose: bool) -> dict:
    script = HERE / "scripts" / name
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        w_ok, w_err, w_runs = run_wandb(script, Path(a))
        s_ok, s_err, s_runs = run_spyglass(script, Path(b))
    w, s = shape(w_runs), shape(s_runs)
    same = {
        "runs": len(w) == len(s),
        "keys": [r["keys"] for r in w] == [r["keys"] for r in s],
        "steps": [r["steps"] for r in w] == [r["steps"] for r in s],
        "summary": [r["summary"] for r in w] == [r["summary"] for r in s],
    }
    if verbose:
        if not w_ok:
            print(f"--- {name}: wandb failed\n{w_err[-1500:]}")
        if not s_ok:
            print(f"--- {name}: spyglass failed\n{s_err[-1500:]}")
        for part in ("keys", "steps", "summary"):
            if not same[part]:
                print(
                    f"--- {name} {part}\n  wandb:    {[r[part] for r in w]}\n  spyglass: {[r[part] for r in s]}"
                )
    return {"script": name, "wandb": w_ok, "spyglass": s_ok, **same}


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    wanted = [a for a in argv if not a.startswith("-")]
    names = sorted(
        p.name
        for p in (HERE / "scripts").glob("*.py")
        if not wanted or any(w in p.name for w in wanted)
    )
    rows = [compare(name, verbose) for name in names]
    cols = ["script", "wandb", "spyglass", "runs", "keys", "steps", "summary"]
    print(" | ".join(cols))
    for row in rows:
        print(
            " | ".join(
                str(row[c]) if c == "script" else ("ok" if row[c] else "NO")
                for c in cols
            )
        )
    both = [r for r in rows if r["wandb"]]
    full = [r for r in both if all(r[c] for c in cols[2:])]
    print(
        f"\n{len(full)}/{len(both)} scripts that run under wandb offline match under Spyglass"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
