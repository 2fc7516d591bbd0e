"""Reference JSON is compact, strict and told apart from any other string."""

from __future__ import annotations

import math

from spyglass.data_types.reference import decode_reference, encode_reference


def test_references_are_compact_keep_unicode_and_drop_non_finite_numbers():
    text = encode_reference({"_type": "image", "path": "media/images/a.png", "caption": "ça ‮", "x": math.nan})
    assert text == '{"_type":"image","path":"media/images/a.png","caption":"ça ‮","x":null}'
    assert decode_reference(text)["caption"] == "ça ‮"


def test_other_strings_are_not_references():
    for text in ("hello", '{"a": 1}', '{"_type":"unknown"}', '{"_type":"table"', None, 3.5, '{"_type":'):
        assert decode_reference(text) is None
    assert decode_reference('{"_type":"histogram","bins":[0,1],"values":[2]}') == {
        "_type": "histogram",
        "bins": [0, 1],
        "values": [2],
    }
