"""A feed file's name reaches every article's provenance footer (``sources`` are ``FILE:LINE``): it is text.

Dumps named like HTML and like a code span closing are ingested for real and built strictly; the
footer must show each name literally, run nothing, and no name may close the ``<code>`` it sits in.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import serve
from tests.browser.xss import static_findings, visit
from tests.sitebuild import build_site, make_project, run_ingest

# Builds sites of its own from hostile input: `make test-slow` (CI runs it too).
pytestmark = [pytest.mark.browser, pytest.mark.slow]

HEADER = "INCOMING TRANSMISSION\n\nLATEST UPDATES\n"
FEEDS = {
    "<img src=x onerror=alert('feed-img')>.txt": "优化器 Adam 的偏差修正项在训练初期很重要，本文推导它的来历...",
    "`<svg onload=alert('feed-tick')>`.txt": "注意力机制让模型在每一步查看输入序列的全部位置，按相关程度加权...",
    "a $x$ [l](javascript:alert('feed-md')) *b*.txt": "混合精度训练用 FP16 存储激活值并保留 FP32 主权重以免下溢...",
}


@pytest.fixture(scope="module")
def feed_name_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("xss-feed-names"), with_bundled_docs=False)
    feeds = project / "feeds"
    feeds.mkdir()
    for name, excerpt in FEEDS.items():
        (feeds / name).write_text(HEADER + excerpt + "\n", encoding="utf-8")
    result = run_ingest(project)
    assert result.returncode == 0, result.stderr
    build_site(project)
    pages = {}
    for path in (project / "docs" / "articles").glob("*.md"):
        for name in FEEDS:
            if name in path.read_text(encoding="utf-8"):
                pages[name] = f"articles/{path.stem}/"
    assert set(pages) == set(FEEDS), pages
    server, url = serve(project / "site")
    yield project / "site", url, pages
    server.shutdown()


def test_no_page_holds_anything_that_runs(feed_name_site):
    site, _, _ = feed_name_site
    assert static_findings(site) == []


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_the_footer_shows_the_file_name_literally(page, feed_name_site, name):
    _, url, pages = feed_name_site
    assert visit(page, f"{url}/{pages[name]}") == []
    sources = page.locator(".admonition.info code").all_inner_texts()
    assert sources == [f"feeds/{name}"]
    assert page.locator(".admonition.info a, .admonition.info em, .admonition.info .katex").count() == 0
