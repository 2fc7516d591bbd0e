"""Cost of watching a small CNN's gradients and parameters, side by side with wandb.watch offline.

    .venv/bin/python bench/watch/run.py [--log-freq 10] [--steps 400] [--repeats 3]

Contenders, each in its own process, interleaved, one torch thread each (bench/watch/contender.py):
  torch           the training loop alone (forward, backward, SGD step on 32 images of 28x28)
  spyglass watch  + run.log({"loss"}) every step and run.watch(model, log="all", log_freq)
                  (.venv-integrations: spyglass + torch)
  wandb watch     the same with wandb offline (.venv-bench: wandb + torch, bench/requirements.txt)
A logged step computes 64-bin histograms of 6 gradients and 6 parameters. In each process, watch's cost per logged
step is the median logged step minus the median other step (both log the loss), per clock: the training thread's
CPU time (robust to other load) and wall clock. The overhead per training step is that over log_freq. Medians of
the repeats; the ratio compares Spyglass with wandb (issue 16's target: no more than wandb's).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--log-freq", type=int, default=10)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--spyglass-python", default=str(REPO / ".venv-integrations" / "bin" / "python")
    )
    parser.add_argument(
        "--bench-python", default=str(REPO / ".venv-bench" / "bin" / "python")
    )
    args = parser.parse_args()
    contenders = {
        "torch": (args.spyglass_python, ["--tracker", "torch"]),
        "spyglass": (args.spyglass_python, ["--tracker", "spyglass", "--watch"]),
        "wandb": (args.bench_python, ["--tracker", "wandb", "--watch"]),
    }
    for name, (python, _) in contenders.items():
        if not Path(python).exists():
            print(
                f"{name}: {python} is missing (scripts/setup-integrations.sh, bench/requirements.txt)"
            )
            return 1
    answers: dict[str, list[dict[str, float]]] = {name: [] for name in contenders}
    for _ in range(args.repeats):
        for name, (
            python,
            flags,
        ) in contenders.items():  # interleaved: drift hits all alike
            with tempfile.TemporaryDirectory() as out:
                command = [python, str(HERE / "contender.py"), *flags]
                command += [
                    "--log-freq",
                    str(args.log_freq),
                    "--steps",
                    str(args.steps),
                    "--out",
                    out,
                ]
                result = subprocess.run(
                    command, capture_output=True, text=True, check=True, cwd=out
                )
            answers[name].append(json.loads(result.stdout.strip().splitlines()[-1]))
    for clock in ("cpu", "wall"):
        report(clock, args.log_freq, answers)
    return 0


def report(
    clock: str, log_freq: int, answers: dict[str, list[dict[str, float]]]
) -> None:
    def median(name: str, key: str) -> float:
        return statistics.median(a[f"{key}_{clock}_s"] for a in answers[name]) * 1000

    what = "training thread CPU time" if clock == "cpu" else "wall clock"
    print(f"\n{what}, medians in ms (log_freq={log_freq}):")
    torch_step = median("torch", "plain")
    print(f"  torch alone             step {torch_step:8.3f}")
    cost = {}
    for name in ("spyglass", "wandb"):
        plain, logged = median(name, "plain"), median(name, "logged")
        cost[name] = (
            statistics.median(
                a[f"logged_{clock}_s"] - a[f"plain_{clock}_s"] for a in answers[name]
            )
            * 1000
        )
        print(
            f"  {name:<8} watch       step {plain:8.3f}, logged step {logged:8.3f}: "
            f"{cost[name]:7.3f} per logged step, {cost[name] / log_freq:7.3f} per step "
            f"({cost[name] / log_freq / torch_step:6.1%} of a torch step)"
        )
    if cost["wandb"] > 0:
        print(
            f"  spyglass / wandb cost per logged step: {cost['spyglass'] / cost['wandb']:5.2f}"
        )
    else:
        print("  wandb's cost is below the noise; no ratio")


if __name__ == "__main__":
    raise SystemExit(main())
