"""Overhead of watching a small CNN's gradients and parameters per training step, side by side with wandb.

    .venv/bin/python bench/watch/run.py [--log-freq 10 100] [--blocks 20] [--repeats 3]

Contenders, each in its own process, interleaved, one torch thread each (bench/watch/contender.py):
  torch             the training loop alone (forward, backward, SGD step on 32 images of 28x28)
  spyglass log      + run.log({"loss"}) every step          (.venv-integrations: spyglass + torch)
  spyglass watch    + run.watch(model, log="all", log_freq) (64-bin histograms of 6 gradients and 6 parameters)
  wandb log / watch the same with wandb offline             (.venv-bench: wandb + torch, bench/requirements.txt)
A watch's overhead is its time per step minus its own tool's `log` contender; the ratio compares Spyglass's with
wandb's (issue 16's target: no more than wandb's). Medians over blocks of log_freq steps, then over repeats, of
the training thread's CPU time (time.thread_time: robust to other load) and of wall time. wandb's own service
process does part of its work off the training process; the thread CPU figure counts only what the training
thread pays, which is what `watch` must keep small (Spyglass's flusher thread is not counted either).
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
    parser.add_argument("--log-freq", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--blocks", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--spyglass-python", default=str(REPO / ".venv-integrations" / "bin" / "python")
    )
    parser.add_argument(
        "--bench-python", default=str(REPO / ".venv-bench" / "bin" / "python")
    )
    args = parser.parse_args()
    contenders = [
        ("torch", args.spyglass_python, ["--tracker", "torch"]),
        ("spyglass log", args.spyglass_python, ["--tracker", "spyglass"]),
        ("spyglass watch", args.spyglass_python, ["--tracker", "spyglass", "--watch"]),
        ("wandb log", args.bench_python, ["--tracker", "wandb"]),
        ("wandb watch", args.bench_python, ["--tracker", "wandb", "--watch"]),
    ]
    for name, python, _ in contenders:
        if not Path(python).exists():
            print(
                f"{name}: {python} is missing (scripts/setup-integrations.sh, bench/requirements.txt)"
            )
            return 1
    for log_freq in args.log_freq:
        per_step: dict[str, dict[str, list[float]]] = {
            clock: {name: [] for name, _, _ in contenders}
            for clock in ("thread_cpu_s", "wall_s")
        }
        for _ in range(args.repeats):
            for (
                name,
                python,
                flags,
            ) in contenders:  # interleaved: drift on a shared machine hits all alike
                with tempfile.TemporaryDirectory() as out:
                    command = [
                        python,
                        str(HERE / "contender.py"),
                        *flags,
                        "--log-freq",
                        str(log_freq),
                    ]
                    command += ["--blocks", str(args.blocks), "--out", out]
                    result = subprocess.run(
                        command, capture_output=True, text=True, check=True, cwd=out
                    )
                answer = json.loads(result.stdout.strip().splitlines()[-1])
                for clock, times in per_step.items():
                    times[name].append(answer[clock] / log_freq)
        for clock, times in per_step.items():
            medians = {
                name: statistics.median(values) for name, values in times.items()
            }
            report(log_freq, clock, medians)
    return 0


def report(log_freq: int, clock: str, ms: dict[str, float]) -> None:
    ms = {name: seconds * 1000 for name, seconds in ms.items()}
    what = "training thread CPU" if clock == "thread_cpu_s" else "wall clock"
    print(
        f"\nlog_freq={log_freq}, {what}: median ms per step "
        f"(histograms of 12 tensors every {log_freq} steps)"
    )
    for name, value in ms.items():
        print(f"  {name:<15} {value:8.3f} ms   {value / ms['torch']:5.2f}x torch")
    spyglass = ms["spyglass watch"] - ms["spyglass log"]
    wandb = ms["wandb watch"] - ms["wandb log"]
    print(
        f"  watch overhead per step: spyglass {spyglass * 1000:8.1f} µs, "
        f"wandb {wandb * 1000:8.1f} µs"
    )
    if wandb > 0:
        print(f"  spyglass / wandb watch overhead: {spyglass / wandb:5.2f}")
    else:
        print("  wandb's watch overhead is below the noise; no ratio")


if __name__ == "__main__":
    raise SystemExit(main())
