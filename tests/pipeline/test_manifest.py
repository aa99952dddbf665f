"""The manifest is a record, not an authority: hostile records and hostile files change nothing.

A pull request can carry any ``docs/.ingest-manifest.json``. For each attack, through the
real CLI: ``ingest run`` touches nothing it must not (byte for byte), says why with
``MANIFEST:LINE``, and carries on; ``ingest check`` refuses the same manifest; neither prints
a traceback. A truncated manifest is rebuilt from the generated files themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from ingest.pipeline.manifest import Manifest, check_manifest, record_lines, sha256
from ingest.shared.layout import MANIFEST_NAME
from tests.accounting import PROBLEM_LINE, ROOT, ingest_env, run_cli

FEED = """INCOMING TRANSMISSION

LATEST UPDATES
注意力机制 attention 的计算方式：先求 Q 与 K 的点积，再做 softmax 归一化得到权重...
优化器 Adam 用一阶矩和二阶矩估计，让每个参数的学习率自适应地调整，收敛更稳定...
混合精度训练用 FP16 做前向和反向计算，用 loss scaling 防止梯度下溢，显存更省…
"""
MINE = "---\ntitle: 我的文章\nid: hw-mine\ntags: [优化器]\n---\n\n贡献者写的正文。\n"


@pytest.fixture(scope="module")
def ingested_once(tmp_path_factory) -> Path:
    """The first ingest of the project, run once for the module; each test gets a copy."""
    folder = tmp_path_factory.mktemp("ingested")
    (folder / "feeds").mkdir()
    (folder / "feeds" / "a.txt").write_text(FEED, encoding="utf-8")
    (folder / "README.md").write_text("# the project's README\n", encoding="utf-8")
    result, report = run_cli(folder)
    assert result.returncode == 0 and len(report["written"]) == 3
    return folder


@pytest.fixture
def project(ingested_once, tmp_path) -> Path:
    """Three generated articles, one hand-written article, a README outside docs/."""
    project = tmp_path / "project"
    shutil.copytree(ingested_once, project, symlinks=True)
    (project / "docs" / "articles" / "mine.md").write_text(MINE, encoding="utf-8")
    return project


def manifest_path(project: Path) -> Path:
    return project / "docs" / MANIFEST_NAME


def manifest_data(project: Path) -> dict:
    return json.loads(manifest_path(project).read_text(encoding="utf-8"))


def add_record(project: Path, relative: str, victim: Path, article_id: str = "0123456789") -> int:
    """Add a record for ``relative`` holding ``victim``'s hash; returns the record's line in the file."""
    data = manifest_data(project)
    data["files"][relative] = {"id": article_id, "key": "forged", "sha256": [sha256(victim.read_bytes())]}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    manifest_path(project).write_text(text, encoding="utf-8")
    return record_lines(text)[("files", relative)]


def snapshot(project: Path) -> dict[str, tuple[bytes, int]]:
    """Every file outside docs/articles' generated ones, with its mtime: none may change.

    The ingest's own cache folder (``build/ingest-cache``) is left out: it is the ingest's to rewrite.
    """
    files = {}
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project).as_posix()
        ours = "ingest-report" in relative or relative.startswith("build/ingest-cache/")
        if path.is_file() and not path.is_symlink() and not ours:
            files[relative] = (path.read_bytes(), path.stat().st_mtime_ns)
    return files


def run_check(project: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "ingest", "--taxonomy", str(ROOT / "taxonomy.yml"), "check"]
    result = subprocess.run(
        [*command, "--titles", "none.yml"], cwd=project, capture_output=True, text=True, env=ingest_env()
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def generated_files(project: Path) -> dict[str, bytes]:
    return {
        path.name: path.read_bytes()
        for path in (project / "docs" / "articles").glob("*.md")
        if frontmatter.load(path).get("generated")
    }


@pytest.mark.parametrize(
    "target",
    ["../README.md", "{root}/README.md", "articles/../../README.md", "articles/mine.md", "articles/sub/x.md"],
    ids=["parent", "absolute", "dot-dot-inside", "contributor-article", "subfolder"],
)
def test_a_forged_record_touches_nothing(project, target):
    victim = project / "README.md" if "README" in target else project / "docs" / "articles" / "mine.md"
    relative = target.format(root=project.as_posix())
    line = add_record(project, relative, victim)
    (project / "feeds" / "a.txt").write_text(
        FEED.replace("注意力机制", "注意力"), encoding="utf-8"
    )  # a change to write
    before = {name: data for name, data in snapshot(project).items() if not name.startswith("docs/articles/att")}
    before.pop(f"docs/{MANIFEST_NAME}")

    result, report = run_cli(project)
    assert result.returncode == 0
    after = snapshot(project)
    assert {name: after.get(name) for name in before} == before, "a file outside the generated ones changed"
    problems = [warning for warning in report["warnings"] if warning["file"] == f"docs/{MANIFEST_NAME}"]
    assert [problem["line"] for problem in problems] == [line]
    assert "refused" in problems[0]["reason"] or "not a file the ingest generated" in problems[0]["reason"]
    assert f"docs/{MANIFEST_NAME}:{line}: warning: " in result.stderr
    assert relative not in manifest_data(project)["files"], "the next manifest forgets the record"

    add_record(project, relative, victim)
    checked = run_check(project)
    assert checked.returncode == 1 and f"docs/{MANIFEST_NAME}:{line}: " in checked.stderr


def test_a_forged_record_with_the_contributors_own_id_cannot_delete_their_article(project):
    """The hash and the id are right; the file's front matter does not say it is generated."""
    mine = project / "docs" / "articles" / "mine.md"
    line = add_record(project, "articles/mine.md", mine, article_id="00aa11bb22")  # valid record, hostile claim
    before = mine.read_bytes()
    result, report = run_cli(project)
    assert result.returncode == 0 and mine.read_bytes() == before and report["removed"] == []
    assert f"docs/{MANIFEST_NAME}:{line}: warning: the record for articles/mine.md holds that file's hash" in (
        result.stderr
    )

    add_record(project, "articles/mine.md", mine, article_id="00aa11bb22")
    checked = run_check(project)
    assert checked.returncode == 1
    assert f"docs/{MANIFEST_NAME}:{line}: the record for articles/mine.md holds that file's hash" in checked.stderr


