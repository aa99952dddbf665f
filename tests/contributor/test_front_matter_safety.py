"""``check`` refuses front matter that would reach a reader's browser as HTML or steer Material's templates.

Each message names the key and says what is allowed; the strict build gives the same ones
(``test_check_build_agreement.py``) and a lenient build shows these articles inert
(``tests/browser/test_xss_front_matter.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.cli import main
from tests.contrib_fixtures import write_article, write_project

HEAD = "---\ntitle: 标题\ntags: [优化器]\n"  # the next key is on line 4


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check_output(project: Path, capsys, extra: str) -> list[str]:
    write_article(project, "a.md", f"{HEAD}{extra}---\n\n正文\n")
    status = main(["check"])
    lines = capsys.readouterr().err.splitlines()
    assert status == 1, lines
    return lines[:-1]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "template: redirect.html\n",
            "docs/articles/a.md:4: 'template' is not an allowed front-matter key (allowed: title, description, author, "
            "id, tags, date, sources, category, truncated, generated, search, hide; see CONTRIBUTING.md#front-matter)",
        ),
        ("location: javascript:alert(1)\n", "docs/articles/a.md:4: 'location' is not an allowed front-matter key"),
        (
            "description: '\"><script>alert(1)</script>'\n",
            "docs/articles/a.md:4: 'description' is plain text and is shown escaped: remove the HTML '<script>'",
        ),
        ("author: <img src=x onerror=alert(1)>\n", "docs/articles/a.md:4: 'author' is plain text"),
        ("description: [a, b]\n", "docs/articles/a.md:4: 'description' must be plain text, not list ['a', 'b']"),
        ("sources:\n  - 'x`<b>`.txt:1'\n", "docs/articles/a.md:5: 'sources' is plain text and is shown escaped"),
    ],
)
def test_unsafe_front_matter_is_refused(project, capsys, extra, expected):
    lines = check_output(project, capsys, extra)
    assert any(line.startswith(expected) for line in lines), lines


def test_a_title_that_is_a_list_or_a_dict_is_refused(project, capsys):
    write_article(project, "list.md", "---\ntitle: ['<b>x</b>']\ntags: [优化器]\n---\n\n正文\n")
    write_article(project, "dict.md", "---\ntitle: {a: '<b>x</b>'}\ntags: [优化器]\n---\n\n正文\n")
    assert main(["check"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert "docs/articles/dict.md:2: 'title' must be plain text, not dict {'a': '<b>x</b>'}" in lines
    assert "docs/articles/list.md:2: 'title' must be plain text, not list ['<b>x</b>']" in lines


def test_raw_html_in_the_body_is_allowed_with_a_warning(project, capsys):
    write_article(project, "a.md", f"{HEAD}---\n\n<script>track()</script>\n\n[x](javascript:void(0))\n")
    assert main(["check"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("docs/articles/a.md:6: warning: a <script> element runs in every reader's browser")
    assert lines[1].startswith("docs/articles/a.md:8: warning: the link target 'javascript:void(0)'")
    assert lines[-1] == "1 article, 0 problems, 2 warnings"
