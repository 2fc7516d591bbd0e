"""`Prompt`: chat messages with `{{variable}}` slots, versioned by content as an artifact of type "prompt".

The playground panel saves its prompt this way (docs/playground.md); Python reads it back with
`Prompt.get("project/name:v2")` and fills it with `prompt.format(question=...)` for any openai-style client.
Saving the same messages again makes no new version: the artifact is content-addressed.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..artifacts.artifact import Artifact
from ..artifacts.artifact_store import VersionRef, resolve
from ..base.errors import SpyglassError
from ..store.run_store import resolve_store_root, validate_name

PROMPT_TYPE = "prompt"
PROMPT_FILE = "prompt.json"
PROMPT_FORMAT = "spyglass.prompt/1"
ROLES = ("system", "user", "assistant")
# {{name}}: the slot syntax, kept apart from the single braces JSON and code in a prompt use.
VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class PromptError(SpyglassError, ValueError):
    """A prompt that cannot be built, filled, saved or read (the message says which part and why)."""


@dataclass
class Prompt:
    """`Prompt(messages=[{"role": "system", "content": "..."}, {"role": "user", "content": "{{q}}"}])`."""

    messages: list[dict[str, str]]
    name: str = "prompt"
    description: str | None = None
    _ref: VersionRef | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.messages = checked_messages(self.messages)

    @property
    def variables(self) -> list[str]:
        """The `{{name}}` slots of every message, in first-seen order."""
        names = (
            match.group(1) for message in self.messages for match in VARIABLE.finditer(message["content"])
        )
        return list(dict.fromkeys(names))

    @property
    def reference(self) -> str | None:
        """ "project/name:vN" once saved or read from the store, else None."""
        return self._ref.qualified_name if self._ref else None

    @property
    def version(self) -> str | None:
        return f"v{self._ref.number}" if self._ref else None

    def format(self, **values: Any) -> list[dict[str, str]]:
        """The messages with every slot filled (values as text); PromptError naming a slot with no value."""
        missing = [name for name in self.variables if name not in values]
        if missing:
            raise PromptError(
                f"no value for the prompt variable(s) {', '.join(missing)}: pass them to format()"
            )
        return [
            {"role": m["role"], "content": VARIABLE.sub(lambda v: str(values[v.group(1)]), m["content"])}
            for m in self.messages
        ]

    def save(self, project: str, *, dir: str | os.PathLike[str] | None = None) -> Prompt:
        """Store as the next version of artifact `name` in `project` (none when equal to a stored version)."""
        validate_name("project", project)
        draft = Artifact(self.name, PROMPT_TYPE, self.description, {"format": PROMPT_FORMAT})
        with draft.new_file(PROMPT_FILE, encoding="utf-8") as handle:
            json.dump(self._document(), handle, ensure_ascii=False, sort_keys=True, indent=1)
        self._ref = draft._log(resolve_store_root(dir), project, logged_by=None).ref
        return self

    @classmethod
    def get(
        cls, reference: str, *, project: str | None = None, dir: str | os.PathLike[str] | None = None
    ) -> Prompt:
        """A stored version: "project/name:v2", "project/name" (latest) or "name:alias" with project=."""
        root = resolve_store_root(dir)
        if project is None and "/" not in reference:
            raise PromptError(f"Prompt.get({reference!r}) needs the project: 'project/name:v2' or project=")
        ref, record = resolve(root, reference, project or "")
        if record.get("type") != PROMPT_TYPE:
            raise PromptError(
                f"{ref.qualified_name} is an artifact of type {record.get('type')!r}, not a prompt"
            )
        path = Path(Artifact._from_store(root, ref, record).get_path(PROMPT_FILE))
        document = json.loads(path.read_text(encoding="utf-8"))
        prompt = cls(document.get("messages"), ref.name, record.get("description"))
        prompt._ref = ref
        return prompt

    def _document(self) -> dict[str, Any]:
        return {"format": PROMPT_FORMAT, "messages": self.messages, "variables": self.variables}


def checked_messages(messages: Any) -> list[dict[str, str]]:
    """Messages as [{"role", "content"}] (known roles, text content); PromptError naming the first bad one."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, list) or not messages:
        raise PromptError('a prompt is a non-empty list of messages: [{"role": "user", "content": "..."}]')
    checked = []
    for index, message in enumerate(messages):
        if not isinstance(message, Mapping):
            raise PromptError(f"prompt message {index} is a {type(message).__name__}, not a dict")
        role, content = message.get("role"), message.get("content")
        if role not in ROLES:
            raise PromptError(f"prompt message {index} has role {role!r}: use one of {', '.join(ROLES)}")
        if not isinstance(content, str):
            raise PromptError(
                f"prompt message {index} ({role}) needs text content, got {type(content).__name__}"
            )
        checked.append({"role": role, "content": content})
    return checked
