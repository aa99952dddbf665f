"""An edit saved while the ingest writes is never lost: ownership is checked again at the last moment.

Deterministic: the edit is made from the ingest's own progress hook (called after planning,
before writing) or from inside the write itself, right before the file would be replaced.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.pipeline.write as write_module
from ingest.pipeline.run import run_ingest
from ingest.shared.taxonomy import load_taxonomy
from tests.contrib_fixtures import FEED, write_project

EDIT = "\n贡献者刚刚保存的修改。\n"


@pytest.fixture
def project(tmp_path) -> Path:
    write_project(tmp_path)
    ingest(tmp_path)
    # A second dump holding the same entries: every article gains a source, so every file changes.
    (tmp_path / "feeds" / "again.txt").write_text(FEED, encoding="utf-8")
    return tmp_path


def ingest(root: Path, progress=lambda stage: None):
    return run_ingest(
        [root / "feeds"], root / "docs", load_taxonomy(root / "taxonomy.yml"), root / "titles.yml", progress=progress
    )


def articles(root: Path) -> list[Path]:
    return sorted((root / "docs" / "articles").glob("*.md"))


def edit(path: Path) -> bytes:
    path.write_text(path.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    return path.read_bytes()


def test_an_edit_saved_after_planning_is_kept_and_reported(project):
    target, other = articles(project)
    saved = {}

    def edit_when_writing_starts(stage: str) -> None:
        if stage == "write":
            saved["bytes"] = edit(target)

    report = ingest(project, progress=edit_when_writing_starts)
    assert target.read_bytes() == saved["bytes"], "the edit was overwritten"
    relative = f"articles/{target.name}"
    assert report.conflicts == [relative] and relative not in report.written
    assert f"articles/{other.name}" in report.written, "the other article is still written"
    [warning] = [warning for warning in report.warnings if warning.file == target.as_posix()]
    assert warning.line == 1 and "changed while the ingest was writing" in warning.reason

    # The next run sees a generated file edited by hand: a take-over, never an overwrite.
    again = ingest(project)
    assert target.read_bytes() == saved["bytes"] and again.conflicts == []


def test_an_edit_saved_during_the_write_itself_is_kept(project, monkeypatch):
    """The edit lands after the new version is on disk in its temporary file, just before the rename."""
    target, _ = articles(project)
    saved = {}
    original = write_module.write_temp

    def write_temp_then_edit(path: Path, data: bytes) -> str:
        name = original(path, data)
        if path == target and "bytes" not in saved:
            saved["bytes"] = edit(target)
        return name

    monkeypatch.setattr(write_module, "write_temp", write_temp_then_edit)
    report = ingest(project)
    assert target.read_bytes() == saved["bytes"]
    assert report.conflicts == [f"articles/{target.name}"]
    assert not [path for path in target.parent.iterdir() if path.name.endswith(".tmp")], "no temporary file left"


def test_an_edit_to_a_file_about_to_be_removed_is_kept(project):
    (project / "feeds" / "again.txt").unlink()
    [target] = [path for path in articles(project) if path.name.startswith("optimizers-")]
    (project / "feeds" / "feed.txt").write_text(
        "\n".join(line for line in FEED.splitlines() if not line.startswith("优化器")) + "\n", encoding="utf-8"
    )
    saved = {}

    def edit_when_writing_starts(stage: str) -> None:
        if stage == "write":
            saved["bytes"] = edit(target)

    report = ingest(project, progress=edit_when_writing_starts)
    assert target.read_bytes() == saved["bytes"] and report.removed == []
    assert report.conflicts == [f"articles/{target.name}"]


def test_a_file_created_at_a_new_articles_path_meanwhile_is_kept(project, monkeypatch):
    """A contributor's new file appearing where the ingest is about to create one is never replaced."""
    (project / "feeds" / "again.txt").write_text(
        "INCOMING TRANSMISSION\n\nLATEST UPDATES\n优化器 SGD 加上动量项后，更新方向会累积过去梯度的指数滑动平均，从而抑制震荡...\n",
        encoding="utf-8",
    )
    before = {path.name for path in articles(project)}
    created = []
    original = write_module.write_temp

    def contributor_saves_first(path: Path, data: bytes) -> str:
        name = original(path, data)
        if path.parent.name == "articles" and path.name not in before and not created:  # just before the link
            path.write_text("---\ntitle: 我的\nid: hw-1\ntags: [优化器]\n---\n\n先写好的。\n", encoding="utf-8")
            created.append(path)
        return name

    monkeypatch.setattr(write_module, "write_temp", contributor_saves_first)
    report = ingest(project)
    [path] = created
    assert "先写好的" in path.read_text(encoding="utf-8")
    assert report.conflicts == [f"articles/{path.name}"]
