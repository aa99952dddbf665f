"""YAML alias bombs ("billion laughs") are refused with ``FILE:LINE``, in milliseconds, everywhere.

545 bytes of nested aliases expand to a billion strings: ``check``, ``ingest run``, ``ingest new`` and
the build used to die with a ``MemoryError`` after 30-50 s and 2-3 GB. Aliases are now refused
before anything is built: by the one front-matter reader (``ingest/shared/frontmatter_io.py``), by
the taxonomy/titles reader (``ingest/shared/yamlfile.py``), and in the build MkDocs' own
front-matter parser never sees the block (the plugin hands it an inert one).

The command-line cases run as real processes; each must finish with a message, and its peak
memory (``wait4``'s ``ru_maxrss``) must stay far below what one expansion takes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.shared.frontmatter_io import split_front_matter
from ingest.shared.yamlfile import load_yaml
from tests.contrib_fixtures import write_article, write_project
from tests.sitebuild import ROOT, make_project

MAX_PEAK_MB = 600  # a build of the small site peaks near 300 MB; one expansion needs gigabytes


def laughs(indent: str = "") -> str:
    lines = [f'{indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{indent}{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines)


def bomb_article(key: str) -> str:
    """An article whose ``key`` holds the bomb (``alias_line`` finds where its first alias is)."""
    fields = {"title": "title: 炸弹", "id": "id: hw-bomb", "tags": "tags: [优化器]", "sources": "sources: []"}
    fields[key] = f"{key}:\n{laughs('  ')}"
    head = "\n".join(fields[name] for name in ("title", "tags", "id", "sources") if name != key)
    return f"---\n{head}\n{fields[key]}\n---\n\n正文\n"


def alias_line(text: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if "*a" in line)


@pytest.mark.parametrize("key", ["sources", "id", "title", "tags"])
def test_front_matter_reader_refuses_aliases_with_their_line(key):
    text = bomb_article(key)
    front_matter, problems = split_front_matter("docs/articles/bomb.md", text)
    assert front_matter is None
    assert [str(problem) for problem in problems] == [
        f"docs/articles/bomb.md:{alias_line(text)}: front matter uses the YAML alias '*a': aliases (and '<<' merges) "
        "are not allowed in front matter; write the value out"
    ]


def test_a_merge_key_is_an_alias_too():
    _, problems = split_front_matter("a.md", "---\nbase: &b {title: x}\n<<: *b\ntags: [x]\n---\n")
    assert problems[0].line == 3 and "'*b'" in problems[0].reason


def test_anchors_without_aliases_are_harmless():
    front_matter, problems = split_front_matter("a.md", "---\ntitle: &t 标题\ntags: [x]\n---\n")
    assert problems == [] and front_matter.data["title"] == "标题"


@pytest.mark.parametrize("name", ["taxonomy.yml", "titles.yml"])
def test_taxonomy_and_titles_reader_refuses_aliases(tmp_path, name):
    path = tmp_path / name
    path.write_text(f"# comment\nbomb:\n{laughs('  ')}\n", encoding="utf-8")
    data, problem = load_yaml(path)
    assert data is None
    assert problem.line == 4
    assert "the alias '*a' is not allowed" in problem.reason


# Runs the command and prints its peak memory (KiB) on stderr's last line. A child forked from
# this launcher, not from pytest: ``ru_maxrss`` counts the pages a child holds between fork and
# exec, which for a child of a long pytest run is pytest's own size.
MEASURING_LAUNCHER = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(process.pid, 0)
process.returncode = 0
sys.stderr.write(f"\\npeak-kib {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(command: list[str], cwd: Path) -> tuple[int, str, float]:
    """``(exit status, stderr, peak memory in MB)`` of ``command``, measured with ``wait4``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", MEASURING_LAUNCHER, *command], cwd=cwd, capture_output=True, env=env, check=False
    )
    stderr = result.stderr.decode("utf-8", "replace")
    body, _, peak = stderr.rstrip("\n").rpartition("\npeak-kib ")
    return result.returncode, body, int(peak) / 1024


@pytest.fixture
def bombed_project(tmp_path) -> Path:
    write_project(tmp_path)
    write_article(tmp_path, "bomb.md", bomb_article("sources"))
    return tmp_path


def test_check_names_the_bomb_and_stays_small(bombed_project):
    status, stderr, peak = run_measured([sys.executable, "-m", "ingest", "check"], bombed_project)
    assert status == 1
    line = alias_line(bomb_article("sources"))
    assert f"docs/articles/bomb.md:{line}: front matter uses the YAML alias '*a'" in stderr
    assert peak < MAX_PEAK_MB


def test_ingest_run_and_new_and_takeover_survive_a_bomb_in_docs(bombed_project):
    run = run_measured([sys.executable, "-m", "ingest", "run"], bombed_project)
    new = run_measured([sys.executable, "-m", "ingest", "new", "--title", "新文章", "--tag", "优化器"], bombed_project)
    takeover = run_measured([sys.executable, "-m", "ingest", "takeover", "bomb"], bombed_project)
    assert run[0] == 0 and run[2] < MAX_PEAK_MB, run[1]
    assert new[0] == 0 and new[2] < MAX_PEAK_MB, new[1]
    line = alias_line(bomb_article("sources"))
    assert takeover[0] == 2 and f"bomb.md:{line}: front matter uses the YAML alias" in takeover[1]
    assert (bombed_project / "docs" / "articles" / "bomb.md").read_text(encoding="utf-8") == bomb_article("sources")


@pytest.mark.slow
def test_the_build_refuses_the_bomb_before_mkdocs_parses_it(tmp_path):
    project = make_project(tmp_path, with_bundled_docs=False)
    (project / "docs" / "articles").mkdir()
    (project / "docs" / "articles" / "bomb.md").write_text(bomb_article("tags"), encoding="utf-8")
    strict = run_measured([sys.executable, "-m", "mkdocs", "build", "--strict"], project)
    assert strict[0] == 1
    line = alias_line(bomb_article("tags"))
    assert f"docs/articles/bomb.md:{line}: front matter uses the YAML alias '*a'" in strict[1]
    assert strict[2] < MAX_PEAK_MB
    lenient = run_measured([sys.executable, "-m", "mkdocs", "build", "--no-strict"], project)
    assert lenient[0] == 0 and lenient[2] < MAX_PEAK_MB, lenient[1]
    assert "lol" not in (project / "site" / "articles" / "bomb" / "index.html").read_text(encoding="utf-8")
