"""sg.Image takes arrays, PIL images, tensors, files and figures; refuses non-images; downscales huge ones."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image as PILImage

import spyglass as sg
from spyglass.data_types import DownscaledImageWarning, MediaError
from spyglass.data_types.image import MAX_SIDE
from spyglass.data_types.media_store import MediaWriter


def pixels(image: sg.Image) -> np.ndarray:
    return np.asarray(PILImage.open(io.BytesIO(image.image_bytes())))


@pytest.mark.parametrize(
    ("array", "size", "mode"),
    [
        (np.zeros((4, 6), np.uint8), (6, 4), "L"),
        (np.zeros((4, 6, 1), np.uint8), (6, 4), "L"),
        (np.zeros((4, 6, 3), np.uint8), (6, 4), "RGB"),
        (np.zeros((4, 6, 4), np.uint8), (6, 4), "RGBA"),
        (np.ones((3, 4, 6), np.float32), (6, 4), "RGB"),  # CHW, channels first
    ],
)
def test_numpy_layouts_become_png(array, size, mode):
    image = sg.Image(array)
    decoded = PILImage.open(io.BytesIO(image.image_bytes()))
    assert (image.format, decoded.size, decoded.mode) == ("png", size, mode)


def test_floats_in_zero_one_are_scaled_and_others_clipped():
    assert pixels(sg.Image(np.full((2, 2), 0.5)))[0, 0] == 128
    assert pixels(sg.Image(np.full((2, 2), 300.0)))[0, 0] == 255
    assert pixels(sg.Image(np.full((2, 2), np.nan)))[0, 0] == 0


def test_pil_images_files_and_bytes_are_taken(tmp_path):
    picture = PILImage.new("RGB", (5, 3), (255, 0, 0))
    assert (sg.Image(picture).width, sg.Image(picture).height) == (5, 3)
    jpeg = tmp_path / "photo.jpg"
    picture.save(jpeg)
    from_file = sg.Image(str(jpeg), caption="red")
    assert (from_file.format, from_file.caption) == ("jpg", "red")
    assert from_file.image_bytes() == jpeg.read_bytes()  # a JPEG is stored as it is, not re-encoded


class FakeTensor:
    """Stands in for a torch tensor (torch is not installed here): CHW, detach().cpu().numpy()."""

    __module__ = "torch"

    def __init__(self, array):
        self.array = array

    def detach(self):
        return self

    def cpu(self):
        return self

    def numpy(self):
        return self.array


def test_torch_tensors_are_read_channels_first():
    image = sg.Image(FakeTensor(np.zeros((3, 8, 2), np.float32)))
    assert (image.width, image.height) == (2, 8)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (np.zeros(10), "shape \\(10,\\)"),
        (np.zeros((2, 2, 7)), "shape \\(2, 2, 7\\)"),
        (np.zeros((0, 5)), "no pixels"),
        (np.array([["a", "b"]]), "dtype <U1"),
        ({"not": "an image"}, "dtype object"),
    ],
)
def test_arrays_that_are_not_images_are_refused(value, message):
    with pytest.raises(MediaError, match=message):
        sg.Image(value)


def test_files_that_are_not_images_are_refused(tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not really a png")
    with pytest.raises(MediaError, match="not an image Pillow can read"):
        sg.Image(text)
    with pytest.raises(MediaError, match="is not a file"):
        sg.Image(tmp_path / "missing.png")


def test_huge_images_are_downscaled_with_a_warning():
    with pytest.warns(DownscaledImageWarning, match=f"at most {MAX_SIDE} pixels"):
        image = sg.Image(np.zeros((10, MAX_SIDE * 2), np.uint8))
    assert (image.width, image.height) == (MAX_SIDE, 5)


def test_masks_and_boxes_are_stored_alongside(tmp_path):
    boxes = {
        "predictions": {
            "box_data": [
                {
                    "position": {"minX": 0.1, "maxX": 0.5, "minY": 0.2, "maxY": 0.6},
                    "class_id": 1,
                    "box_caption": "cat",
                    "scores": {"p": np.float32(0.75)},
                }
            ],
            "class_labels": {1: "cat"},
        }
    }
    masks = {"truth": {"mask_data": np.array([[0, 1], [1, 0]]), "class_labels": {0: "bg", 1: "cat"}}}
    image = sg.Image(np.zeros((2, 2, 3), np.uint8), boxes=boxes, masks=masks)
    reference = json.loads(image.reference_json(MediaWriter(tmp_path), "pic", 3))
    assert reference["boxes"]["predictions"]["box_data"][0]["scores"] == {"p": 0.75}
    assert reference["boxes"]["predictions"]["class_labels"] == {"1": "cat"}
    mask = reference["masks"]["truth"]
    assert mask["class_labels"] == {"0": "bg", "1": "cat"} and mask["path"].startswith(
        "media/images/pic_mask_truth_3_"
    )
    assert np.asarray(PILImage.open(tmp_path / mask["path"])).tolist() == [[0, 1], [1, 0]]


def test_malformed_boxes_and_masks_are_refused_at_construction():
    with pytest.raises(MediaError, match="position"):
        sg.Image(np.zeros((2, 2)), boxes={"p": {"box_data": [{"class_id": 1}]}})
    with pytest.raises(MediaError, match="2-D"):
        sg.Image(np.zeros((2, 2)), masks={"m": {"mask_data": np.zeros(4)}})


def test_matplotlib_figures_become_png_images():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2, 1))
    image = sg.Image(figure)
    plt.close(figure)
    assert image.format == "png" and image.width > 50


def test_an_image_shows_itself_in_a_notebook():
    image = sg.Image(np.zeros((2, 2)))
    assert image._repr_png_() == image.image_bytes() and image._repr_jpeg_() is None
