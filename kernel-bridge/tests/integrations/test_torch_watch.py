"""sg.watch with real PyTorch: a small CNN trains; each layer's histograms are stored at the right steps."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

import spyglass as sg

torch = pytest.importorskip("torch")

from spyglass.torch_watch import NUM_BINS, WatchError, model_watcher  # noqa: E402


@pytest.fixture(autouse=True)
def first_watch_of_the_process(monkeypatch):
    """Each test watches as a fresh process would: wandb numbers watched models per process (graph_1, ...)."""
    monkeypatch.setattr(model_watcher, "_watch_index", itertools.count())


class SmallCNN(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = torch.nn.Conv2d(4, 8, 3, padding=1)
        self.fc = torch.nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))


PARAMETERS = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias"]


def train(model, steps: int, seed: int = 0) -> None:
    """`steps` batches of 16 random 16x16 images, each followed by a log() of the loss (one row per batch)."""
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    for _ in range(steps):
        images = torch.randn(16, 1, 16, 16, generator=generator)
        labels = torch.randint(0, 10, (16,), generator=generator)
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        sg.log({"loss": loss.item()})


def histograms_by_key(run) -> dict[str, dict[int, dict]]:
    """Every histogram stored for the run, read back through sg.Api(): key -> step -> reference."""
    stored = sg.Api().run(f"{run.project}/{run.id}")
    found: dict[str, dict[int, dict]] = {}
    for row in stored.scan_history():
        for key, value in row.items():
            if isinstance(value, str) and value.startswith('{"_type":"histogram"'):
                found.setdefault(key, {})[row["_step"]] = json.loads(value)
    return found


def test_a_cnn_trained_300_steps_logs_every_layer_every_log_freq_batches_with_counts_summing_to_numel(store):
    model = SmallCNN()
    run = sg.init(project="watch")
    sg.watch(model, log="all", log_freq=50)
    train(model, 300)
    run.finish()
    found = histograms_by_key(run)

    expected_keys = {f"{kind}/{name}" for kind in ("gradients", "parameters") for name in PARAMETERS}
    assert set(found) == expected_keys
    sizes = {name: p.numel() for name, p in model.named_parameters()}
    for key, by_step in found.items():
        # The 50th, 100th, ... batch: logged with commit=False, they join the row that batch's log() commits.
        assert sorted(by_step) == [49, 99, 149, 199, 249, 299], key
        for histogram in by_step.values():
            assert len(histogram["values"]) == NUM_BINS and len(histogram["bins"]) == NUM_BINS + 1
            assert sum(histogram["values"]) == sizes[key.split("/", 1)[1]]
            assert histogram["bins"] == sorted(histogram["bins"])


def test_parameter_histograms_match_numpy_over_the_weights_the_logged_forward_pass_used(store):
    import numpy as np

    model = SmallCNN()
    run = sg.init(project="watch")
    sg.watch(model, log="parameters", log_freq=25)
    weights: dict[int, np.ndarray] = {}
    generator = torch.Generator().manual_seed(1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for step in range(100):
        if (step + 1) % 25 == 0:
            weights[step] = model.fc.weight.detach().numpy().copy()
        loss = model(torch.randn(8, 1, 16, 16, generator=generator)).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        sg.log({"loss": loss.item()})
    run.finish()
    found = histograms_by_key(run)

    assert set(found) == {f"parameters/{name}" for name in PARAMETERS}, "log='parameters' logs no gradients"
    for step, values in weights.items():
        stored = found["parameters/fc.weight"][step]
        counts, edges = np.histogram(values.ravel(), bins=NUM_BINS, range=(values.min(), values.max()))
        assert stored["bins"] == pytest.approx(edges.tolist(), rel=1e-5, abs=1e-6)
        # float32 bin boundaries may put a value on the other side of an edge than float64 numpy does.
        assert sum(abs(a - b) for a, b in zip(stored["values"], counts.tolist(), strict=True)) <= 2
        assert sum(stored["values"]) == values.size


def test_unwatch_stops_logging_and_gradients_only_is_the_default(store):
    model = SmallCNN()
    run = sg.init(project="watch")
    run.watch(model, log_freq=10)
    train(model, 40)
    run.unwatch(model)
    train(model, 40, seed=1)
    run.finish()
    found = histograms_by_key(run)
    assert set(found) == {f"gradients/{name}" for name in PARAMETERS}
    assert all(sorted(by_step) == [9, 19, 29, 39] for by_step in found.values())


def test_unwatch_without_models_removes_every_hook_and_a_finished_run_leaves_the_model_trainable(store):
    first, second = SmallCNN(), SmallCNN()
    run = sg.init(project="watch")
    sg.watch([first, second], log="gradients", log_freq=5)
    train(first, 5)
    train(second, 5)
    sg.unwatch()
    train(first, 5)
    keys = set(histograms_by_key_live(run))
    assert keys == {f"gradients/{prefix}{name}" for prefix in ("", "graph_1") for name in PARAMETERS}

    third = SmallCNN()
    sg.watch(third, log_freq=1)
    run.finish()
    after = sg.init(project="watch")
    train(third, 3)  # hooks of the finished run remove themselves instead of failing backward()
    after.finish()
    assert histograms_by_key(after) == {}


def histograms_by_key_live(run) -> dict[str, dict[int, dict]]:
    run.flush()
    return histograms_by_key(run)


def test_bad_arguments_are_refused_with_a_clear_error(store):
    model = SmallCNN()
    sg.init(project="watch")
    with pytest.raises(WatchError, match="torch.nn.Module"):
        sg.watch(object())
    with pytest.raises(ValueError, match="log must be"):
        sg.watch(model, log="weights")
    with pytest.raises(WatchError, match="log_freq"):
        sg.watch(model, log_freq=0)
    with pytest.warns(UserWarning, match="not watched"):
        sg.unwatch(model)


def test_non_finite_and_constant_tensors(store):
    from spyglass.torch_watch.tensor_histogram import tensor_histogram

    values = torch.tensor([1.0, float("nan"), 3.0, float("inf"), 2.0])
    histogram = tensor_histogram(values, 4)
    assert sum(histogram.histogram) == 3 and histogram.bins[0] == 1.0 and histogram.bins[-1] == 3.0
    assert tensor_histogram(torch.tensor([float("nan")]), 4) is None
    constant = tensor_histogram(torch.full((3, 3), 0.5), 64)
    assert constant.bins == [0.5, 0.5] and constant.histogram == [9]
    integers = tensor_histogram(torch.arange(10), 5)
    assert integers.histogram == [2, 2, 2, 2, 2]


def test_log_graph_writes_the_module_tree_with_output_shapes_as_a_run_file(store):
    model = SmallCNN()
    run = sg.init(project="watch")
    sg.watch(model, criterion=torch.nn.CrossEntropyLoss(), log=None, log_graph=True)
    train(model, 2)
    run.finish()
    graph = json.loads((Path(run.dir) / "files" / "graph_0.json").read_text())
    by_name = {node["name"]: node for node in graph["nodes"]}
    assert graph["class"] == "SmallCNN" and graph["criterion"] == "CrossEntropyLoss"
    assert by_name["fc"]["class"] == "Linear" and by_name["fc"]["output_shape"] == [16, 10]
    assert by_name["conv1"]["parameters"][0] == {
        "name": "weight",
        "shape": [4, 1, 3, 3],
        "numel": 36,
        "trainable": True,
    }
    assert ["", "conv2"] in graph["edges"]
    assert graph["parameters"] == sum(p.numel() for p in model.parameters())
    assert histograms_by_key(run) == {}


def test_importing_spyglass_does_not_import_torch():
    code = "import sys, spyglass; sys.exit(1 if 'torch' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