def test_a_forged_record_at_a_generated_path_cannot_overwrite_a_contributors_file(project):
    """The contributor replaced a generated file with their own and a record claims it: left alone."""
    data = manifest_data(project)
    relative, record = next(iter(sorted(data["files"].items())))
    path = project / "docs" / relative
    path.write_text(MINE.replace("hw-mine", "hw-other"), encoding="utf-8")
    record["sha256"] = [sha256(path.read_bytes())]
    manifest_path(project).write_text(json.dumps(data), encoding="utf-8")
    before = path.read_bytes()
    (project / "feeds" / "a.txt").write_text(FEED + "Python\n", encoding="utf-8")  # every source line stays
    (project / "feeds" / "b.txt").write_text(FEED, encoding="utf-8")  # every article gains a source: all change
    result, report = run_cli(project)
    assert result.returncode == 0 and path.read_bytes() == before
    assert relative in report["conflicts"] and relative not in report["written"]


@pytest.mark.parametrize(
    "make",
    ["folder", "fifo", "symlink-to-readme", "symlink-to-dev-zero"],
)
def test_records_naming_folders_devices_or_symlinks_are_refused(project, make):
    articles = project / "docs" / "articles"
    target = articles / "odd.md"
    if make == "folder":
        target.mkdir()
    elif make == "fifo":
        os.mkfifo(target)
    elif make == "symlink-to-readme":
        target.symlink_to(project / "README.md")
    else:
        target.symlink_to("/dev/zero")
    data = manifest_data(project)
    data["files"]["articles/odd.md"] = {"id": "0123456789", "key": "odd", "sha256": [sha256(b"")]}
    if make == "symlink-to-readme":
        data["files"]["articles/odd.md"]["sha256"] = [sha256((project / "README.md").read_bytes())]
    manifest_path(project).write_text(json.dumps(data, indent=1), encoding="utf-8")
    readme = (project / "README.md").read_bytes()

    result, report = run_cli(project)
    assert result.returncode == 0
    assert os.path.lexists(target) and (project / "README.md").read_bytes() == readme
    assert any(
        "articles/odd.md" in warning["reason"] and "refused" in warning["reason"] for warning in report["warnings"]
    )
    # What `ingest check` reports of the manifest (reading such a page is the checker's own concern).
    data["files"]["articles/odd.md"]["id"] = "0123456789"
    manifest_path(project).write_text(json.dumps(data, indent=1), encoding="utf-8")
    _, problems = check_manifest(project / "docs")
    assert any("odd.md" in problem.reason and "refused" in problem.reason for problem in problems)


