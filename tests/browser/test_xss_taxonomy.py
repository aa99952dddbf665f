"""A hostile taxonomy.yml runs nothing: section and topic names, aliases, descriptions, formula names
and TeX all reach HTML escaped (navigation, topic pages, the map, tags, article footers).

The taxonomy is reviewed input, but every one of these fields used to run a script on every page.
The bundled feeds are ingested again under the hostile taxonomy (so articles carry the hostile
topic names as tags), and the site is built without ``--strict`` (a TeX formula that closes
``$$`` is also a KaTeX error, which strict builds refuse), then read statically and in Chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from tests.browser.conftest import serve
from tests.browser.xss import payloads, static_findings, visit
from tests.sitebuild import ROOT, make_project, run_ingest

# Builds sites of its own from hostile input: `make test-slow` (CI runs it too).
pytestmark = [pytest.mark.browser, pytest.mark.slow]

LINE_BREAKS = "\r# 标题\u2028- 列表\x85> 引用\n\n# H1"


HOSTILE_TOPIC = "adam-adamw"  # a topic a bundled article is tagged with, in a section the navigation shows


def hostile_taxonomy(data: dict) -> dict:
    topic = next(topic for topic in data["topics"] if topic["id"] == HOSTILE_TOPIC)
    section = next(section for section in data["sections"] if section["id"] == topic["section"])
    section["zh"] += "".join(payloads("section")) + LINE_BREAKS
    section["en"] += payloads("section-en")[1]
    topic["zh"] += payloads("zh")[3] + payloads("zh")[1] + LINE_BREAKS
    topic["en"] += payloads("en")[3] + "`"
    topic["aliases"].append("`" + payloads("alias")[1] + "`")
    topic["description"] = (
        "说明 $x^2$ 仍是公式。" + "".join(payloads("description")) + " [点](javascript:alert('description-link'))"
        " <div onclick=\"alert('description-div')\">x</div>\n\n$$\n</div><script>alert('description-math')</script>\n$$"
    )
    topic["formulas"] = [
        {"name": "名字" + payloads("formula-name")[1], "tex": "x $$\n</div><script>alert('tex')</script>\n$$"},
        {"name": "文字", "tex": "\\text{</div><script>alert('tex-text')</script>}"},
    ]
    return data


@pytest.fixture(scope="module")
def hostile_taxonomy_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("xss-taxonomy"), with_bundled_docs=False)
    path = project / "taxonomy.yml"
    path.write_text(yaml.safe_dump(hostile_taxonomy(yaml.safe_load(path.read_text(encoding="utf-8")))), "utf-8")
    assert run_ingest(project, "--feeds", str(ROOT / "feeds")).returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--quiet"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    server, url = serve(project / "site")
    yield project / "site", url
    server.shutdown()


def test_no_page_of_the_site_holds_anything_that_runs(hostile_taxonomy_site):
    site, _ = hostile_taxonomy_site
    assert static_findings(site) == []


@pytest.mark.parametrize(
    "path", ["", f"topics/{HOSTILE_TOPIC}/", "topics/perceptron-and-bias/", "all-articles/", "tags/"]
)
def test_pages_showing_taxonomy_text_run_nothing_in_chromium(page, hostile_taxonomy_site, path):
    _, url = hostile_taxonomy_site
    assert visit(page, f"{url}/{path}") == []


def test_names_show_as_written(page, hostile_taxonomy_site):
    _, url = hostile_taxonomy_site
    assert visit(page, f"{url}/topics/{HOSTILE_TOPIC}/") == []
    heading = page.locator(".md-content h1").inner_text()
    assert "</small></h1><script>alert('zh-close')</script>" in heading
    assert "Adam and AdamW</small></h1><script>alert('en-close')</script>" in heading
    description = page.locator(".kb-description").inner_text()
    assert "<script>alert('description-script')</script>" in description
    assert "<div onclick=\"alert('description-div')\">x</div>" in description
    assert page.locator(".kb-description .katex").count() == 2, "math in a description still renders"
    assert page.locator(".kb-description a").count() == 0, "a javascript: link keeps only its text"
    navigation = page.locator(".md-nav").first.inner_text()
    assert "<img src=x onerror=alert('section-img')>" in navigation


def test_line_breaks_in_names_add_no_structure(page, hostile_taxonomy_site):
    _, url = hostile_taxonomy_site
    assert visit(page, f"{url}/all-articles/") == []
    headings = page.locator(".md-content h1").all_inner_texts()
    assert len(headings) == 1, headings  # "\n\n# H1" in a section name made no heading
    assert page.locator(".md-content blockquote").count() == 0


def test_an_article_tagged_with_the_hostile_topic_runs_nothing(page, hostile_taxonomy_site):
    site, url = hostile_taxonomy_site
    [article] = [path for path in (site / "articles").iterdir() if path.name.startswith(f"{HOSTILE_TOPIC}-")]
    assert visit(page, f"{url}/articles/{article.name}/") == []
    tags = page.locator(".md-tags").inner_text()
    assert "<img src=x onerror=alert('zh-img')>" in tags
