"""Sweeps benchmark: bayes vs random on test functions, hyperband's saved steps, parallel agents' claims.

Run: .venv/bin/python bench/sweeps/bench_sweeps.py [--seeds 20] [--quick]
The strategy comparison drives the real claims store and proposal code (claim_next + trial records, the path
every agent takes) without starting runs; hyperband and the parallel agents run real trials through sg.agent.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import spyglass as sg
from objective_functions import (
    BRANIN_MIN,
    HARTMANN6_MIN,
    branin,
    clean_1d,
    hartmann6,
    noisy_1d,
)
from spyglass.sweeps import find_sweep, snapshot
from spyglass.sweeps.claims import claim_next
from spyglass.sweeps.schema import parse_config
from spyglass.sweeps.store import SweepStore

PROBLEMS = {
    "branin": (
        {"x1": {"min": -5.0, "max": 10.0}, "x2": {"min": 0.0, "max": 15.0}},
        40,
        BRANIN_MIN,
    ),
    "hartmann6": (
        {f"x{i}": {"min": 0.0, "max": 1.0} for i in range(6)},
        60,
        HARTMANN6_MIN,
    ),
    "noisy_1d": (
        {"x": {"min": -10.0, "max": 10.0}},
        30,
        min(clean_1d(x) for x in np.linspace(-10, 10, 200001)),
    ),
}


_SCRATCH: list[str] = []


def scratch_root() -> str:
    # tmpfs when there is one: the comparison is about proposals, not about the disk's fsync latency.
    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    _SCRATCH.append(tempfile.mkdtemp(prefix="sg-bench-sweeps-", dir=base))
    return _SCRATCH[-1]


def evaluate(
    problem: str, params: dict, rng: np.random.Generator
) -> tuple[float, float]:
    """(observed value, noise-free value)."""
    if problem == "branin":
        value = branin(params["x1"], params["x2"])
        return value, value
    if problem == "hartmann6":
        value = hartmann6([params[f"x{i}"] for i in range(6)])
        return value, value
    return noisy_1d(params["x"], rng), clean_1d(params["x"])


def search(root: str, problem: str, method: str, seed: int) -> float:
    """Run one sweep of `budget` trials through the store; return the noise-free value at the best observed."""
    parameters, budget, _ = PROBLEMS[problem]
    raw = {
        "method": method,
        "seed": seed,
        "run_cap": budget,
        "metric": {"name": "y", "goal": "minimize"},
        "parameters": parameters,
    }
    sweep_id = sg.sweep(raw, project=f"{problem}-{method}-{seed}", dir=root)
    store = SweepStore.open(find_sweep(sweep_id, dir=root))
    config = parse_config(raw)
    rng = np.random.default_rng(seed)
    best_observed, best_true = math.inf, math.inf
    while (claim := claim_next(store, config, seed, "bench")) is not None:
        observed, true = evaluate(problem, claim.params, rng)
        if observed < best_observed:
            best_observed, best_true = observed, true
        store.write_trial({"index": claim.index, "attempt": 0, "state": "finished", "params": claim.params,
                           "latent": claim.latent, "metric": observed}, durable=False)  # fmt: skip
    return best_true


def spread(values: list[float]) -> str:
    q1, q3 = np.percentile(values, [25, 75])
    return f"median {statistics.median(values):9.4f}  IQR [{q1:8.4f}, {q3:8.4f}]"


def bench_strategies(seeds: int) -> None:
    print(
        f"== bayes (Optuna TPE) vs random, {seeds} seeds, equal budget; value = true f at the best trial (lower is better)"
    )
    root = scratch_root()
    for problem, (_, budget, optimum) in PROBLEMS.items():
        results = {}
        started = time.perf_counter()
        for method in ("random", "bayes"):
            results[method] = [
                search(root, problem, method, seed) for seed in range(seeds)
            ]
        gap = {m: statistics.median(v) - optimum for m, v in results.items()}
        wins = sum(
            b < r for b, r in zip(results["bayes"], results["random"], strict=True)
        )
        print(
            f"{problem:10s} budget {budget:3d}  optimum {optimum:8.4f}  ({time.perf_counter() - started:.0f} s)"
        )
        for method in ("random", "bayes"):
            print(
                f"  {method:7s} {spread(results[method])}  median gap to optimum {gap[method]:.4f}"
            )
        ratio = gap["bayes"] / gap["random"] if gap["random"] > 0 else float("nan")
        print(
            f"  bayes better on {wins}/{seeds} seeds; median gap bayes/random = {ratio:.2f}"
        )


def curve_train() -> None:
    """A learning curve: loss falls from 3 towards a floor set by lr and width, 81 epochs, with a little noise."""
    run = sg.init()
    lr, width = run.config["lr"], run.config["width"]
    floor = 0.1 + (math.log10(lr) + 2.5) ** 2 * 0.3 + 4.0 / width
    speed = (
        6 + 2 * abs(math.log10(lr) + 2.5) + width / 128
    )  # wider nets learn a little slower: curves cross
    rng = np.random.default_rng(run.config["noise_seed"])
    for epoch in range(1, 82):
        loss = floor + (3 - floor) * math.exp(-epoch / speed) + rng.normal(0, 0.01)
        run.log({"loss": loss})
        curve_train.steps += 1
        if run.should_stop:
            break


def bench_hyperband(seeds: int, trials: int) -> None:
    print(
        f"== hyperband (min_iter 9, eta 3) vs no early stopping: {trials} trials x 81 epochs, {seeds} seeds, same configs"
    )
    root = scratch_root()
    saved, gaps = [], []
    for seed in range(seeds):
        outcome = {}
        for label, early in (
            ("none", None),
            ("hyperband", {"type": "hyperband", "min_iter": 9, "eta": 3}),
        ):
            raw = {"method": "random", "seed": seed, "run_cap": trials, "metric": {"name": "loss", "goal": "minimize"},
                   "parameters": {"lr": {"distribution": "log_uniform_values", "min": 1e-4, "max": 1e-1},
                                  "width": {"values": [16, 32, 64, 128, 256]},
                                  "noise_seed": {"distribution": "int_uniform", "min": 0, "max": 10**6}}}  # fmt: skip
            if early:
                raw["early_terminate"] = early
            sweep_id = sg.sweep(raw, project=f"hb-{label}-{seed}", dir=root)
            curve_train.steps = 0
            sg.agent(sweep_id, curve_train, dir=root)
            snap = snapshot(find_sweep(sweep_id, dir=root))
            finals = [t["metric"] for t in snap["trials"] if t["state"] == "finished"]
            outcome[label] = (
                curve_train.steps,
                min(finals),
                snap["counts"]["stopped_early"],
            )
        steps_none, best_none, _ = outcome["none"]
        steps_hb, best_hb, stopped = outcome["hyperband"]
        saved.append(1 - steps_hb / steps_none)
        gaps.append(best_hb / best_none - 1)
        print(
            f"  seed {seed}: steps {steps_hb}/{steps_none} ({saved[-1]:.0%} saved, {stopped} stopped early); "
            f"best final loss {best_hb:.4f} vs {best_none:.4f} ({gaps[-1]:+.1%})"
        )
    print(
        f"  median steps saved {statistics.median(saved):.0%} (min {min(saved):.0%}); "
        f"median best-loss gap {statistics.median(gaps):+.1%} (worst {max(gaps):+.1%})"
    )


def parallel_agent(sweep_id: str, root: str, count: int) -> None:
    import spyglass

    spyglass.agent(
        sweep_id,
        lambda: spyglass.log({"loss": float(spyglass.config["a"])}),
        count=count,
        dir=root,
    )


def bench_parallel(agents: int, per_agent: int) -> None:
    print(
        f"== parallel agents: {agents} processes x {per_agent} trials (real runs) vs 1 process x {agents * per_agent}"
    )
    root = scratch_root()
    context = multiprocessing.get_context("spawn")
    for method, parameters in (
        ("random", {"a": {"min": 0.0, "max": 1.0}, "b": {"min": 0.0, "max": 1.0}}),
        (
            "grid",
            {
                "a": {"values": list(range(agents * per_agent // 10))},
                "b": {"values": list(range(10))},
            },
        ),
    ):
        timings = {}
        for label, processes, count in (
            ("parallel", agents, per_agent),
            ("single", 1, agents * per_agent),
        ):
            sweep_id = sg.sweep(
                {
                    "method": method,
                    "metric": {"name": "loss"},
                    "parameters": parameters,
                },
                project=f"{method}-{label}",
                dir=root,
            )
            started = time.perf_counter()
            workers = [
                context.Process(target=parallel_agent, args=(sweep_id, root, count))
                for _ in range(processes)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            timings[label] = time.perf_counter() - started
            trials = snapshot(find_sweep(sweep_id, dir=root))["trials"]
            distinct = len({json.dumps(t["params"], sort_keys=True) for t in trials})
            finished = sum(t["state"] == "finished" for t in trials)
            indices = sorted(t["index"] for t in trials)
            lost = len(set(range(agents * per_agent)) - set(indices))
            print(
                f"  {method:6s} {label:8s}: {len(trials)} trials, {distinct} distinct configs, {finished} finished, "
                f"{lost} lost, {timings[label]:.1f} s"
            )
        print(
            f"  {method:6s} wall time parallel/single = {timings['parallel'] / timings['single']:.2f} (2 cores)"
        )


def bench_log_overhead(rows: int, repeats: int = 5) -> None:
    print(
        f"== log() cost: {rows} rows in a plain run vs in a hyperband sweep trial (median of {repeats})"
    )
    root = scratch_root()
    timings: dict[str, list[float]] = {"plain": [], "trial": []}

    def timed_loop(run) -> float:
        started = time.perf_counter()
        for step in range(rows):
            run.log({"loss": 1.0 / (step + 1), "acc": 0.5})
        return time.perf_counter() - started

    raw = {"method": "random", "metric": {"name": "loss"}, "parameters": {"x": {"min": 0.0, "max": 1.0}},
           "early_terminate": {"type": "hyperband", "min_iter": 3, "eta": 3}}  # fmt: skip
    sweep_id = sg.sweep(raw, project="overhead", dir=root)
    for _ in range(repeats):
        with sg.init(
            project="overhead-plain", dir=root
        ) as run:  # default settings, as the trial's run
            timings["plain"].append(timed_loop(run))
        sg.agent(
            sweep_id,
            lambda: timings["trial"].append(timed_loop(sg.run)),
            count=1,
            dir=root,
        )
    plain, trial = (
        statistics.median(timings[k]) / rows * 1e9 for k in ("plain", "trial")
    )
    print(
        f"  plain run {plain:6.0f} ns/row   sweep trial {trial:6.0f} ns/row   ratio {trial / plain:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--hyperband-seeds", type=int, default=5)
    parser.add_argument(
        "--quick", action="store_true", help="3 seeds, fewer trials (a smoke run)"
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    seeds = 3 if args.quick else args.seeds
    bench_strategies(seeds)
    bench_hyperband(2 if args.quick else args.hyperband_seeds, 20 if args.quick else 40)
    bench_parallel(4, 10 if args.quick else 50)
    bench_log_overhead(20_000 if args.quick else 200_000)
    print(f"total {time.perf_counter() - started:.0f} s")
    for root in _SCRATCH:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