HOSTILE_MANIFESTS = {
    "empty-list": b"[]",
    "null": b"null",
    "string": b'"files"',
    "number": b"12",
    "files-is-a-list": b'{"version": 2, "files": []}',
    "nested-list": b"[" * 200_000 + b"]" * 200_000,
    "nested-in-a-record": b'{"version": 2, "files": {"articles/a.md": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
    "nested-objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "huge": b'{"version": 2, "files": {"articles/a.md": "' + b"x" * (40 << 20) + b'"}}',
    "packed": b'{"version": 2, "files": {}, "x": [' + b"0," * (1 << 20) + b"0]}",
    "not-utf-8": b'{"version": 2, "files": {"articles/\xff.md": {}}}',
    "truncated": None,
    "unknown-version": b'{"version": 99, "files": {}}',
    "empty-file": b"",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_MANIFESTS))
def test_a_broken_manifest_gives_a_clear_message_and_ownership_is_recovered(project, kind):
    generated = generated_files(project)
    path = manifest_path(project)
    data = HOSTILE_MANIFESTS[kind]
    path.write_bytes(data if data is not None else path.read_bytes()[: path.stat().st_size // 2])

    result, report = run_cli(project)
    assert result.returncode == 0
    [problem] = [
        warning
        for warning in report["warnings"]
        if warning["file"] == f"docs/{MANIFEST_NAME}"
        and "content" in warning["reason"]
        and "recognises" in warning["reason"]
    ]
    assert problem["line"] >= 1
    recovered = [warning for warning in report["warnings"] if "recognised by their front matter" in warning["reason"]]
    assert len(recovered) == 1 and recovered[0]["reason"].startswith("3 generated file(s)")
    assert generated_files(project) == generated, "no generated file changed, none was duplicated"
    assert set(manifest_data(project)["files"]) == {f"articles/{name}" for name in generated}
    assert (project / "docs" / "articles" / "mine.md").read_text(encoding="utf-8") == MINE

    path.write_bytes(data if data is not None else b'{"files": {')
    checked = run_check(project)
    assert checked.returncode == 1 and f"docs/{MANIFEST_NAME}:" in checked.stderr
    for line in checked.stderr.splitlines()[:-1]:
        assert PROBLEM_LINE.match(line), line


def test_after_a_lost_manifest_later_feed_changes_update_the_articles_in_place(project):
    generated = generated_files(project)
    manifest_path(project).unlink()
    run_cli(project)
    (project / "feeds" / "b.txt").write_text(FEED, encoding="utf-8")  # every article gains a second source
    result, report = run_cli(project)
    assert result.returncode == 0 and report["conflicts"] == [] and report["taken_over"] == []
    now = generated_files(project)
    assert set(now) == set(generated), "updated in place: no duplicate, no file left behind"
    assert all(len(frontmatter.loads(now[name].decode())["sources"]) == 2 for name in now)


def test_a_generated_looking_file_the_ingest_cannot_vouch_for_is_kept(project):
    """Lost manifest, and a generated file edited by hand: it stays, nothing is written twice."""
    name, data = sorted(generated_files(project).items())[0]
    path = project / "docs" / "articles" / name
    edited = data + "贡献者补充的一段。\n".encode()
    path.write_bytes(edited)
    manifest_path(project).unlink()
    result, report = run_cli(project)
    assert path.read_bytes() == edited
    assert len(generated_files(project)) == 3, "the article was not written a second time"
    assert any(
        warning["file"] == f"docs/articles/{name}" and "not regenerated" in warning["reason"]
        for warning in report["warnings"]
    )


def test_record_lines_name_each_record(tmp_path):
    text = '{\n "files": {\n  "articles/a.md": {"id": "x"},\n\n  "articles/b.md": 1\n },\n "version": 2\n}\n'
    assert record_lines(text) == {("files", "articles/a.md"): 3, ("files", "articles/b.md"): 5}


def test_the_manifest_the_ingest_writes_loads_without_a_problem(project):
    manifest, problems = Manifest.load(project / "docs")
    assert problems == [] and len(manifest.files) == 3
    for record in manifest.files.values():
        assert record["skeleton"][0] > 0 and len(record["sha256"]) == 1
