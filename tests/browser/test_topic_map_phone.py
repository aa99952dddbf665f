"""The home page's topic map on a phone (375 px): every topic on screen, nothing to scroll sideways."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
MAP_STATE = """() => {
  const root = document.scrollingElement;
  const map = document.querySelector('.kb-topic-map');
  const visible = el => el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().width > 0;
  const links = [...document.querySelectorAll('.kb-topic-list a')].map(a => {
    const box = a.getBoundingClientRect();
    return {topic: a.dataset.topic, left: box.left, right: box.right, shown: visible(a)};
  });
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
          mapScroll: map.scrollWidth, mapClient: map.clientWidth,
          svgShown: visible(document.querySelector('.kb-topic-map__svg')),
          listShown: visible(document.querySelector('.kb-topic-list')), links};
}"""


def mapped_topics(built_site) -> list[str]:
    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [link["data-topic"] for link in home.select(".kb-topic-map svg a")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_shows_every_topic_as_a_list_without_sideways_scrolling(browser, built_site, site_url, scheme):
    topics = mapped_topics(built_site)
    assert len(topics) >= 20
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{site_url}/", wait_until="load")
        state = page.evaluate(MAP_STATE)
    finally:
        context.close()
    assert state["scrollWidth"] <= state["clientWidth"]
    assert state["mapScroll"] <= state["mapClient"]  # the map's own box does not scroll either
    assert state["listShown"] and not state["svgShown"]
    assert [link["topic"] for link in state["links"]] == topics
    for link in state["links"]:
        assert link["shown"] and link["left"] >= 0 and link["right"] <= PHONE["width"], link


def test_desktop_shows_the_map_and_hides_the_list(browser, site_url):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{site_url}/", wait_until="load")
        state = page.evaluate(MAP_STATE)
    finally:
        context.close()
    assert state["svgShown"] and not state["listShown"]
    assert state["scrollWidth"] <= state["clientWidth"]
