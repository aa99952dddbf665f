"""Excerpts full of HTML, links, template and math syntax show as text and run nothing.

A tiny feed dump goes through the real ingest and a real ``mkdocs build --strict``; every
article page is then opened in Chromium. A dialog from any ``alert(...)`` fails the test.
"""

from __future__ import annotations

import frontmatter
import pytest

from tests.browser.conftest import serve
from tests.sitebuild import build_site, make_project, run_ingest

pytestmark = pytest.mark.browser

# (excerpt, the hostile strings it must show literally). Each names a topic so it gets tagged,
# and each opens with its hostile part so the guessed title carries it too.
ENTRIES = [
    ('<script>alert("script")</script> 激活函数 ReLU 的注意事项...', ['<script>alert("script")</script>']),
    ('<img src=x onerror=alert("img")> 优化器 Adam 的示意图...', ['<img src=x onerror=alert("img")>']),
    ('[点我](javascript:alert("link")) 注意力机制 attention 的链接...', ['[点我](javascript:alert("link"))']),
    (
        '{{ config.site_name }} 和 {% include "x.html" %} 模板语法出现在 Transformer 的文章里...',
        ["{{ config.site_name }}", '{% include "x.html" %}'],
    ),
    ("价格从 $5 到 $10 不等，混合精度 FP16 训练更便宜...", ["$5 到 $10"]),
    ("感知机 a*b*c 与 x_1w_1 + x_2w_2 的加权和，超过阈值就激活...", ["a*b*c", "x_1w_1"]),
]
FEED_HEADER = ["INCOMING TRANSMISSION", "", "LATEST UPDATES"]

# Everything the page could have grown from an excerpt, collected in the browser.
DOM_REPORT = """() => {
  const all = [...document.querySelectorAll('*')];
  return {
    scripts: [...document.scripts].map(s => s.textContent).filter(t => t.includes('alert(')),
    handlers: all.flatMap(el => [...el.attributes]
        .filter(a => a.name.toLowerCase().startsWith('on'))
        .map(a => `${el.tagName} ${a.name}=${a.value}`)),
    javascriptUrls: all.flatMap(el => ['href', 'src', 'action', 'formaction']
        .map(name => el.getAttribute(name) || '')
        .filter(value => value.trim().toLowerCase().startsWith('javascript:'))),
    images: [...document.querySelectorAll('.md-content img')].map(img => img.outerHTML),
    math: document.querySelectorAll('.md-content .katex, .md-content .arithmatex').length,
    heading: (document.querySelector('.md-content h1') || {}).textContent || '',
    text: document.querySelector('.md-content').innerText,
  };
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """``{feed line: article URL path}`` for the hostile feed, and the loopback URL serving it."""
    project = make_project(tmp_path_factory.mktemp("hostile"), with_bundled_docs=False)
    feed = project / "feeds" / "hostile.txt"
    feed.parent.mkdir()
    feed.write_text("\n".join(FEED_HEADER + [text for text, _ in ENTRIES]) + "\n", encoding="utf-8")
    result = run_ingest(project)
    assert result.returncode == 0, result.stderr
    build_site(project)
    pages = {}
    for path in (project / "docs" / "articles").glob("*.md"):
        meta = frontmatter.load(path)
        for source in meta["sources"]:
            pages[int(source.rsplit(":", 1)[1])] = (f"articles/{path.stem}/", meta["title"])
    server, url = serve(project / "site")
    yield url, pages
    server.shutdown()


@pytest.mark.parametrize("index", range(len(ENTRIES)), ids=[strings[0] for _, strings in ENTRIES])
def test_hostile_excerpt_shows_literally_and_runs_nothing(page, hostile_site, index):
    url, pages = hostile_site
    excerpt, hostile_strings = ENTRIES[index]
    line = len(FEED_HEADER) + 1 + index
    assert line in pages, f"no article for feed line {line}: {pages}"
    path, title = pages[line]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"{url}/{path}", wait_until="load")
    page.wait_for_timeout(300)  # time for an image error or a deferred script to fire
    report = page.evaluate(DOM_REPORT)

    for hostile in hostile_strings:
        assert hostile in report["text"], f"{hostile!r} not shown literally on {path}"
    assert report["heading"] == title, "the guessed title must show as written"
    assert page.title().startswith(title)
    assert dialogs == []
    assert report["scripts"] == []
    assert report["handlers"] == []
    assert report["javascriptUrls"] == []
    assert report["images"] == []
    assert report["math"] == 0, "dollar signs in an excerpt are not math"


def test_hostile_titles_stay_text_in_topic_lists_and_search(page, hostile_site):
    url, pages = hostile_site
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"{url}/all-articles/", wait_until="load")
    listed = page.locator(".md-content a").all_inner_texts()
    for _, title in pages.values():
        assert title in listed, f"{title!r} not listed literally on all-articles"
    report = page.evaluate(DOM_REPORT)
    assert report["handlers"] == [] and report["javascriptUrls"] == [] and report["scripts"] == []

    # Search results are rendered by Material's JavaScript from the index: still only text.
    # Material searches on keyup: fill the box, then press a key that types nothing.
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("onerror")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.wait_for_timeout(300)
    results = page.locator(".md-search-result").inner_text()
    assert "<img src=x onerror" in results
    assert page.locator(".md-search-result img").count() == 0
    assert dialogs == []
