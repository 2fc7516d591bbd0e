"""sg.Table: rows and columns for log() and for display, held as Arrow (wandb.Table's API, no row cap).

DataFrames (pandas, polars) and pyarrow tables are converted column-wise by Arrow, never cell by cell. Rows
added with add_data are buffered and converted to Arrow in one go when the table is next read or logged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from ..base.text_checks import check_name
from .errors import ColumnTypeError, TableError
from .media import Media
from .media_store import MediaWriter
from .table_append import append_rows, series_to_arrow
from .table_columns import media_type_of, normalise_dtype, to_column, type_name
from .table_display import table_bundle
from .table_frames import frame_to_arrow
from .table_storage import store_table

_NONE = type(None)


class Table(Media):
    """`sg.Table(columns=[...], data=[[...], ...])` or `sg.Table(dataframe=df)`; run.log({"preds": t})."""

    _type = "table"

    def __init__(
        self,
        columns: Sequence[str] | None = None,
        data: Sequence[Sequence[Any]] | None = None,
        rows: Sequence[Sequence[Any]] | None = None,
        dataframe: Any = None,
        dtype: Any = None,
        optional: Any = True,
        allow_mixed_types: bool = False,
        log_mode: str | None = None,
    ) -> None:
        data = data if data is not None else rows
        self._allow_mixed = allow_mixed_types
        self._objects: dict[str, list[Any]] = {}  # media columns, cell objects
        self._pending: list[Sequence[Any]] = []
        self._row_types: tuple[type, ...] = ()  # value types of the last row added (see add_data)
        self._logged: dict[str, Any] | None = None  # where this table was last stored (see table_display)
        if dataframe is not None:
            if data is not None:
                raise TableError("sg.Table takes data= or dataframe=, not both.")
            arrow, objects = frame_to_arrow(dataframe, allow_mixed_types)
            self.columns = [_column_name(name) for name in [*arrow.column_names, *objects]]
            order = {name: index for index, name in enumerate(_frame_columns(dataframe, self.columns))}
            self.columns.sort(key=lambda name: order.get(name, len(order)))
            self._arrow = arrow
            self._objects = objects
            self._dtypes = self._declared(dtype)
            self._cast_declared()
            return
        if columns is None:
            width = len(data[0]) if data else 0
            columns = [f"column_{index}" for index in range(width)]
        self.columns = [_column_name(name) for name in columns]
        if len(set(self.columns)) != len(self.columns):
            raise TableError(f"sg.Table column names must be unique, got {self.columns}.")
        self._dtypes = self._declared(dtype)
        self._arrow = pa.table({name: pa.nulls(0) for name in self.columns})
        for name, kind in self._dtypes.items():
            if isinstance(kind, type):
                self._objects[name] = []
                self._arrow = self._arrow.drop_columns([name])
        if data is not None:
            for index, row in enumerate(data):
                if len(row) != len(self.columns):
                    raise TableError(
                        f"sg.Table data row {index} has {len(row)} values for {len(self.columns)} columns."
                    )
            self._pending = list(data)
            self._settle()  # one conversion for all rows; a type conflict raises here, naming the column

    def _cast_declared(self) -> None:
        # dtype= given with a DataFrame: Arrow casts the converted columns (no cell loop).
        for name, kind in self._dtypes.items():
            if isinstance(kind, type):
                if name not in self._objects:
                    raise ColumnTypeError(
                        name,
                        [kind.__name__, type_name(self._arrow.column(name).type)],
                        None,
                        f"The column is declared {kind.__name__} but holds no media objects.",
                    )
                continue
            if name in self._objects:
                raise ColumnTypeError(
                    name, [media_type_of(self._objects[name]), str(kind)], None, "Drop the dtype."
                )
            index = self._arrow.column_names.index(name)
            try:
                column = self._arrow.column(name).cast(kind)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
                raise ColumnTypeError(
                    name,
                    [type_name(self._arrow.column(name).type), str(kind)],
                    None,
                    f"Arrow cannot cast it: {error}",
                ) from error
            self._arrow = self._arrow.set_column(index, name, column)

    def _declared(self, dtype: Any) -> dict[str, Any]:
        if dtype is None:
            return {}
        if isinstance(dtype, dict):
            unknown = set(dtype) - set(self.columns)
            if unknown:
                raise TableError(
                    f"sg.Table dtype names unknown columns {sorted(unknown)}; columns: {self.columns}."
                )
            pairs = list(dtype.items())
        elif isinstance(dtype, (list, tuple)):
            if len(dtype) != len(self.columns):
                raise TableError(f"sg.Table got {len(dtype)} dtypes for {len(self.columns)} columns.")
            pairs = list(zip(self.columns, dtype, strict=True))
        else:
            pairs = [(name, dtype) for name in self.columns]
        declared = {name: normalise_dtype(name, kind) for name, kind in pairs}
        return {name: kind for name, kind in declared.items() if kind is not None}

    # -- building ------------------------------------------------------------------------------------------

    def add_data(self, *data: Any) -> None:
        """Append one row (one value per column)."""
        if len(data) != len(self.columns):
            raise TableError(
                f"sg.Table.add_data got {len(data)} values for {len(self.columns)} columns {self.columns}."
            )
        self._logged = None
        seen = self._row_types
        if len(seen) == len(data) and all(
            kind is seen_kind or kind is _NONE for kind, seen_kind in zip(map(type, data), seen, strict=True)
        ):
            self._pending.append(data)  # types seen before (or missing values): converted later, in one go
            return
        # A new value type: convert now, so that a type conflict is raised by the call that caused it.
        self._settle()
        self._pending.append(data)
        self._settle()
        self._row_types = tuple(
            type(value) if value is not None else (seen[index] if index < len(seen) else _NONE)
            for index, value in enumerate(data)
        )

    def add_column(self, name: str, data: Sequence[Any], optional: bool = False) -> None:
        """Append a column of len(table) values (a list, numpy array, pandas/polars Series or Arrow array)."""
        name = _column_name(name)
        if name in self.columns:
            raise TableError(f"sg.Table already has a column {name!r}.")
        self._settle()
        count = len(data)
        if self.columns and count != len(self):
            raise TableError(
                f"sg.Table.add_column({name!r}): {count} values for a table of {len(self)} rows."
            )
        column = series_to_arrow(data)
        if column is None:
            column = to_column(name, list(data), self._dtypes.get(name), self._allow_mixed)
        if isinstance(column, list):
            self._objects[name] = column
        else:
            if not self.columns:
                self._arrow = pa.table({name: column})
            else:
                self._arrow = self._arrow.append_column(name, column)
        self.columns.append(name)
        self._logged = None

    def _settle(self) -> None:
        # Buffered rows become Arrow columns (or media lists) appended to what is there. Nothing changes
        # unless every column converts: a bad row leaves the table as it was (and is dropped).
        if not self._pending:
            return
        rows, self._pending = self._pending, []
        existing = len(self)
        arrow = self._arrow
        fresh: dict[str, pa.Array] = {}
        added: dict[str, list[Any]] = {}
        for index, name in enumerate(self.columns):
            column = to_column(name, [row[index] for row in rows], self._dtypes.get(name), self._allow_mixed)
            if isinstance(column, list):
                if name not in self._objects:
                    if existing and arrow.column(name).null_count != existing:
                        raise ColumnTypeError(
                            name,
                            [media_type_of(column), type_name(arrow.column(name).type)],
                            existing,
                            "Keep media and other values in separate columns.",
                        )
                    arrow = arrow.drop_columns([name])
                    added[name] = [None] * existing + column
                else:
                    kinds = {media_type_of(column), media_type_of(self._objects[name])} - {"string"}
                    if len(kinds) > 1:
                        raise ColumnTypeError(
                            name, sorted(kinds), existing, "Keep each kind of media in its own column."
                        )
                    added[name] = column
            elif name in self._objects:
                if column.null_count != len(column):
                    raise ColumnTypeError(
                        name,
                        [media_type_of(self._objects[name]), type_name(column.type)],
                        existing,
                        "Keep media and other values in separate columns.",
                    )
                added[name] = [None] * len(column)
            else:
                fresh[name] = column
        arrow = append_rows(arrow, pa.table(fresh) if fresh else pa.table({}), len(rows), self._allow_mixed)
        for name, cells in added.items():
            self._objects.setdefault(name, []).extend(cells)
        self._arrow = arrow

    # -- reading -------------------------------------------------------------------------------------------

    def __len__(self) -> int:
        if self._pending:
            self._settle()
        if self._arrow.num_columns:
            return self._arrow.num_rows
        return len(next(iter(self._objects.values()), []))

    @property
    def data(self) -> list[list[Any]]:
        """Every row as a list of values (builds Python objects: slow for big tables; see iterrows)."""
        return [row for _, row in self.iterrows()]

    def get_column(self, name: str, convert_to: str | None = None) -> Any:
        """One column's values: a list, or a numpy array with convert_to="numpy"."""
        self._settle()
        if name not in self.columns:
            raise KeyError(f"sg.Table has no column {name!r}; columns: {self.columns}")
        if name in self._objects:
            values: Any = self._objects[name]
            if convert_to == "numpy":
                import numpy as np

                return np.array(values, dtype=object)
            return list(values)
        column = self._arrow.column(name)
        if convert_to == "numpy":
            return column.to_numpy()
        if convert_to not in (None, "list"):
            raise ValueError(f"convert_to must be None, 'list' or 'numpy', got {convert_to!r}")
        return column.to_pylist()

    def get_index(self) -> list[int]:
        """The row indices 0..len-1 (wandb's get_index, used to add an index column or join on row order)."""
        return list(range(len(self)))

    def iterrows(self) -> Iterator[tuple[int, list[Any]]]:
        """(index, [values...]) for each row, converted to Python a batch at a time."""
        self._settle()
        index = 0
        for batch in self._arrow.to_batches(max_chunksize=4096) if self._arrow.num_columns else [None]:
            count = batch.num_rows if batch is not None else len(self)
            columns = (
                {name: batch.column(name).to_pylist() for name in batch.schema.names}
                if batch is not None
                else {}
            )
            for offset in range(count):
                row = [
                    self._objects[name][index + offset] if name in self._objects else columns[name][offset]
                    for name in self.columns
                ]
                yield index + offset, row
            index += count

    def column_types(self) -> list[dict[str, str]]:
        """[{"name", "type"}] as in the reference JSON and the MIME bundle."""
        self._settle()
        return [
            {
                "name": name,
                "type": self._media_type(name)
                if name in self._objects
                else type_name(self._arrow.column(name).type),
            }
            for name in self.columns
        ]

    def _media_type(self, name: str) -> str:
        declared = self._dtypes.get(name)
        return declared._type if isinstance(declared, type) else media_type_of(self._objects[name])

    def to_arrow(
        self, writer: MediaWriter | None = None, key: str = "table", step: int | None = None
    ) -> pa.Table:
        """The table as Arrow; media cells become reference JSON (their files written by `writer`)."""
        self._settle()
        if self._objects and writer is None:
            raise TableError("this table holds media: give a MediaWriter to store their files.")
        arrays = []
        for name in self.columns:
            if name in self._objects:
                cell_key = f"{key}_{name}"
                arrays.append(
                    pa.array(
                        [
                            None if cell is None else cell.reference_json(writer, cell_key, step)
                            for cell in self._objects[name]
                        ],
                        pa.string(),
                    )
                )
            else:
                arrays.append(self._arrow.column(name))
        if not self._objects:
            return self._arrow.select(self.columns)
        table = pa.Table.from_arrays(arrays, names=self.columns)
        return table.replace_schema_metadata(self._arrow.schema.metadata)

    def to_reference(self, writer: MediaWriter, key: str, step: int | None) -> dict[str, Any]:
        reference, self._logged = store_table(
            self.to_arrow(writer, key, step), self.column_types(), writer, key, step
        )
        return reference

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return table_bundle(self, self._logged, bool(self._objects))

    def __repr__(self) -> str:
        return f"<spyglass.Table {len(self)} rows x {len(self.columns)} columns {self.columns[:8]}>"


def _frame_columns(frame: Any, fallback: list[str]) -> list[str]:
    names = getattr(frame, "columns", None)
    if names is None:
        names = getattr(frame, "column_names", None)
    return [str(name) for name in names] if names is not None else fallback


def _column_name(name: Any) -> str:
    # A column name is a name: no lone surrogate, at most 256 characters (text_checks).
    return check_name("sg.Table column name", str(name))
