"""The Python constants are the values of packages/protocol/fixtures/constants.json, which the TypeScript
package imports, and no other module spells a Spyglass MIME type out."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import spyglass
from spyglass.base import protocol_constants as constants
from spyglass.base.errors import ProtocolError
from spyglass.transport.protocol import error_message, parse_message

REPO = Path(__file__).resolve().parents[2]
FIXTURE = json.loads((REPO / "packages" / "protocol" / "fixtures" / "constants.json").read_text())


def test_the_protocol_version_comm_target_and_size_bound_are_the_fixture_s():
    assert FIXTURE["protocolVersion"] == {
        "major": constants.PROTOCOL_MAJOR,
        "minor": constants.PROTOCOL_MINOR,
    }
    assert FIXTURE["commTarget"] == constants.COMM_TARGET
    assert FIXTURE["maxMessageBytes"] == constants.MAX_MESSAGE_BYTES


def test_every_mime_type_is_the_fixture_s():
    assert FIXTURE["mimeTypes"] == constants.MIME_TYPES
    named = {
        "run": constants.RUN_MIME_TYPE,
        "table": constants.TABLE_MIME_TYPE,
        "sweep": constants.SWEEP_MIME_TYPE,
        "workspace": constants.WORKSPACE_MIME_TYPE,
        "lineage": constants.LINEAGE_MIME_TYPE,
        "traces": constants.TRACES_MIME_TYPE,
        "evals": constants.EVALS_MIME_TYPE,
    }
    assert named == FIXTURE["mimeTypes"]
    assert all(mime.startswith(constants.MIME_TYPE_PREFIX) for mime in named.values())


def test_the_error_codes_are_the_fixture_s():
    assert sorted(constants.ERROR_CODES) == sorted(FIXTURE["errorCodes"])


@pytest.mark.parametrize("code", constants.ERROR_CODES)
def test_an_error_message_with_each_code_parses(code):
    message = error_message(code, "what went wrong", "r1")
    assert parse_message(message) == message


def test_an_error_message_with_another_code_is_refused_naming_the_field():
    with pytest.raises(ProtocolError) as caught:
        parse_message({"kind": "error", "code": "teapot", "message": "m", "reply_to": None})
    assert caught.value.field == "code" and "unknown_run" in str(caught.value)
    with pytest.raises(ValueError, match="'teapot' is not a protocol error code"):
        error_message("teapot", "m")  # type: ignore[arg-type]


def test_the_run_palette_is_the_fixture_s():
    assert list(constants.RUN_PALETTE) == FIXTURE["palette"]


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """String constants of a module other than docstrings (an expression statement of its own)."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_other_module_spells_a_spyglass_mime_type_out():
    package = Path(spyglass.__file__).parent
    own = Path(constants.__file__).resolve()
    found = [
        f"{path.relative_to(package)}:{line}"
        for path in sorted(package.rglob("*.py"))
        if path.resolve() != own
        for line, text in _string_literals(path)
        if "application/vnd.spyglass." in text
    ]
    assert found == [], f"use spyglass.base.protocol_constants instead of a literal MIME type: {found}"
