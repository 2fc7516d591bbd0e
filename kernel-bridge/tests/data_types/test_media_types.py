"""Histogram, Audio, Video, Html and Object3D: constructors, stored files and refusals."""

from __future__ import annotations

import json
import wave

import numpy as np
import pytest
from PIL import Image as PILImage

import spyglass as sg
from spyglass.data_types import MediaError
from spyglass.data_types.media_store import MediaWriter


@pytest.fixture
def writer(tmp_path):
    return MediaWriter(tmp_path)


def stored(value, writer, key="k", step=1):
    return json.loads(value.reference_json(writer, key, step))


def test_histogram_from_a_sequence_and_from_np_histogram(writer):
    from_values = sg.Histogram([0, 1, 1, 2, float("nan")], num_bins=2)
    assert (from_values.bins, from_values.histogram) == ([0.0, 1.0, 2.0], [1, 3])
    counts, edges = np.histogram(np.arange(10), bins=5)
    assert stored(sg.Histogram(np_histogram=(counts, edges)), writer) == {
        "_type": "histogram",
        "bins": edges.tolist(),
        "values": [2, 2, 2, 2, 2],
    }
    with pytest.raises(MediaError, match="one longer"):
        sg.Histogram(np_histogram=([1, 2], [0, 1]))
    with pytest.raises(MediaError, match="1..512"):
        sg.Histogram([1], num_bins=1000)
    with pytest.raises(MediaError, match="needs sequence"):
        sg.Histogram()


def test_audio_from_an_array_is_a_16_bit_wav(writer, tmp_path):
    reference = stored(sg.Audio(np.sin(np.linspace(0, 6, 1600)), sample_rate=16000, caption="tone"), writer)
    assert (reference["sample_rate"], reference["duration"], reference["caption"]) == (16000, 0.1, "tone")
    with wave.open(str(tmp_path / reference["path"])) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getnframes()) == (1, 2, 1600)
    stereo = stored(sg.Audio(np.zeros((2, 100), np.int16), sample_rate=8000), writer, key="stereo")
    with wave.open(str(tmp_path / stereo["path"])) as reader:
        assert reader.getnchannels() == 2


def test_audio_files_are_copied_and_bad_input_refused(writer, tmp_path):
    clip = tmp_path / "clip.wav"
    with wave.open(str(clip), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(8000), out.writeframes(b"\0\0" * 400)
    reference = stored(sg.Audio(clip), writer)
    assert reference["path"].endswith(".wav") and reference["duration"] == 0.05
    assert (tmp_path / reference["path"]).read_bytes() == clip.read_bytes()
    with pytest.raises(MediaError, match="sample_rate"):
        sg.Audio(np.zeros(10))
    with pytest.raises(MediaError, match="not an audio file"):
        sg.Audio(tmp_path / "clip.txt")


def test_video_arrays_become_gifs_and_files_are_copied(writer, tmp_path):
    frames = np.zeros((3, 3, 8, 10), np.uint8)
    frames[1] = 255
    reference = stored(sg.Video(frames, fps=5, caption="blink"), writer)
    assert {key: reference[key] for key in ("format", "fps", "frames", "width", "height")} == {
        "format": "gif",
        "fps": 5,
        "frames": 3,
        "width": 10,
        "height": 8,
    }
    assert PILImage.open(tmp_path / reference["path"]).n_frames == 3
    movie = tmp_path / "movie.mp4"
    movie.write_bytes(b"\0\0\0\x18ftypmp42")
    assert stored(sg.Video(movie), writer)["path"].endswith(".mp4")
    with pytest.raises(MediaError, match="gif"):
        sg.Video(frames, format="mp4")
    with pytest.raises(MediaError, match="\\(T, C, H, W\\)"):
        sg.Video(np.zeros((3, 8, 10)))


def test_html_is_stored_verbatim_from_a_string_a_path_or_a_file(writer, tmp_path):
    payload = "<img src=x onerror=alert(1)><script>window.pwned=1</script>"
    reference = stored(sg.Html(payload), writer)
    assert (tmp_path / reference["path"]).read_text() == payload  # sanitised on display, not here
    page = tmp_path / "page.html"
    page.write_text("<p>from a file</p>")
    assert sg.Html(page).html == sg.Html(str(page)).html == sg.Html(page.open()).html == "<p>from a file</p>"
    with pytest.raises(MediaError, match="needs a string"):
        sg.Html(42)


def test_object3d_points_and_model_files(writer, tmp_path):
    reference = stored(sg.Object3D(np.arange(12).reshape(4, 3)), writer)
    assert reference["points"] == 4 and reference["format"] == "points"
    assert json.loads((tmp_path / reference["path"]).read_text())["points"][1] == [3.0, 4.0, 5.0]
    model = tmp_path / "mesh.obj"
    model.write_text("v 0 0 0\n")
    assert stored(sg.Object3D(model), writer)["format"] == "obj"
    with pytest.raises(MediaError, match="\\(N, 3\\)"):
        sg.Object3D(np.zeros((4, 5)))


def test_file_names_are_content_addressed_per_key_and_step(writer, tmp_path):
    first = stored(sg.Html("a"), writer, key="eval/page", step=7)["path"]
    again = stored(sg.Html("a"), writer, key="eval/page", step=7)["path"]
    other = stored(sg.Html("b"), writer, key="eval/page", step=7)["path"]
    assert first == again != other
    assert first.startswith("media/html/eval_page_7_") and first.endswith(".html")
    assert not [path for path in tmp_path.rglob("*") if path.name.endswith(".tmp")]
