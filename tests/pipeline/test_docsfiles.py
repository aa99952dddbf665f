"""What docs/ holds, each file read once, a file whose stat did not change not read at all."""

from __future__ import annotations

import hashlib
import os
import time

from ingest.pipeline import docsfiles
from ingest.pipeline.docsfiles import DocsFiles, markdown_files, stat_key, trustworthy


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_each_file_is_read_once_whatever_is_asked(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_bytes(b"A")
    files = DocsFiles(tmp_path)
    opened = []
    real_open = open
    monkeypatch.setattr(
        "builtins.open", lambda path, *args, **kwargs: (opened.append(path), real_open(path, *args, **kwargs))[1]
    )
    assert files.read("a.md") == b"A" and files.digest("a.md") == sha(b"A") and files.digest("a.md") == sha(b"A")
    assert len(opened) == 1
    assert files.read("missing.md") is None and files.digest("missing.md") is None


def test_a_recorded_stat_stands_for_the_content_until_the_file_changes(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"ingest's version")
    known = {"a.md": (stat_key(path), "recorded digest")}  # what an earlier run recorded
    assert DocsFiles(tmp_path, known).digest("a.md") == "recorded digest"  # not read: the stat is the same

    # Same size, the old modification time put back by hand: the change time still moves on.
    before = path.stat()
    time.sleep(0.01)
    path.write_bytes(b"contributor edit")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert DocsFiles(tmp_path, known).digest("a.md") == sha(b"contributor edit")


def test_a_written_file_takes_the_digest_of_what_was_written(tmp_path):
    files = DocsFiles(tmp_path)
    assert files.digest("a.md") is None
    (tmp_path / "a.md").write_bytes(b"new")
    files.forget("a.md", written=sha(b"new"))
    assert files.states(["a.md", "gone.md"]) == {"a.md": (stat_key(tmp_path / "a.md"), sha(b"new"))}


def test_stats_of_files_changed_just_before_they_were_recorded_are_not_trusted():
    now = time.time_ns()
    fine = (1, 2, 3, now - 10 * docsfiles.RACY_NS, now - 10 * docsfiles.RACY_NS)
    racy = (1, 2, 3, now - 10 * docsfiles.RACY_NS, now - docsfiles.RACY_NS // 2)
    whole_seconds = (1, 2, 3, (now // 10**9 - 1) * 10**9, (now // 10**9 - 1) * 10**9)
    assert trustworthy(fine, now) and not trustworthy(racy, now) and not trustworthy(whole_seconds, now)


def test_markdown_files_lists_what_rglob_lists_in_path_order(tmp_path):
    for relative in ["b.md", "a-b/c.md", "a/b.md", "a/z/y.md", "notes.txt", "a/.hidden.md"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("x")
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)
    expected = [path.relative_to(tmp_path).as_posix() for path in sorted(tmp_path.rglob("*.md"))]
    assert markdown_files(tmp_path) == expected
    assert "linked/b.md" not in expected
