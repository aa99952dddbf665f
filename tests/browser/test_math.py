"""Formulas arrive as KaTeX HTML built at build time; the page needs nothing off the machine."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_offline_page
from tests.browser.contributed_articles import MATH_ARTICLE_PATH

pytestmark = pytest.mark.browser

MATH_REPORT = """async () => {
  await document.fonts.ready;
  const content = document.querySelector('.md-content');
  const katex = [...content.querySelectorAll('.katex')];
  return {
    inline: content.querySelectorAll('span.arithmatex > .katex').length,
    display: content.querySelectorAll('div.arithmatex .katex-display').length,
    unrendered: [...content.querySelectorAll('.arithmatex')].filter(el => !el.querySelector('.katex')).length,
    errors: content.querySelectorAll('.katex-error').length,
    narrowest: Math.min(...katex.map(el => el.querySelector('.katex-html').getBoundingClientRect().width)),
    text: content.innerText,
    katexFontLoaded: document.fonts.check('16px KaTeX_Main') && document.fonts.check('italic 16px KaTeX_Math'),
    loadedFaces: [...document.fonts].filter(face => face.status === 'loaded').map(face => face.family),
  };
}"""


def open_and_measure(page, url: str) -> tuple[dict, list[str]]:
    fonts: list[str] = []
    page.on("response", lambda response: fonts.append(response.url) if "/KaTeX_" in response.url else None)
    response = page.goto(url, wait_until="load")
    assert response.ok, url
    return page.evaluate(MATH_REPORT), fonts


def assert_rendered(report: dict, fonts: list[str], site_url: str, outside: list[str]) -> None:
    assert report["unrendered"] == 0 and report["errors"] == 0
    assert report["narrowest"] > 0, "every formula must take up space on the page"
    for raw in ("$$", "\\[", "\\]", "\\(", "\\)", "\\frac"):
        assert raw not in report["text"], f"raw TeX {raw!r} visible"
    assert report["katexFontLoaded"], report["loadedFaces"]
    assert fonts, "KaTeX fonts were never requested"
    assert all(font.startswith(f"{site_url}/assets/katex/fonts/") for font in fonts), fonts
    assert outside == []


def test_topic_page_formulas_render_offline(offline_page, site_url):
    report, fonts = open_and_measure(offline_page, f"{site_url}/topics/optimizers/")
    assert report["display"] >= 1, "the taxonomy's key formulas are display math"
    assert report["inline"] >= 1, "the topic description holds inline math"
    assert_rendered(report, fonts, site_url, offline_page.outside_requests)


def test_article_page_loads_nothing_from_outside(offline_page, site_url, built_site):
    article = sorted((built_site / "articles").iterdir())[0].name
    report, _ = open_and_measure(offline_page, f"{site_url}/articles/{article}/")
    assert report["unrendered"] == 0 and "$$" not in report["text"]
    stylesheets = offline_page.evaluate("[...document.styleSheets].map(sheet => sheet.href).filter(Boolean)")
    assert any(href.startswith(f"{site_url}/assets/katex/") for href in stylesheets), stylesheets
    assert offline_page.outside_requests == []


def test_contributed_article_inline_and_display_math_render_offline(browser, contributed_site):
    _, url = contributed_site
    page = new_offline_page(browser, url)
    try:
        report, fonts = open_and_measure(page, f"{url}/{MATH_ARTICLE_PATH}")
        assert report["inline"] == 2
        assert report["display"] == 2
        assert_rendered(report, fonts, url, page.outside_requests)
    finally:
        page.context.close()
