"""`sg.Dataset`: rows to evaluate on, versioned as an artifact of type "dataset" (one `rows.parquet`).

Saving equal rows again makes no new version (artifacts are content-addressed), so an evaluation names the
exact rows it scored as "project/name:vN". docs/evaluations.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..artifacts.artifact import Artifact
from ..artifacts.artifact_store import VersionRef, collection_of, record_use, resolve
from ..data_types.table import Table
from .dataset_rows import arrow_to_rows, checked_rows, rows_to_arrow
from .errors import DatasetError
from .store_target import current_run, project_and_root

DATASET_TYPE = "dataset"
ROWS_ENTRY = "rows.parquet"


class Dataset:
    """`sg.Dataset(name="qa", rows=[{"question": ..., "answer": ...}, ...])`; rows may also be a pandas or
    polars DataFrame, a pyarrow Table or an sg.Table."""

    def __init__(self, rows: Any = None, name: str = "dataset", *, description: str | None = None) -> None:
        self.name = name
        self.description = description
        self.rows: list[dict[str, Any]] = _as_rows(rows)
        self._ref: VersionRef | None = None
        self._root: Path | None = None

    # -- reading ---------------------------------------------------------------------------------------------

    @property
    def columns(self) -> list[str]:
        """Every column name, in first-seen order."""
        return list(dict.fromkeys(key for row in self.rows for key in row))

    @property
    def version(self) -> str | None:
        """ "v3" once saved (or read from the store), else None."""
        return f"v{self._ref.number}" if self._ref else None

    @property
    def project(self) -> str | None:
        return self._ref.project if self._ref else None

    @property
    def reference(self) -> str | None:
        """ "project/name:vN" once saved: what Dataset.get() and an evaluation's results name."""
        return self._ref.qualified_name if self._ref else None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.rows[index]

    def to_arrow(self) -> pa.Table:
        return rows_to_arrow(self.rows)

    def to_pandas(self) -> Any:
        return self.to_arrow().to_pandas()

    def __repr__(self) -> str:
        where = self.reference or f"{self.name} (not saved)"
        return f"<spyglass.Dataset {where}: {len(self)} rows, columns {self.columns[:8]}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return Table(dataframe=self.to_arrow(), allow_mixed_types=True)._repr_mimebundle_(include, exclude)

    # -- the store -------------------------------------------------------------------------------------------

    def save(
        self,
        project: str | None = None,
        *,
        dir: str | os.PathLike[str] | None = None,
        aliases: list[str] | tuple[str, ...] = (),
    ) -> Dataset:
        """Store the rows as the next version of artifact `name` (none if they equal a stored version).

        The project defaults to the current run's, else sg.init_traces()'s. Logged by the current run, if any.
        """
        project, root = project_and_root(project, dir, "sg.Dataset.save()")
        draft = Artifact(
            self.name,
            DATASET_TYPE,
            self.description,
            {"rows": len(self.rows), "columns": self.columns, "format": "spyglass.dataset/1"},
        )
        draft.add(self.to_arrow(), ROWS_ENTRY.removesuffix(".parquet"))
        run = current_run()
        by_run = run is not None and run.project == project
        logged_by = {"project": run.project, "run_id": run.id} if by_run else None
        result = draft._log(root, project, logged_by=logged_by, aliases=list(aliases))
        self._ref = result.ref
        self._root = root
        return self

    @classmethod
    def get(
        cls, reference: str, *, project: str | None = None, dir: str | os.PathLike[str] | None = None
    ) -> Dataset:
        """A stored version: "name" (latest), "name:v2", "name:alias" or "project/name:alias"."""
        named = reference.rpartition("/")[0].split("/")[-1] if "/" in reference else None
        project, root = project_and_root(project or named, dir, f"sg.Dataset.get({reference!r})")
        ref, record = resolve(root, reference, project)
        if record.get("type") != DATASET_TYPE:
            raise DatasetError(
                f"{ref.qualified_name} is an artifact of type {record.get('type')!r}, not a dataset"
            )
        artifact = Artifact._from_store(root, ref, record)
        table = _read_rows(artifact)
        dataset = cls(arrow_to_rows(table), ref.name, description=record.get("description"))
        dataset._ref = ref
        dataset._root = root
        return dataset

    def versions(self) -> list[str]:
        """The stored versions of this dataset's name, oldest first ("v0", "v1", ...)."""
        if self._ref is None or self._root is None:
            raise DatasetError(f"dataset {self.name!r} is not saved: call save() first")
        collection = collection_of(self._root, self._ref.project, self._ref.name)
        return [f"v{number}" for number in collection.version_numbers()]

    def _record_use(self, run: Any) -> None:
        # The evaluation's run consumed this version: the lineage draws dataset -> evaluation run.
        if self._ref is not None and self._root is not None and run is not None:
            record_use(self._root, self._ref, run.project, run.id)


def _read_rows(artifact: Artifact) -> pa.Table:
    import pyarrow.parquet as pq

    return pq.read_table(artifact.get_path(ROWS_ENTRY))


def _as_rows(rows: Any) -> list[dict[str, Any]]:
    if rows is None:
        raise DatasetError("sg.Dataset needs rows: a list of dicts, a pandas DataFrame or an sg.Table")
    if isinstance(rows, pa.Table):
        return checked_rows(rows.to_pylist())
    if isinstance(rows, Table):
        columns = rows.columns
        return checked_rows([dict(zip(columns, values, strict=True)) for _, values in rows.iterrows()])
    module = type(rows).__module__
    if module.startswith("pandas") and hasattr(rows, "to_dict"):
        return checked_rows(pa.Table.from_pandas(rows, preserve_index=False).to_pylist())
    if module.startswith("polars") and hasattr(rows, "to_dicts"):
        return checked_rows(rows.to_dicts())
    return checked_rows(rows)
