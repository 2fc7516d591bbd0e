"""sg.Html: an HTML document stored verbatim as a file; the frontend sanitises it (DOMPurify) to show it."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ..base.text_checks import is_storable, replaced_text
from .errors import MediaError
from .media import Media
from .media_store import MediaWriter


class Html(Media):
    """`sg.Html("<b>hi</b>")`, `sg.Html(open("page.html"))` or `sg.Html(Path("page.html"))`.

    `inject` (wandb adds its stylesheet) is accepted and ignored: nothing is added to the stored HTML.
    """

    _type = "html"

    def __init__(self, data: Any, inject: bool = False) -> None:
        if isinstance(data, os.PathLike) or (
            isinstance(data, str)
            and data.lower().endswith((".html", ".htm"))
            and "<" not in data
            and os.path.isfile(data)
        ):
            try:
                data = Path(data).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise MediaError(
                    f"sg.Html: could not read {os.fspath(data)!r} as UTF-8 text: {error}"
                ) from error
        elif isinstance(data, io.IOBase) or hasattr(data, "read"):
            data = data.read()
        if isinstance(data, bytes):
            data = data.decode("utf-8", errors="replace")
        if not isinstance(data, str):
            raise MediaError(
                f"sg.Html needs a string, a file path or a text file, got {type(data).__name__}."
            )
        self.html = data if is_storable(data) else replaced_text("sg.Html text", data, set())

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        path = writer.write_bytes("html", key, step, "html", self.html.encode("utf-8"))
        return {"_type": "html", "path": path, "size": len(self.html)}
