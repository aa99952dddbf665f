"""Phones: no page of the bundled knowledge base scrolls sideways; markers stay readable."""

from __future__ import annotations

import pytest

# Every page of the site opened at phone width in both palettes: `make test-slow` (CI runs it too).
pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 375, "height": 812}
OVERFLOW = """() => {
  const root = document.scrollingElement;
  const wide = [...document.querySelectorAll('.md-content *')]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
    .filter(el => !el.closest('div.arithmatex, pre, .md-typeset__scrollwrap, .highlight'))
    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide: wide.slice(0, 5)};
}"""
# WCAG contrast of each marker's text against its own background (the marker paints one).
MARKER_CONTRAST = """() => [...document.querySelectorAll('.kb-dropped')].map(el => {
  const rgb = value => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const channel = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const style = getComputedStyle(el);
  const [light, dark] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))].sort((a, b) => b - a);
  const box = el.getBoundingClientRect();
  return {contrast: (light + 0.05) / (dark + 0.05), width: box.width, height: box.height, text: el.innerText};
})"""


def site_pages(built_site, folder: str) -> list[str]:
    return sorted(f"{folder}/{page.parent.name}/" for page in (built_site / folder).glob("*/index.html"))


@pytest.fixture
def phone_page(browser, request):
    context = browser.new_context(viewport=PHONE, color_scheme=request.param)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("phone_page", ["light", "dark"], indirect=True)
def test_no_page_scrolls_sideways_on_a_phone(phone_page, built_site, site_url):
    pages = site_pages(built_site, "articles") + site_pages(built_site, "topics") + [""]
    assert len(pages) > 10
    too_wide = {}
    for path in pages:
        phone_page.goto(f"{site_url}/{path}", wait_until="load")
        report = phone_page.evaluate(OVERFLOW)
        if report["scrollWidth"] > report["clientWidth"]:
            too_wide[path] = report
    assert too_wide == {}


@pytest.mark.parametrize("phone_page", ["light", "dark"], indirect=True)
def test_dropped_content_markers_are_visible_and_named(phone_page, built_site, site_url):
    marked = [
        path
        for path in site_pages(built_site, "articles")
        if "kb-dropped" in (built_site / path / "index.html").read_text(encoding="utf-8")
    ]
    assert marked, "the bundled feeds have [公式]/[代码] placeholders"
    phone_page.goto(f"{site_url}/{marked[0]}", wait_until="load")
    markers = phone_page.evaluate(MARKER_CONTRAST)
    assert markers
    for marker in markers:
        assert marker["contrast"] >= 7, marker
        assert marker["width"] > 0 and marker["height"] > 0
    names = [
        phone_page.get_by_text(label, exact=True).count() for label in {m["text"].strip(" ⚠\u00a0") for m in markers}
    ]
    assert all(names)
    snapshot = phone_page.locator(".md-content").aria_snapshot()
    assert "公式缺失" in snapshot or "代码缺失" in snapshot
    assert "⚠" not in snapshot, "the warning icon is decoration, not part of the accessible text"
