"""``python -m ingest check`` and ``mkdocs build --strict`` agree on every kind of mistake.

Every case below is a file (or a few) that a contributor or a maintainer could commit. All the
failing cases go into one project and all the passing ones into another, each built for real
with the strict build and checked with the real command line; a third project holds a taxonomy
the build refuses outright. For each project the set of ``FILE:LINE`` errors (and of warnings)
printed by ``check`` must equal the set printed by the build, every case must show up in both
where the table says, and nothing MkDocs itself complains about may be missing from ``check``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.sitebuild import ROOT, make_project

pytestmark = pytest.mark.slow

BILLION_LAUGHS = "\n".join(
    ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]"
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def article(title: str = "一篇文章", body: str = "正文。", extra: str = "") -> str:
    return f"---\ntitle: {title}\ntags:\n  - 优化器\n{extra}---\n\n{body}\n"


@dataclass
class Case:
    """Files to write into the project, and the ``(file, needle)`` whose line each side must name."""

    name: str
    files: dict[str, str]
    errors: list[tuple[str, str | int]] = field(default_factory=list)  # (path, text on the line, or a line number)
    warnings: list[tuple[str, str | int]] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # path -> symlink target


FAILING = [
    Case("outside articles", {"docs/notes/x.md": "---\ntitle: 笔记\n---\n\n正文\n"}, errors=[("docs/notes/x.md", 1)]),
    Case(
        "unclosed $",
        {"docs/articles/dollar.md": article(body="第一段。\n\n价格是 $5，很便宜。\n还有一行。")},
        errors=[("docs/articles/dollar.md", "价格是")],
    ),
    Case(
        "unclosed $$",
        {"docs/articles/display.md": article(body="开头。\n\n$$\nx^2\n\n结尾。")},
        errors=[("docs/articles/display.md", "$$")],
    ),
    Case(
        "broken #anchor",
        {
            "docs/articles/anchor.md": article(
                body="## 第一节 { #first }\n\n[好](#first) [坏](#nowhere)\n\n[另一篇坏](other.md#missing)"
            ),
            "docs/articles/other.md": article("另一篇", extra="id: hw-other\n"),
        },
        errors=[("docs/articles/anchor.md", "[好]"), ("docs/articles/anchor.md", "另一篇坏")],
    ),
    Case(
        "KaTeX errors",
        {"docs/articles/katex.md": article(body="行内 $\\hatt{x}$ 公式。\n\n$$\n\\frac{a}{b\n$$")},
        errors=[("docs/articles/katex.md", "\\hatt"), ("docs/articles/katex.md", "\\frac")],
    ),
    Case(
        "duplicate id",
        {
            "docs/articles/dup-a.md": article("甲", extra="id: hw-same\n"),
            "docs/articles/sub/dup-b.md": article("乙", extra="id: hw-same\n"),
        },
        errors=[("docs/articles/dup-a.md", "id: hw-same"), ("docs/articles/sub/dup-b.md", "id: hw-same")],
    ),
    Case("no front matter", {"docs/articles/bare.md": "只有正文。\n"}, errors=[("docs/articles/bare.md", 1)]),
    Case(
        "generated: true on a new article",
        {"docs/articles/fake.md": article(extra="sources:\n  - feeds/x.txt:3\ngenerated: true\n")},
        errors=[("docs/articles/fake.md", "generated: true")],
    ),
    Case(
        "unknown tag",
        {"docs/articles/tag.md": article(extra="  - Optimzer\n")},
        errors=[("docs/articles/tag.md", "Optimzer")],
    ),
    Case(
        "missing page",
        {"docs/articles/link.md": article(body="见 [别处](nowhere.md)。")},
        errors=[("docs/articles/link.md", "nowhere.md")],
    ),
    Case(
        "template and location",
        {"docs/articles/redirect.md": article(extra="template: redirect.html\nlocation: javascript:alert(1)\n")},
        errors=[("docs/articles/redirect.md", "template:"), ("docs/articles/redirect.md", "location:")],
    ),
    Case(
        "plain-text fields",
        {
            "docs/articles/fields.md": article(
                title="['<b>x</b>']",
                extra='description: "<script>alert(1)</script>"\nauthor: {name: "<i>x</i>"}\n'
                'sources:\n  - "x`<img src=x onerror=alert(1)>`.txt:1"\n',
            )
        },
        errors=[
            ("docs/articles/fields.md", "title:"),
            ("docs/articles/fields.md", "description:"),
            ("docs/articles/fields.md", "author:"),
            ("docs/articles/fields.md", "onerror"),
        ],
    ),
    Case(
        "alias bomb",
        {"docs/articles/bomb.md": f"---\ntitle: 炸弹\ntags:\n  - 优化器\nsources:\n{BILLION_LAUGHS}\n---\n\n正文\n"},
        errors=[("docs/articles/bomb.md", "b: &b")],
    ),
    Case(
        "MultiMarkdown metadata",
        {"docs/articles/mmd.md": "template: redirect.html\nlocation: javascript:alert(1)\n\n正文\n"},
        errors=[("docs/articles/mmd.md", 1)],
    ),
    Case(
        "symbolic links out of the repository",
        {},
        errors=[("docs/articles/passwd.md", 0), ("docs/articles/outside", 0)],
        links={"docs/articles/passwd.md": "/etc/passwd", "docs/articles/outside": "{outside}"},
    ),
    Case("Windows name", {"docs/articles/con.md": article()}, errors=[("docs/articles/con.md", 1)]),
    Case(
        "taxonomy formula and description",
        {},
        errors=[("taxonomy.yml", "- name: 感知机（带偏置）"), ("taxonomy.yml", "  - id: activation-functions")],
    ),
]

PASSING = [
    Case(
        "article in a sub-folder", {"docs/articles/optimizers/adam.md": article("Adam", body="见 [另一篇](../b.md)。")}
    ),
    Case(
        "linked article",
        {
            "docs/articles/b.md": article(
                "乙", body="## 小节 { #section }\n\n[这里](#section) [回去](optimizers/adam.md)"
            )
        },
    ),
    Case(
        "H1 in the body",
        {"docs/articles/h1.md": article(body="前言。\n\n# 另一个标题\n\n正文。")},
        warnings=[("docs/articles/h1.md", "# 另一个标题")],
    ),
    Case(
        "raw HTML that runs",
        {"docs/articles/script.md": article(body='<script>console.log(1)</script>\n\n<img src="a.png" onerror="x()">')},
        warnings=[("docs/articles/script.md", "<script>"), ("docs/articles/script.md", "onerror")],
    ),
    Case(
        "folder named like a page",
        {"docs/articles/folder.md/inner.md": article("里面")},
        warnings=[("docs/articles/folder.md", 0)],
    ),
    Case(
        "hostile taxonomy names are escaped, not errors",
        {},
    ),
]

ERROR_LINE = re.compile(r"^(?:ERROR\s+-\s+ingest: )?(?P<file>[^\s:][^:]*):(?P<line>\d+): (?P<reason>.*)$")
WARNING_LINE = re.compile(r"^(?:INFO\s+-\s+ingest: )?(?P<file>[^\s:][^:]*):(?P<line>\d+): warning: (?P<reason>.*)$")
MKDOCS_COMPLAINT = re.compile(r"^(?:WARNING|ERROR)\s+-\s+(?!ingest: )(?P<message>.*)$")
MKDOCS_DOC_FILE = re.compile(r"Doc file '([^']+)'")


def line_number(project: Path, path: str, needle: str | int) -> int:
    if isinstance(needle, int):
        return needle
    lines = (project / path).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def write_cases(project: Path, cases: list[Case], outside: Path) -> None:
    for case in cases:
        for path, text in case.files.items():
            target = project / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for path, target in case.links.items():
            (project / path).symlink_to(target.format(outside=outside))


def hostile_but_valid_taxonomy(project: Path) -> None:
    """Section and topic names holding HTML and line breaks: escaped everywhere, so no problem at all."""
    path = project / "taxonomy.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    zh: 基础\n", '    zh: "基础<img src=x onerror=alert(1)>"\n', 1)
    text = text.replace("    en: Optimizers\n", '    en: "Optimizers</small><script>alert(1)</script>\\r# H1"\n', 1)
    path.write_text(text, encoding="utf-8")


def broken_taxonomy_math(project: Path) -> None:
    """A key formula KaTeX cannot parse and a description with an unclosed '$'."""
    path = project / "taxonomy.yml"
    text = path.read_text(encoding="utf-8")
    first_tex = text.index("        tex: '", text.index("- name: 感知机（带偏置）"))
    text = text[:first_tex] + "        tex: '\\hatt{y}'\n" + text[text.index("\n", first_tex) + 1 :]
    marker = "      激活函数为神经网络引入非线性"
    text = text.replace(marker, "      价格 $5 。" + marker[6:], 1)
    path.write_text(text, encoding="utf-8")


def environment() -> dict:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}


def run(project: Path, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *command], cwd=project, capture_output=True, text=True, env=environment(), timeout=600
    )


@dataclass
class Outcome:
    returncode: int
    errors: set[tuple[str, int]]
    warnings: set[tuple[str, int]]
    output: str
    mkdocs_complaints: list[str] = field(default_factory=list)


def parse(result: subprocess.CompletedProcess) -> Outcome:
    errors, warnings, complaints = set(), set(), []
    for line in result.stderr.splitlines():
        if match := WARNING_LINE.match(line):
            warnings.add((match["file"], int(match["line"])))
        elif match := ERROR_LINE.match(line):
            errors.add((match["file"], int(match["line"])))
        elif match := MKDOCS_COMPLAINT.match(line):
            complaints.append(match["message"])
    return Outcome(result.returncode, errors, warnings, result.stderr, complaints)


def check_and_build(project: Path) -> tuple[Outcome, Outcome]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        check = pool.submit(run, project, "-m", "ingest", "check")
        build = pool.submit(run, project, "-m", "mkdocs", "build", "--strict")
        return parse(check.result()), parse(build.result())


def expected(project: Path, cases: list[Case], kind: str) -> set[tuple[str, int]]:
    return {(path, line_number(project, path, needle)) for case in cases for path, needle in getattr(case, kind)}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """``{project name: (project, check outcome, build outcome)}``, all three projects run concurrently."""
    outside = tmp_path_factory.mktemp("outside-the-repository")
    (outside / "secret.md").write_text("---\ntitle: 外面\ntags: [优化器]\n---\n\n机密\n", encoding="utf-8")
    projects = {}
    failing = make_project(tmp_path_factory.mktemp("failing"), with_bundled_docs=False)
    write_cases(failing, FAILING, outside)
    broken_taxonomy_math(failing)
    projects["failing"] = failing
    passing = make_project(tmp_path_factory.mktemp("passing"), with_bundled_docs=False)
    write_cases(passing, PASSING, outside)
    hostile_but_valid_taxonomy(passing)
    projects["passing"] = passing
    refused = make_project(tmp_path_factory.mktemp("refused-taxonomy"), with_bundled_docs=False)
    taxonomy = (refused / "taxonomy.yml").read_text(encoding="utf-8")
    (refused / "taxonomy.yml").write_text(taxonomy.replace("section: training\n", "section: trainig\n", 1))
    projects["refused taxonomy"] = refused
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(zip(projects, pool.map(check_and_build, projects.values()), strict=True))
    return {name: (projects[name], *results[name]) for name in projects}


def test_failing_cases_fail_both_naming_the_same_lines(outcomes):
    project, check, build = outcomes["failing"]
    assert check.returncode == 1, check.output
    assert build.returncode != 0, build.output
    assert check.errors == build.errors, (check.output, build.output)
    assert check.warnings == build.warnings


@pytest.mark.parametrize("case", FAILING, ids=[case.name for case in FAILING])
def test_each_failing_case_is_named_by_both(outcomes, case):
    project, check, build = outcomes["failing"]
    for location in expected(project, [case], "errors"):
        assert location in check.errors, (location, check.output)
        assert location in build.errors, (location, build.output)


def test_nothing_mkdocs_complains_about_is_missed_by_check(outcomes):
    """MkDocs' own warnings (anchors, links) concern only files the shared rules name already."""
    project, check, build = outcomes["failing"]
    files_named = {file for file, _ in check.errors}
    for complaint in build.mkdocs_complaints:
        if complaint.startswith("Aborted with"):
            continue
        page = MKDOCS_DOC_FILE.search(complaint)
        assert page, f"MkDocs complained about something check does not know: {complaint}"
        assert f"docs/{page.group(1)}" in files_named, complaint


