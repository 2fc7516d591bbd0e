"""atomic_file.output_file / write_output / output_directory: how every user-named output is written (reports,
exports, lineage, workspace layouts): atomically, never through a symlink, optionally inside given roots."""

from __future__ import annotations

import os

import pytest

from spyglass.base.atomic_file import UnsafeOutputError, output_directory, output_file, write_output


def test_an_output_replaces_a_regular_file_atomically(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old")
    inode = target.stat().st_ino
    assert write_output(target, b"new") == target
    assert target.read_bytes() == b"new" and target.stat().st_ino != inode
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


@pytest.mark.parametrize("exists", [False, True])
def test_a_symlink_at_the_destination_is_refused_whether_or_not_its_target_exists(tmp_path, exists):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "evil.pth"
    if exists:
        target.write_text("untouched")
    link = tmp_path / "report.html"
    link.symlink_to(target)
    with pytest.raises(UnsafeOutputError, match="symbolic link"):
        write_output(link, b"import os\n")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert (target.read_text() == "untouched") if exists else not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outside", "report.html"]


def test_a_directory_at_the_destination_is_refused(tmp_path):
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(UnsafeOutputError, match="not a regular file"):
        write_output(tmp_path / "out.csv", b"x")


def test_with_roots_a_directory_outside_them_is_refused_even_through_a_linked_parent(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "linked").symlink_to(outside)
    roots = [root.resolve()]
    write_output(root / "ok.html", b"ok", within=roots)
    for path in (outside / "x.html", root / "linked" / "x.html", root / ".." / "outside" / "x.html"):
        with pytest.raises(UnsafeOutputError, match="outside the allowed roots"):
            write_output(path, b"x", within=roots)
    assert list(outside.iterdir()) == []
    # Without roots (the CLI, on the user's behalf) a linked directory is the user's choice.
    write_output(root / "linked" / "mine.html", b"mine")
    assert (outside / "mine.html").read_bytes() == b"mine"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), output_file(target) as out:
        out.write(b"half")
        raise RuntimeError("the export failed")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_an_output_directory_is_created_but_never_a_symlink(tmp_path):
    assert output_directory(tmp_path / "a" / "report").is_dir()
    (tmp_path / "linked").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafeOutputError, match="symbolic link"):
        output_directory(tmp_path / "linked")
    assert not (tmp_path / "elsewhere").exists()
