"""Masks and bounding boxes on an image (wandb's dict shapes): boxes inline in the reference, masks as PNG."""

from __future__ import annotations

from typing import Any

from ..base.json_values import json_safe
from .errors import MediaError
from .media_store import MediaWriter


def boxes_reference(boxes: Any) -> dict[str, Any]:
    """Checked boxes as stored: {'name': {'box_data': [{'position', 'class_id', ...}], 'class_labels'}}."""
    if not isinstance(boxes, dict):
        raise MediaError(
            "sg.Image boxes must be a dict: {'predictions': {'box_data': [...], 'class_labels': {...}}}."
        )
    stored: dict[str, Any] = {}
    for name, group in boxes.items():
        if not isinstance(group, dict) or not isinstance(group.get("box_data"), (list, tuple)):
            raise MediaError(f"sg.Image boxes {name!r} must be a dict with a 'box_data' list.")
        for index, box in enumerate(group["box_data"]):
            position = box.get("position") if isinstance(box, dict) else None
            if not isinstance(position, dict) or not (
                {"minX", "maxX", "minY", "maxY"} <= position.keys()
                or {"middle", "width", "height"} <= position.keys()
            ):
                raise MediaError(
                    f"sg.Image boxes {name!r}[{index}]: 'position' needs minX, maxX, minY, maxY "
                    "or middle, width, height."
                )
        stored[str(name)] = {
            "box_data": json_safe(list(group["box_data"])),
            "class_labels": _labels(group.get("class_labels")),
        }
    return stored


def masks_reference(
    masks: dict[str, Any], pngs: dict[str, bytes], writer: MediaWriter, key: str, step: int | None
) -> dict[str, Any]:
    """Write each mask's PNG and return {'name': {'path': ..., 'class_labels': {...}}}."""
    stored = {}
    for name, mask in masks.items():
        path = writer.write_bytes("images", f"{key}_mask_{name}", step, "png", pngs[str(name)])
        stored[str(name)] = {"path": path, "class_labels": _labels(mask.get("class_labels"))}
    return stored


def _labels(labels: Any) -> dict[str, str] | None:
    if labels is None:
        return None
    if not isinstance(labels, dict):
        raise MediaError("class_labels must be a dict of class id to name, e.g. {0: 'cat', 1: 'dog'}.")
    return {str(json_safe(class_id)): str(name) for class_id, name in labels.items()}