def test_passing_cases_pass_both_with_the_same_warnings(outcomes):
    project, check, build = outcomes["passing"]
    assert check.returncode == 0, check.output
    assert build.returncode == 0, build.output
    assert check.errors == build.errors == set()
    assert check.warnings == build.warnings == expected(project, PASSING, "warnings")
    assert check.output.splitlines()[-1] == "5 articles, 0 problems, 4 warnings"


def test_a_taxonomy_the_build_refuses_is_refused_by_check_at_the_same_line(outcomes):
    project, check, build = outcomes["refused taxonomy"]
    assert check.returncode != 0 and build.returncode != 0
    line = line_number(project, "taxonomy.yml", "- id: optimizers")
    message = f"taxonomy.yml:{line}: topic 'optimizers': unknown section 'trainig'"
    assert message in check.output and message in build.output
    # A refused topic can leave its child topics without a parent: more taxonomy lines, never page problems.
    assert ("taxonomy.yml", line) in check.errors
    assert {file for file, _ in check.errors} == {"taxonomy.yml"}, "a broken taxonomy is reported alone"


def test_the_build_names_published_nothing_outside_the_repository(outcomes):
    project, _, _ = outcomes["failing"]
    site = project / "site"
    assert not (site / "articles" / "passwd").exists()
    assert not (site / "articles" / "outside").exists()
    search_files = [path for path in (site / "search").rglob("*") if path.is_file()]
    assert search_files, "the build writes a search index"
    assert not any(b"root:x:0:0" in path.read_bytes() for path in search_files)
