"""A list of media under one key (`run.log({"ex": [sg.Image(a), sg.Image(b)]})`): every file stored, one
reference per step, read back through sg.Api(); mixed lists refused, empty lists accepted."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image as PILImage

import spyglass as sg
from spyglass.data_types import MediaError
from spyglass.data_types.reference import decode_reference


def stored_run(store, run):
    return sg.Api(dir=store).run(f"{run.project}/{run.id}")


def rows_with(history, key):
    return {row["_step"]: row[key] for row in history if isinstance(row.get(key), str)}


def test_a_list_of_images_stores_every_file_and_one_reference_per_step(store):
    rng = np.random.default_rng(0)
    arrays = [rng.integers(0, 256, (5 + i, 7, 3), dtype=np.uint8) for i in range(3)]
    run = sg.init(project="lists")
    run.log({"examples": [sg.Image(a, caption=f"#{i}") for i, a in enumerate(arrays)], "loss": 0.5})
    run.log({"loss": 0.4})
    run.log({"examples": [sg.Image(arrays[2])], "loss": 0.3})
    run.finish()

    stored = stored_run(store, run)
    by_step = rows_with(stored.scan_history(), "examples")
    assert sorted(by_step) == [0, 2]
    first = decode_reference(by_step[0])
    assert first["_type"] == "images/separated" and first["count"] == 3
    assert [item["caption"] for item in first["items"]] == ["#0", "#1", "#2"]
    for item, array in zip(first["items"], arrays, strict=True):
        assert item["_type"] == "image" and item["path"].startswith("media/images/examples_0_")
        decoded = np.asarray(PILImage.open(store / "lists" / run.id / item["path"]))
        np.testing.assert_array_equal(decoded, array)
        assert (item["width"], item["height"]) == (7, array.shape[0])
    last = decode_reference(by_step[2])
    assert last["count"] == 1 and last["items"][0]["caption"] is None
    assert (store / "lists" / run.id / last["items"][0]["path"]).is_file()
    assert stored.summary["examples"] == by_step[2], "the summary keeps the last list, as wandb's"
    history = stored.history()
    assert list(history["examples"].dropna()) == [by_step[0], by_step[2]]


def test_audio_video_html_and_object3d_lists_reference_each_stored_file(store):
    run = sg.init(project="lists")
    tone = np.sin(np.linspace(0, 40, 800)).astype(np.float32)
    frames = np.zeros((3, 3, 8, 8), np.uint8)
    run.log(
        {
            "audio": [sg.Audio(tone, sample_rate=8000, caption="a"), sg.Audio(tone * 0.5, sample_rate=8000)],
            "video": (sg.Video(frames, fps=2), sg.Video(frames + 90, fps=2)),
            "pages": [sg.Html("<b>one</b>"), sg.Html("<i>two</i>")],
            "clouds": [sg.Object3D(np.zeros((4, 3))), sg.Object3D(np.ones((5, 3)))],
        }
    )
    run.finish()
    row = next(iter(stored_run(store, run).scan_history()))
    expected = {
        "audio": ("audio/separated", "audio"),
        "video": ("videos/separated", "video"),
        "pages": ("html/separated", "html"),
        "clouds": ("object3d/separated", "object3d"),
    }
    for key, (list_type, item_type) in expected.items():
        reference = decode_reference(row[key])
        assert (reference["_type"], reference["count"]) == (list_type, 2), key
        paths = [item["path"] for item in reference["items"]]
        assert {item["_type"] for item in reference["items"]} == {item_type}
        assert len(set(paths)) == 2 and all((store / "lists" / run.id / p).is_file() for p in paths), key
    pages = decode_reference(row["pages"])["items"]
    assert [(store / "lists" / run.id / p["path"]).read_text() for p in pages] == ["<b>one</b>", "<i>two</i>"]


def test_a_list_of_figures_is_a_list_of_images(store):
    plt = pytest.importorskip("matplotlib.pyplot")
    figures = [plt.figure(figsize=(1, 1)), plt.figure(figsize=(2, 1))]
    run = sg.init(project="lists")
    run.log({"plots": figures})
    run.finish()
    for figure in figures:
        plt.close(figure)
    reference = decode_reference(next(iter(stored_run(store, run).scan_history()))["plots"])
    assert reference["_type"] == "images/separated" and reference["count"] == 2
    sizes = [PILImage.open(store / "lists" / run.id / item["path"]).size for item in reference["items"]]
    assert sizes[0][0] < sizes[1][0]


@pytest.mark.parametrize(
    ("items", "said"),
    [
        ([sg.Image(np.zeros((2, 2), np.uint8)), sg.Html("<p>")], "mixing sg.Html, sg.Image"),
        ([sg.Image(np.zeros((2, 2), np.uint8)), 3], "mixing int, sg.Image"),
        ([sg.Histogram([1, 2, 3])], "a list of sg.Histogram"),
    ],
)
def test_a_list_wandb_would_not_store_is_refused_and_the_run_keeps_what_it_had(store, items, said):
    run = sg.init(project="lists")
    run.log({"loss": 1.0})
    with pytest.raises(MediaError, match=said):
        run.log({"ex": items, "loss": 2.0})
    run.log({"loss": 3.0})
    run.finish()
    rows = list(stored_run(store, run).scan_history())
    assert [row["loss"] for row in rows] == [1.0, 3.0]
    assert all(row.get("ex") is None for row in rows)


def test_an_empty_list_is_accepted_and_stores_nothing_for_its_key(store):
    run = sg.init(project="lists")
    run.log({"ex": [], "loss": 1.0})
    run.log({"ex": [sg.Image(np.zeros((2, 2), np.uint8))], "loss": 2.0})
    run.finish()
    rows = list(stored_run(store, run).scan_history())
    assert [row["loss"] for row in rows] == [1.0, 2.0]
    assert rows[0].get("ex") is None and json.loads(rows[1]["ex"])["count"] == 1


def test_a_list_of_plain_numbers_is_still_refused_with_advice(store):
    run = sg.init(project="lists", settings={"strict": True})
    with pytest.raises(TypeError, match="list of 2 elements is not supported"):
        run.log({"ex": [1.0, 2.0]})
    run.finish()


def test_stored_image_bytes_are_the_ones_logged(store):
    # PNG files given by path are kept as they are, so the stored file is byte for byte the user's file.
    buffers = []
    for shade in (10, 200):
        buffer = io.BytesIO()
        PILImage.new("RGB", (3, 3), (shade, 0, 0)).save(buffer, format="PNG")
        buffers.append(buffer.getvalue())
    run = sg.init(project="lists")
    run.log({"ex": [sg.Image(io.BytesIO(data)) for data in buffers]})
    run.finish()
    reference = decode_reference(next(iter(stored_run(store, run).scan_history()))["ex"])
    stored = [(store / "lists" / run.id / item["path"]).read_bytes() for item in reference["items"]]
    assert stored == buffers
