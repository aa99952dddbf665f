"""Hostile feeds through the real CLI: symlinks out of the project, line breaks and control
characters inside a line, NULs, hostile file names, and odd things under docs/articles/."""

from __future__ import annotations

import json
import os
import subprocess
import unicodedata
from pathlib import Path

import frontmatter
import pytest
from mkdocs.utils import meta as mkdocs_meta

from tests.accounting import PROBLEM_LINE, ingest_command, ingest_env, run_cli

HEADER = "INCOMING TRANSMISSION\n\nLATEST UPDATES\n"
GOOD = "优化器 Adam 用一阶矩和二阶矩估计，让每个参数的学习率自适应地调整，收敛更稳定..."
OTHER = "注意力机制 attention 的计算方式：先求 Q 与 K 的点积，再做 softmax 归一化得到权重..."


def feed(path: Path, *lines: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def written(project: Path) -> list[tuple[str, frontmatter.Post]]:
    return [
        (path.read_text(encoding="utf-8"), frontmatter.load(path))
        for path in sorted((project / "docs" / "articles").glob("*.md"))
    ]


# ---------------------------------------------------------------- symlinks in feeds/


def test_a_symlink_to_a_file_outside_the_project_is_refused_by_name(tmp_path):
    feed(tmp_path / "feeds" / "good.txt", GOOD)
    (tmp_path / "feeds" / "passwd.txt").symlink_to("/etc/passwd")
    result, report = run_cli(tmp_path, "--strict")
    assert result.returncode == 1, "a refusal is a rejection: --strict fails"
    [problem] = report["rejected"]
    assert (problem["file"], problem["line"]) == ("feeds/passwd.txt", 0) and "outside the project" in problem["reason"]
    assert "feeds/passwd.txt:0: symlink to /etc/passwd" in result.stderr
    assert [post["sources"] for _, post in written(tmp_path)] == [["feeds/good.txt:4"]]


def test_symlinked_folders_and_feeds_folders_leaving_the_project_are_refused(tmp_path):
    outside = tmp_path / "outside"
    feed(outside / "dump.txt", OTHER)
    project = tmp_path / "project"
    feed(project / "feeds" / "good.txt", GOOD)
    (project / "feeds" / "more").symlink_to(outside)
    result, report = run_cli(project)
    assert [(item["file"], item["line"]) for item in report["rejected"]] == [("feeds/more", 0)]
    assert len(written(project)) == 1

    (project / "linked-feeds").symlink_to(outside)
    command = ingest_command(project, "--feeds", "linked-feeds")
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=ingest_env())
    assert result.returncode == 2 and "linked-feeds:0: symlink to" in result.stderr, "no feed left: nothing done"


def test_symlinks_inside_the_project_or_inside_a_named_dump_folder_are_followed(tmp_path):
    project = tmp_path / "project"
    feed(project / "archive" / "old.txt", OTHER)
    feed(project / "feeds" / "good.txt", GOOD)
    (project / "feeds" / "old.txt").symlink_to(project / "archive" / "old.txt")
    result, report = run_cli(project)
    assert report["rejected"] == [] and len(written(project)) == 2

    dumps = tmp_path / "dumps"  # outside the project, named on the command line: its own links are fine
    feed(dumps / "real" / "a.txt", OTHER)
    (dumps / "latest.txt").symlink_to(dumps / "real" / "a.txt")
    result, report = run_cli(project, "--feeds", str(dumps))
    assert report["rejected"] == [] and report["articles"] == 1


# ---------------------------------------------------------------- line breaks and controls inside a line

# (CR LF cannot sit inside a line: its LF ends the line; a run of CRs stands in for it.)
BREAKS = ["\r", "\r\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1b[2J", "\x07"]


@pytest.mark.parametrize("brake", BREAKS, ids=[repr(brake) for brake in BREAKS])
def test_line_breaks_inside_a_feed_line_stay_text_everywhere(tmp_path, brake):
    title_attack = f"Adam 优化器{brake}# <h1>injected</h1>{brake}- item"
    lines = [f"Py{brake}thon", f"{title_attack} 用一阶矩和二阶矩估计，让每个参数的学习率自适应地调整...", OTHER]
    path = tmp_path / "feeds" / "a.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes((HEADER + "\n".join(lines) + "\n").encode("utf-8"))
    result, report = run_cli(tmp_path)
    assert result.returncode == 0 and report["articles"] >= 2  # the metadata line may now read as an entry
    for text, post in written(tmp_path):
        body = post.content.strip()
        assert body.splitlines() == [body], "the body is one paragraph on one line"
        _, mkdocs_data = mkdocs_meta.get_data(text)
        values = [mkdocs_data["title"], post["title"], *post["sources"], str(post.get("category", ""))]
        for value in values:
            assert value.splitlines() == [value] or value == "", repr(value)
            assert not any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value), repr(value)
        assert "<h1>" not in post.content, "the body shows the markup as text"
        for line in text.splitlines():  # every reader's line breaks: the front matter keeps its shape
            assert not line.startswith("#"), line


