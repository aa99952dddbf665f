"""Many files replaced at once: each atomically, two filesystem syncs in all, nothing left behind."""

from __future__ import annotations

import os

import pytest

from ingest.pipeline import batchwrite
from ingest.pipeline.batchwrite import TEMP_PREFIX, TEMP_SUFFIX, replace_files, temp_path


def temporaries(folder):
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(TEMP_PREFIX))


def test_every_file_gets_its_bytes_and_no_temporary_file_stays(tmp_path):
    (tmp_path / "old.md").write_bytes(b"old")
    files = [
        (tmp_path / "old.md", b"new"),
        *[(tmp_path / f"{number}.md", f"{number}".encode()) for number in range(50)],
    ]
    replace_files(tmp_path, files)
    assert (tmp_path / "old.md").read_bytes() == b"new"
    assert all((tmp_path / f"{number}.md").read_bytes() == f"{number}".encode() for number in range(50))
    assert temporaries(tmp_path) == []


def test_new_files_get_the_mode_any_new_file_gets(tmp_path):
    umask = os.umask(0o022)
    try:
        replace_files(tmp_path, [(tmp_path / "a.md", b"x")])
    finally:
        os.umask(umask)
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o644


def test_the_filesystem_is_synced_twice_per_batch_not_once_per_file(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(batchwrite, "sync_filesystem", lambda folder, fallback=(): calls.append(folder))
    monkeypatch.setattr(os, "fsync", lambda fd: pytest.fail("no fsync per file"))
    replace_files(tmp_path, [(tmp_path / f"{number}.md", b"x") for number in range(100)])
    assert calls == [tmp_path, tmp_path]


def test_without_syncfs_each_temporary_file_and_folder_is_fsynced(tmp_path, monkeypatch):
    monkeypatch.setattr(batchwrite, "_syncfs", lambda: None)
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real_fsync(fd)))
    replace_files(tmp_path, [(tmp_path / "a.md", b"x"), (tmp_path / "b.md", b"y")])
    assert any(TEMP_PREFIX in name for name in synced) and str(tmp_path) in synced


def test_a_failure_midway_removes_the_temporary_files_and_keeps_the_old_versions(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_bytes(b"old a")
    real_write = batchwrite.write_temp
    written = []

    def failing(path, data):
        if len(written) == 2:
            raise OSError(28, "No space left on device")
        written.append(path)
        return real_write(path, data)

    monkeypatch.setattr(batchwrite, "write_temp", failing)
    with pytest.raises(OSError):
        replace_files(tmp_path, [(tmp_path / "a.md", b"new a"), (tmp_path / "b.md", b"b"), (tmp_path / "c.md", b"c")])
    assert (tmp_path / "a.md").read_bytes() == b"old a" and not (tmp_path / "b.md").exists()
    assert temporaries(tmp_path) == []


def test_a_planted_symlink_at_the_temporary_name_is_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep me")
    target = tmp_path / "docs" / "a.md"
    target.parent.mkdir()
    temp_path(target).symlink_to(outside)
    replace_files(target.parent, [(target, b"article")])
    assert outside.read_bytes() == b"keep me"
    assert target.read_bytes() == b"article" and not target.is_symlink()


def test_temporary_names_match_what_the_stray_file_cleanup_removes(tmp_path):
    name = temp_path(tmp_path / "a.md").name
    assert name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)
