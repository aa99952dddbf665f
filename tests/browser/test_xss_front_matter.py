"""Contributors' front matter runs nothing in a reader's browser, even in a build that lets errors through.

``check`` and the strict build refuse every article below (``tests/contributor/test_front_matter_safety.py``
names each refusal); here the site is built with ``--no-strict``, as ``mkdocs serve`` would show
it to the contributor, and every page is read statically and opened in Chromium. Each field once
ran a script: ``description`` and ``author`` in ``<meta>``, ``template: redirect.html`` with a
``javascript:`` location, ``sources`` breaking out of the footer's code span, titles that are
lists or dicts holding HTML, MultiMarkdown-style metadata lines, and titles whose line breaks
became Markdown structure in other articles' related footers.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import serve
from tests.browser.xss import static_findings, visit
from tests.sitebuild import ROOT, make_project

# Builds sites of its own from hostile input: `make test-slow` (CI runs it too).
pytestmark = [pytest.mark.browser, pytest.mark.slow]

BODY = "优化器 Adam 的偏差修正与学习率，参见相关文章。\n"
ARTICLES = {
    "description.md": (
        "---\ntitle: 描述\ntags: [优化器]\n"
        'description: \'"><script>alert("description")</script><meta http-equiv=refresh content="0;url=javascript:alert(2)">\'\n'
        f"---\n\n{BODY}"
    ),
    "author.md": (
        '---\ntitle: 作者\ntags: [优化器]\nauthor: \'"><img src=x onerror=alert("author")>\'\n'
        "category: '<img src=x onerror=alert(\"category\")>'\n"
        f"---\n\n{BODY}"
    ),
    "redirect.md": (
        "---\ntitle: 跳转\ntags: [优化器]\ntemplate: redirect.html\nlocation: 'javascript:alert(\"location\")'\n"
        f"---\n\n{BODY}"
    ),
    "sources.md": (
        "---\ntitle: 来源\ntags: [优化器]\nsources:\n  - 'x`<img src=x onerror=alert(\"sources\")>`.txt:12'\n"
        "  - '<img src=x onerror=alert(\"sources-2\")>'\n"
        f"---\n\n{BODY}"
    ),
    "title-list.md": f"---\ntitle: ['<img src=x onerror=alert(\"title-list\")>']\ntags: [优化器]\n---\n\n{BODY}",
    "title-dict.md": f"---\ntitle: {{a: '<img src=x onerror=alert(\"title-dict\")>'}}\ntags: [优化器]\n---\n\n{BODY}",
    "title-html.md": f"---\ntitle: '</title><script>alert(\"title\")</script>'\ntags: [优化器]\n---\n\n{BODY}",
    "title-breaks.md": (
        "---\ntitle: \"断行\\r# <h1>注入</h1>\\u2028- 列表\\x85> 引用\\n\\n# H1 <img src=x onerror=alert('breaks')>\"\n"
        f"tags: [优化器]\n---\n\n{BODY}"
    ),
    "tag.md": f"---\ntitle: 标签\ntags: ['<img src=x onerror=alert(\"tag\")>', 优化器]\n---\n\n{BODY}",
    "multimarkdown.md": f"template: redirect.html\nlocation: javascript:alert('multimarkdown')\n\n{BODY}",
}


@pytest.fixture(scope="module")
def front_matter_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("xss-front-matter"))
    for name, text in ARTICLES.items():
        (project / "docs" / "articles" / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    strict = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "strict-site"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )
    lenient = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--quiet"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )
    assert lenient.returncode == 0, lenient.stderr
    server, url = serve(project / "site")
    yield project / "site", url, strict
    server.shutdown()


def test_the_strict_build_refuses_them(front_matter_site):
    _, _, strict = front_matter_site
    assert strict.returncode != 0
    for name in ARTICLES:
        assert f"docs/articles/{name}:" in strict.stderr, name


def test_no_page_holds_anything_that_runs(front_matter_site):
    site, _, _ = front_matter_site
    assert static_findings(site) == []


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_each_article_runs_nothing_in_chromium(page, front_matter_site, name):
    _, url, _ = front_matter_site
    assert visit(page, f"{url}/articles/{name.removesuffix('.md')}/") == []
    assert page.url.startswith(url), "the page redirected somewhere"


@pytest.mark.parametrize("path", ["topics/optimizers/", "all-articles/", "tags/"])
def test_lists_of_these_articles_run_nothing(page, front_matter_site, path):
    _, url, _ = front_matter_site
    assert visit(page, f"{url}/{path}") == []


def test_plain_text_is_shown_escaped(page, front_matter_site):
    site, url, _ = front_matter_site
    html = (site / "articles" / "description" / "index.html").read_text(encoding="utf-8")
    head = BeautifulSoup(html, "html.parser").head
    # The whole description is the attribute's text (quote and brackets escaped, however spelled):
    # it opened no element of its own.
    assert head.find("meta", attrs={"name": "description"})["content"].startswith('"><script>alert("description")')
    assert head.find("meta", attrs={"http-equiv": True}) is None
    assert not [script for script in head.find_all("script") if "alert" in script.text]
    visit(page, f"{url}/articles/title-html/")
    assert page.title().startswith('</title><script>alert("title")</script>')
    visit(page, f"{url}/articles/sources/")
    assert 'x`<img src=x onerror=alert("sources")>`.txt' in page.locator(".md-content").inner_text()


def test_a_title_with_line_breaks_adds_no_structure_to_other_pages(page, front_matter_site):
    """The related footers and topic lists show the title as one line of text: no <h1>, no list, no quote."""
    site, url, _ = front_matter_site
    visit(page, f"{url}/topics/optimizers/")
    assert page.locator(".md-content h1").count() == 1
    assert page.locator(".md-content h1:has-text('注入'), .md-content blockquote").count() == 0
    links = page.locator(".md-content a").all_inner_texts()
    assert any(text.startswith("断行") and "注入" in text for text in links)
    footers = [path for path in (site / "articles").glob("*/index.html") if "断行" in path.read_text(encoding="utf-8")]
    assert footers, "no related footer lists the article"
    for footer in footers:
        assert "<h1>注入</h1>" not in footer.read_text(encoding="utf-8"), footer
