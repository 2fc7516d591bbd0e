"""log_graph=True: the model's module tree as a run file, `files/graph_<idx>.json` (wandb logs `graph_<idx>`).

Written when `watch` is called (modules, classes, parameter shapes) and again after the first forward pass,
which adds each module's output shape; the shape hooks then remove themselves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..base.atomic_file import write_atomic

GRAPH_FORMAT = "spyglass.module_graph/1"


def module_tree(model: Any, criterion: Any = None) -> dict[str, Any]:
    """Nodes (one per module, the root named "") and parent→child edges, with parameter shapes and counts."""
    nodes, edges = [], []
    for name, module in model.named_modules():
        parameters = [
            {
                "name": key,
                "shape": list(value.shape),
                "numel": int(value.numel()),
                "trainable": value.requires_grad,
            }
            for key, value in module.named_parameters(recurse=False)
        ]
        nodes.append({"name": name, "class": type(module).__name__, "parameters": parameters})
        if name:
            edges.append([name.rpartition(".")[0], name])
    total = sum(int(p.numel()) for p in model.parameters())
    return {
        "format": GRAPH_FORMAT,
        "class": type(model).__name__,
        "criterion": None if criterion is None else type(criterion).__name__,
        "parameters": total,
        "nodes": nodes,
        "edges": edges,
    }


class GraphRecorder:
    """Writes the tree now and once more with output shapes after the model's first forward pass."""

    def __init__(self, model: Any, criterion: Any, path: Path) -> None:
        self.path = path
        self.graph = module_tree(model, criterion)
        self._shapes: dict[str, Any] = {}
        self._write()
        self.handles = [
            module.register_forward_hook(self._shape_hook(name)) for name, module in model.named_modules()
        ]
        # The root's hook runs last in a forward pass: every submodule's shape is known by then.
        self.handles.append(model.register_forward_hook(self._after_first_forward))

    def _shape_hook(self, name: str) -> Any:
        def record(module: Any, inputs: Any, output: Any) -> None:
            self._shapes.setdefault(name, _shape_of(output))

        return record

    def _after_first_forward(self, module: Any, inputs: Any, output: Any) -> None:
        self.remove()
        for node in self.graph["nodes"]:
            node["output_shape"] = self._shapes.get(node["name"])
        self._write()

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()
        self.handles = []

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(self.graph, indent=1).encode())


def _shape_of(output: Any) -> Any:
    if hasattr(output, "shape"):
        return list(output.shape)
    if isinstance(output, (tuple, list)):
        return [_shape_of(item) for item in output]
    return None
