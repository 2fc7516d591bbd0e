"""GET /file serves a trace session's stored images (the trace panel draws them inline), nothing else of
it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

import spyglass as sg
from spyglass.server.file_access import resolve_file
from spyglass.server.run_access import RunAccessError


def test_an_image_a_call_stored_by_reference_is_served_and_other_session_files_are_not(store):
    session = sg.init_traces("pics", dir=store)
    try:

        @sg.op
        def draw(image, blob):
            return image

        draw(Image.fromarray(np.zeros((4, 6, 3), np.uint8)), b"\x00" * 10)
    finally:
        sg.finish_traces()
    [call] = sg.Api(dir=store).calls("pics")
    ref = call.output
    assert ref["_type"] == "ref" and ref["kind"] == "image" and ref["path"].endswith(".png")
    roots = [store]
    served = resolve_file(str(session.path), ref["path"], str(store), roots)
    assert served.read_bytes().startswith(b"\x89PNG")
    blob = call.inputs["blob"]["path"]
    for path, status in [
        (blob, 403),  # a stored value that is not an image
        ("calls.sglog", 403),
        ("session.json", 403),
        ("objects/../calls.sglog", 400),
        ("objects/0000.png", 404),
    ]:
        with pytest.raises(RunAccessError) as caught:
            resolve_file(str(session.path), path, str(store), roots)
        assert caught.value.status == status, path
    with pytest.raises(RunAccessError) as caught:  # a .traces directory that is no session
        resolve_file(str(session.path.parent / "nosession"), ref["path"], str(store), roots)
    assert caught.value.status in (403, 404)