def test_control_characters_never_reach_the_terminal(tmp_path):
    """ESC sequences in a metadata line and in a feed file's name are shown escaped."""
    name = "evil\x1bc\x1b]0;pwned\x07\nname.txt"
    path = tmp_path / "feeds" / name
    path.parent.mkdir(parents=True)
    path.write_bytes((HEADER + GOOD + "\n\x1bcPython\n").encode() + b"bad \xff\n")
    (tmp_path / "feeds" / "undecodable-\xff-name.txt".encode("latin-1").decode("utf-8", "surrogateescape")).write_text(
        HEADER + OTHER + "\n", encoding="utf-8"
    )
    result, report = run_cli(tmp_path)
    assert result.returncode == 0
    assert not any(unicodedata.category(char) == "Cc" and char != "\n" for char in result.stderr), repr(result.stderr)
    for line in result.stderr.splitlines()[:-1]:
        assert PROBLEM_LINE.match(line), line
    assert "feeds/evil\\x1bc\\x1b]0;pwned\\x07\\x0aname.txt:" in result.stderr
    sources = sorted(source for _, post in written(tmp_path) for source in post["sources"])
    assert sources == ["feeds/evil\\x1bc\\x1b]0;pwned\\x07\\x0aname.txt:4", "feeds/undecodable-\\xff-name.txt:4"]
    assert json.loads((tmp_path / "ingest-report.json").read_text(encoding="utf-8"))["articles"] == 2


def test_a_nul_anywhere_rejects_its_line(tmp_path):
    filler = [
        f"优化器 第 {number} 条：学习率预热与余弦退火的组合在大批量训练里很常见，这里记录一次实验的结论..."
        for number in range(80)
    ]
    assert len("\n".join(filler).encode()) > 8192, "the NUL must come after the binary sniff"
    path = tmp_path / "feeds" / "a.txt"
    path.parent.mkdir(parents=True)
    path.write_bytes((HEADER + "\n".join(filler) + "\n").encode() + b"\xe6\xb3\xa8\xe6\x84\x8f\0\xe5\x8a\x9b hidden\n")
    result, report = run_cli(tmp_path)
    nul_line = 4 + len(filler)
    assert [(item["line"], "NUL" in item["reason"]) for item in report["rejected"]] == [(nul_line, True)]
    assert all("\0" not in text and "hidden" not in text for text, _ in written(tmp_path))


# ---------------------------------------------------------------- odd things under docs/articles/


def test_a_folder_named_like_an_article_is_skipped_with_a_warning(tmp_path):
    feed(tmp_path / "feeds" / "a.txt", GOOD)
    (tmp_path / "docs" / "articles" / "x.md").mkdir(parents=True)
    os.mkfifo(tmp_path / "docs" / "articles" / "pipe.md")
    result, report = run_cli(tmp_path)
    assert result.returncode == 0 and len(report["written"]) == 1
    assert "docs/articles/x.md:0: warning: a folder named like an article" in result.stderr
    assert "docs/articles/pipe.md:0: warning: not a regular file" in result.stderr


def test_a_symlinked_articles_folder_is_refused_and_nothing_written(tmp_path):
    feed(tmp_path / "feeds" / "a.txt", GOOD)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "articles").symlink_to(elsewhere)
    result = subprocess.run(ingest_command(tmp_path), cwd=tmp_path, capture_output=True, text=True, env=ingest_env())
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "docs/articles:0: is not a real folder" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_title_overrides_with_line_breaks_are_reported_and_used_on_one_line(tmp_path):
    feed(tmp_path / "feeds" / "a.txt", GOOD)
    run_cli(tmp_path)
    [(_, post)] = written(tmp_path)
    (tmp_path / "titles.yml").write_text(f'{post["id"]}: "Adam\\r# injected"\n', encoding="utf-8")
    command = ingest_command(tmp_path, "--titles", "titles.yml")
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=ingest_env())
    assert "titles.yml:1: warning: title for" in result.stderr and "line break" in result.stderr
    [(_, post)] = written(tmp_path)
    assert post["title"] == "Adam # injected"
