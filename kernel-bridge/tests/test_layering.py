"""The floors of the `spyglass` package: a module imports only its own subpackage and the floors below it.

Floors, bottom to top (a floor may hold several subpackages; those siblings never import each other):

 0. base            errors, user warnings, text/value checks, path confinement, atomic files, the version
 1. store           the framed log, Arrow payloads, the run directory, run state, write faults, project names
 2. transport       the comm protocol (mirror of packages/protocol) and the comm transport
 3. rows            the history row buffer (log()'s hot path), the batch builder and the flusher
    system          system metrics: probes and the monitor thread
    charts          static SVG charts of a run's metrics
 4. data_types      Table, Image, Audio, Video, Histogram, Html, Object3D, plots, the media store
 5. artifacts       artifacts, their store, registry and lineage
    workspace_data  a project's runs compared: listing, series, histograms, overview, the notebook output
    torch_watch     run.watch for PyTorch (torch imported only there)
    traces          @sg.op calls: recording, their trace sessions in the store, reading them back
 6. tracking        the write-side run API: init, the session, Run and its parts, settings, environment
    api             the read-side API: Api, stored runs, history sampling, filters
    llm             LLM clients (openai, anthropic, litellm) traced automatically: usage, cost, streams
 7. sweeps          sweep controller, agent, search strategies and their store
    integration     Keras, Lightning, Transformers, XGBoost, LightGBM, scikit-learn
    evals           Dataset, Model, Evaluation and scorers (they log to runs, trace ops, store artifacts)
    inference       sg.inference.client: the openai client for an OpenAI-compatible provider, traced
 8. report          `spyglass report`: the static HTML report builder
 9. server          the Jupyter Server extension (HTTP handlers)
    wandb_compat    the `wandb` shim and wandb's own helper names
10. cli             the `spyglass` command
11. the facade      spyglass/__init__.py and the public module paths kept at the top (errors, keras, lightgbm,
                    sklearn, xgboost), which re-export the floors below

Imports are read from the source (ast), also those inside functions and under TYPE_CHECKING, so an import
made late cannot hide a dependency. The modules also form no import cycle.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "spyglass"

FLOORS: list[tuple[str, ...]] = [
    ("base",),
    ("store",),
    ("transport",),
    ("rows", "system", "charts"),
    ("data_types",),
    ("artifacts", "workspace_data", "torch_watch", "traces"),
    ("tracking", "api", "llm"),
    ("sweeps", "integration", "evals", "inference"),
    ("report",),
    ("server", "wandb_compat"),
    ("cli",),
]
FACADE = "spyglass"  # the top-level modules: spyglass/__init__.py, errors.py, keras.py, ...
# The facade again, under wandb's name: what `import wandb` gives with the wandb shim installed.
FACADE_MODULES = {"spyglass.wandb_compat.surface"}
FLOOR_OF = {pkg: floor for floor, pkgs in enumerate(FLOORS) for pkg in pkgs}
FLOOR_OF[FACADE] = len(FLOORS)


def module_files() -> dict[str, Path]:
    files = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "labextension" in parts or "static" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        files[name] = path
    return files


def subpackage(module: str) -> str:
    """The floor subpackage of a module (`spyglass.rows.flusher` -> rows; top-level modules -> the facade)."""
    if module in FACADE_MODULES:
        return FACADE
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in FLOOR_OF) else FACADE


def imports_of(module: str, path: Path, modules: set[str]) -> list[tuple[str, int]]:
    """Every spyglass module that `module` imports, with the line, as the most specific existing module."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            # `from . import session` imports the module spyglass.session; `from .x import f`, spyglass.x.
            named = [f"{origin}.{alias.name}" for alias in node.names]
            targets = [name if name in modules else origin for name in named]
        else:
            continue
        for target in targets:
            while target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            if target in modules and target != module and target.split(".")[0] == "spyglass":
                found.append((target, node.lineno))
    return found


@functools.cache
def import_graph() -> dict[str, list[tuple[str, int]]]:
    files = module_files()
    return {name: imports_of(name, path, set(files)) for name, path in files.items()}


def floor_violations(graph: dict[str, list[tuple[str, int]]]) -> list[str]:
    problems = []
    for module, targets in graph.items():
        own = subpackage(module)
        for target, line in targets:
            theirs = subpackage(target)
            if own == theirs or target == "spyglass" and own == FACADE:
                continue
            if FLOOR_OF[theirs] >= FLOOR_OF[own]:
                kind = "a sibling on the same floor" if FLOOR_OF[theirs] == FLOOR_OF[own] else "a floor above"
                problems.append(
                    f"{module} (line {line}, floor {FLOOR_OF[own]} {own}) imports {target} "
                    f"(floor {FLOOR_OF[theirs]} {theirs}): {kind}"
                )
    return problems


def import_cycles(graph: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _ in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return cycles


def test_every_subpackage_has_a_floor():
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    unplaced = sorted(subpackages - set(FLOOR_OF) - {"labextension"})
    assert not unplaced, f"subpackages with no floor in tests/test_layering.py FLOORS: {unplaced}"
    missing = sorted(set(FLOOR_OF) - subpackages - {FACADE})
    assert not missing, f"FLOORS names subpackages that do not exist: {missing}"


def test_no_module_imports_a_floor_above_or_a_sibling():
    problems = floor_violations(import_graph())
    assert not problems, "imports against the floors (see this file's docstring):\n" + "\n".join(problems)


def test_no_import_cycle():
    cycles = import_cycles(import_graph())
    listed = "\n".join(" <-> ".join(c) for c in cycles)
    assert not cycles, "import cycles between modules:\n" + listed
