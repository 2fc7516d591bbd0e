"""`spyglass.Artifact`: a versioned set of files, built as a draft and then logged by a run.

A draft collects entries (files hashed as they are added, references, values); `run.log_artifact(art)` stores
the bytes once by content and makes it a version `vN` of the collection `<project>/.artifacts/<name>/`. A
logged artifact is read-only: `new_draft()` starts the next version from its contents.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..base.hooks import Hook
from ..base.nested_values import checked_value
from ..base.text_checks import check_name as check_text_name
from ..base.text_checks import is_storable, replaced_text
from ..store.run_store import RunDirectory
from .artifact_errors import ArtifactError, ArtifactFinalizedError, UnsafePathError
from .artifact_files import download as download_files
from .artifact_files import require_verified
from .artifact_files import verify as verify_files
from .artifact_storage import objects_for
from .artifact_store import LogResult, VersionRef, collection_of, log_version, read_manifest
from .artifact_values import value_files
from .lineage_display import LineageView
from .manifest import Manifest, ManifestEntry
from .object_store import file_stamp, hash_files
from .references import local_path_of, reference_entries
from .registry import link_version
from .safe_paths import check_entry_path, check_name, is_inside


class Artifact:
    """A versioned set of files: `Artifact("mnist", "dataset")`, then add files and log it with a run."""

    def __init__(
        self,
        name: str,
        type: str,
        description: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.name = check_name("artifact name", name)
        if not isinstance(type, str) or not type:
            raise ArtifactError(f"artifact type must be a non-empty string such as 'dataset', got {type!r}")
        self.type = check_text_name("artifact type", type)
        if isinstance(description, str) and not is_storable(description):
            description = replaced_text("artifact description", description, set())
        self.description = description
        # The manifest is JSON: metadata it could not hold is refused here, not when the artifact is logged.
        self.metadata: dict[str, Any] = checked_value("artifact metadata", dict(metadata or {}), set())
        self._manifest = Manifest()
        self._sources: dict[str, str] = {}  # entry path → local file with its bytes (drafts)
        self._stamps: dict[str, tuple[int, int]] = {}  # entry path → (size, mtime_ns) before hashing
        self._temp_dir: str | None = None
        self._root: Path | None = None
        self._ref: VersionRef | None = None
        self._record: dict[str, Any] | None = None

    # state

    @property
    def logged(self) -> bool:
        return self._ref is not None

    @property
    def version(self) -> str | None:
        """ "v3" once logged, None for a draft."""
        return f"v{self._ref.number}" if self._ref else None

    @property
    def project(self) -> str | None:
        return self._ref.project if self._ref else None

    @property
    def qualified_name(self) -> str:
        return self._ref.qualified_name if self._ref else f"{self.name} (draft)"

    @property
    def id(self) -> str | None:
        """The lineage node id, "artifact:<project>/<name>:v<N>", once logged."""
        return self._ref.node_id if self._ref else None

    @property
    def digest(self) -> str:
        """sha256 of the manifest: equal digests mean equal content."""
        return self._manifest.digest

    @property
    def size(self) -> int:
        return self._manifest.size

    @property
    def file_count(self) -> int:
        return len(self._manifest)

    @property
    def manifest(self) -> Manifest:
        return self._manifest.copy()

    @property
    def aliases(self) -> list[str]:
        """The collection's aliases pointing at this version (read from the store; [] for a draft)."""
        if not self._ref or self._root is None:
            return []
        collection = collection_of(self._root, self._ref.project, self._ref.name)
        return collection.aliases_by_version().get(self._ref.number, [])

    @property
    def created_at(self) -> float | None:
        return self._record.get("created_at") if self._record else None

    def files(self) -> list[str]:
        """The entry paths, sorted."""
        return [entry.path for entry in self._manifest]

    # building a draft

    def add_file(
        self, local_path: str | os.PathLike[str], name: str | None = None, **wandb_options: Any
    ) -> ManifestEntry:
        """Add one file as `name` (default: its file name); it is hashed now and copied when logged.

        wandb's `is_tmp`, `skip_cache`, `policy` and `overwrite` are accepted and have no effect: the file is
        always copied into the store once, by content.
        """
        _accept_wandb_options("add_file", wandb_options)
        self._require_draft()
        source = Path(local_path)
        if not source.is_file():
            raise ArtifactError(f"add_file: {source} is not a file")
        entry_name = check_entry_path(name if name is not None else source.name)
        stamp = file_stamp(source)
        ((digest, size),) = hash_files([source])
        return self._put(ManifestEntry(entry_name, digest, size), str(source), stamp)

    def add_dir(
        self, local_path: str | os.PathLike[str], name: str | None = None, **wandb_options: Any
    ) -> list[ManifestEntry]:
        """Add every file below a directory (under the prefix `name/` if given), hashed on several threads.

        Symbolic links are followed only when they stay inside the directory; one pointing outside is refused.
        """
        _accept_wandb_options("add_dir", wandb_options)
        self._require_draft()
        base = Path(local_path)
        if not base.is_dir():
            raise ArtifactError(f"add_dir: {base} is not a directory")
        real_base = Path(os.path.realpath(base))
        prefix = check_entry_path(name).rstrip("/") + "/" if name else ""
        files: list[Path] = []
        seen_dirs: set[str] = set()
        for directory, subdirs, names in os.walk(base, followlinks=True):
            real_dir = os.path.realpath(directory)
            if not is_inside(Path(real_dir), real_base):
                raise UnsafePathError(
                    f"add_dir: {directory} is a symbolic link to {real_dir}, outside {base}; refusing it "
                    "(copy the files in, or add them with add_file)"
                )
            if real_dir in seen_dirs:  # a link back to a directory already walked: do not loop
                subdirs[:] = []
                continue
            seen_dirs.add(real_dir)
            subdirs.sort()
            for file_name in sorted(names):
                path = Path(directory) / file_name
                if path.is_symlink() and not is_inside(Path(os.path.realpath(path)), real_base):
                    raise UnsafePathError(
                        f"add_dir: {path} is a symbolic link to {os.path.realpath(path)}, outside {base}; "
                        "refusing it (copy the file in, or add it with add_file)"
                    )
                if path.is_file():
                    files.append(path)
        names_and_paths = [
            (check_entry_path(prefix + path.relative_to(base).as_posix()), path) for path in files
        ]
        stamps = [file_stamp(path) for path in files]  # before hashing: a later change is then noticed
        entries = [
            self._put(ManifestEntry(entry_name, digest, size), str(path), stamp)
            for (entry_name, path), stamp, (digest, size) in zip(
                names_and_paths, stamps, hash_files(files), strict=True
            )
        ]
        return entries

    def add_reference(
        self,
        uri: str,
        name: str | None = None,
        *,
        checksum: bool | str | None = True,
        etag: str | None = None,
        size: int | None = None,
        max_objects: int | None = 10_000,
    ) -> list[ManifestEntry]:
        """Record a URI (file://, s3://, gs://, http(s)://) by checksum without copying its bytes.

        file:// is hashed now (unless checksum=False); remote URIs are recorded with the `checksum` (sha256
        hex) or `etag` you give, since Spyglass does not reach the network (docs/artifacts.md#references).
        """
        self._require_draft()
        entries = reference_entries(
            uri, name, checksum=checksum, etag=etag, size=size, max_objects=max_objects
        )
        return [self._put(entry, None) for entry in entries]

    def add(self, obj: Any, name: str) -> ManifestEntry:
        """Add a value: a Spyglass table or media value (its files plus `<name>.<type>.json`), a pandas or
        pyarrow table (`<name>.parquet`), or any JSON-serialisable value (`<name>.json`)."""
        self._require_draft()
        check_entry_path(name)
        added = [
            self.add_file(path, entry_name) for path, entry_name in value_files(obj, name, self._scratch())
        ]
        return added[-1]

    @contextlib.contextmanager
    def new_file(self, name: str, mode: str = "w", encoding: str | None = None) -> Iterator[IO[Any]]:
        """Open a new file to write into the artifact as `name`; added when the block ends without error."""
        self._require_draft()
        entry_name = check_entry_path(name)
        path = Path(tempfile.mkdtemp(dir=self._scratch())) / Path(entry_name).name
        with open(path, mode, encoding=encoding if "b" not in mode else None) as handle:
            yield handle
        self.add_file(path, entry_name)

    def remove(self, name: str) -> None:
        self._require_draft()
        self._manifest.remove(name)
        self._sources.pop(check_entry_path(name), None)
        self._stamps.pop(check_entry_path(name), None)

    # reading

    def get_entry(self, name: str) -> ManifestEntry:
        entry = self._manifest.get(name)
        if entry is None:
            raise ArtifactError(
                f"{self.qualified_name} has no file {name!r}; its files are {self.files()[:10]}"
            )
        return entry

    def get_path(self, name: str) -> Path:
        """A local path holding entry `name`'s bytes (in the object store once logged: do not write to it)."""
        entry = self.get_entry(name)
        if entry.ref is not None:
            return local_path_of(entry.ref) if entry.ref.startswith("file:") else Path(entry.ref)
        if self._root is not None:
            return objects_for(self._root).fetch(entry.digest or "")
        return Path(self._sources[entry.path])

    def download(self, root: str | os.PathLike[str] | None = None, *, link: bool | None = None) -> str:
        """Write the files under `root` (default ./artifacts/<name>:<version>) and return its path.

        Hardlinks from the store where possible (link=False always copies); never writes outside `root`.
        """
        store_root = self._require_logged("download")
        target = Path(root) if root is not None else Path("artifacts") / f"{self.name}-{self.version}"
        self.last_download = download_files(objects_for(store_root), self._manifest, target, link=link)
        return str(target)

    def verify(self, root: str | os.PathLike[str] | None = None) -> bool:
        """Re-hash the stored files (or a download under `root`); raise VerificationError on a mismatch."""
        objects = objects_for(self._root) if self._root is not None else None
        if objects is None:
            problems = [
                f"{entry.path}: changed since it was added"
                for entry, (digest, _) in zip(
                    self._sources_entries(),
                    hash_files(self._sources[e.path] for e in self._sources_entries()),
                    strict=True,
                )
                if digest != entry.digest
            ]
        else:
            problems = verify_files(objects, self._manifest, root)
        require_verified(problems, self.qualified_name if root is None else f"{root}")
        return True

    def new_draft(self) -> Artifact:
        """A draft of the next version holding this version's files (add, remove, then log it)."""
        draft = Artifact(self.name, self.type, self.description, dict(self.metadata))
        draft._manifest = self._manifest.copy()
        if self._root is not None:
            objects = objects_for(self._root)
            draft._sources = {
                e.path: str(objects.path_of(e.digest or "")) for e in self._manifest if e.ref is None
            }
        else:
            draft._sources = dict(self._sources)
            draft._stamps = dict(self._stamps)
        return draft

    def logged_by(self) -> Any:
        """The run (spyglass.api.StoredRun) that logged this version, or None."""
        store_root = self._require_logged("logged_by")
        producer = (self._record or {}).get("logged_by")
        return _api_run(store_root, producer["project"], producer["run_id"]) if producer else None

    def used_by(self) -> list[Any]:
        """The runs (spyglass.api.StoredRun) that used this version, in the order they used it."""
        store_root = self._require_logged("used_by")
        assert self._ref is not None
        uses = collection_of(store_root, self._ref.project, self._ref.name).uses()
        seen = dict.fromkeys(
            (u["project"], u["run_id"]) for u in uses if u.get("version") == self._ref.number
        )
        runs = [_api_run(store_root, project, run_id) for project, run_id in seen]
        return [run for run in runs if run is not None]

    def link(self, target: str, aliases: list[str] | None = None, *, force: bool = False) -> str:
        """Link this version into the registry collection "registry/collection"; returns "reg/coll:vN"."""
        store_root = self._require_logged("link")
        assert self._ref is not None and self._record is not None
        registry, collection, number, _ = link_version(
            store_root, self._ref.node_id, self._record, target, aliases=aliases or [], force=force
        )
        return f"{registry}/{collection}:v{number}"

    def lineage(self, depth: int | None = None) -> Any:
        """The lineage around this version; displays as the lineage panel."""
        store_root = self._require_logged("lineage")
        assert self._ref is not None
        return LineageView(store_root, self._ref.project, self._ref.node_id, depth)

    # display

    def __repr__(self) -> str:
        if self._ref is None:
            return f"<spyglass.Artifact {self.name} (draft, {self.type}, {self.file_count} files)>"
        aliases = "".join(f", {alias}" for alias in self.aliases)
        return (
            f"<spyglass.Artifact {self._ref.qualified_name} ({self.type}, {self.file_count} files{aliases})>"
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        if self._ref is None:
            return {"text/plain": repr(self)}
        return self.lineage()._repr_mimebundle_(include, exclude)

    # internals

    @classmethod
    def _from_store(cls, root: str | os.PathLike[str], ref: VersionRef, record: dict[str, Any]) -> Artifact:
        artifact = cls(
            ref.name, record.get("type") or "unknown", record.get("description"), record.get("metadata")
        )
        artifact._attach(root, ref, record)
        return artifact

    def _log(
        self,
        root: str | os.PathLike[str],
        project: str,
        *,
        logged_by: dict[str, str] | None,
        aliases: list[str] | tuple[str, ...] = (),
    ) -> LogResult:
        """Store this draft as the next version of its collection in `project` (a run's log_artifact, a
        dataset's save) and become that version."""
        result = log_version(
            root,
            project,
            self.name,
            self.type,
            self._manifest,
            self._sources,
            stamps=self._stamps,
            description=self.description,
            metadata=self.metadata,
            logged_by=logged_by,
            aliases=aliases,
        )
        record = collection_of(root, project, self.name).read_version(result.ref.number)
        self._attach(root, result.ref, record)
        return result

    def _attach(self, root: str | os.PathLike[str], ref: VersionRef, record: dict[str, Any]) -> None:
        self._root = Path(root)
        self._ref = ref
        self._record = record
        self._manifest = read_manifest(root, record)
        self._sources = {}
        self._stamps = {}
        self._cleanup()

    def _put(
        self, entry: ManifestEntry, source: str | None, stamp: tuple[int, int] | None = None
    ) -> ManifestEntry:
        self._manifest.add(entry)
        self._sources.pop(entry.path, None)
        self._stamps.pop(entry.path, None)
        if source is not None:
            self._sources[entry.path] = source
            if stamp is not None:
                self._stamps[entry.path] = stamp
        return entry

    def _sources_entries(self) -> list[ManifestEntry]:
        return [entry for entry in self._manifest if entry.path in self._sources]

    def _scratch(self) -> str:
        if self._temp_dir is None:
            self._temp_dir = tempfile.mkdtemp(prefix="spyglass-artifact-")
            self._finalizer = weakref.finalize(self, shutil.rmtree, self._temp_dir, True)
        return self._temp_dir

    def _cleanup(self) -> None:
        if self._temp_dir is not None:
            self._finalizer()
            self._temp_dir = None

    def _require_draft(self) -> None:
        if self._ref is not None:
            raise ArtifactFinalizedError(
                f"{self._ref.qualified_name} is logged and cannot change; "
                "call art.new_draft() for the next version"
            )

    def _require_logged(self, action: str) -> Path:
        if self._root is None:
            raise ArtifactError(f"{action}() needs a logged artifact: log it with run.log_artifact() first")
        return self._root


_WANDB_OPTIONS = {"is_tmp", "skip_cache", "policy", "overwrite", "merge"}


def _accept_wandb_options(method: str, options: dict[str, Any]) -> None:
    unknown = sorted(set(options) - _WANDB_OPTIONS)
    if unknown:
        raise TypeError(f"Artifact.{method}() got unexpected keyword argument(s): {', '.join(unknown)}")


def _no_run_reader(directory: RunDirectory) -> Any:
    raise ArtifactError("reading the runs of an artifact needs the read API (import spyglass)")


# How logged_by() and used_by() read a stored run: the facade provides the read API's StoredRun.
read_run: Hook[[RunDirectory], Any] = Hook(_no_run_reader)


def _api_run(root: Path, project: str, run_id: str) -> Any:
    directory = RunDirectory(root / project / run_id)
    return read_run(directory) if directory.metadata_path.is_file() else None
