"""The taxonomy's structure as a reader meets it in Chromium: an old topic URL lands on the renamed
topic, a parent topic's name in the sidebar opens its page with its children under it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_offline_page, serve
from tests.sitebuild import build_site, make_project, rename_topic

pytestmark = pytest.mark.browser

OLD_ID, NEW_ID = "rnn", "recurrent-neural-networks"


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("renamed-topic"))
    rename_topic(project / "taxonomy.yml", OLD_ID, NEW_ID)
    build_site(project)
    server, url = serve(project / "site")
    yield url
    server.shutdown()


def test_an_old_topic_url_lands_on_the_renamed_topic_keeping_the_anchor(browser, renamed_site):
    page = new_offline_page(browser, renamed_site)
    try:
        page.goto(f"{renamed_site}/topics/{OLD_ID}/#related", wait_until="load")
        page.wait_for_url(f"{renamed_site}/topics/{NEW_ID}/#related")
        assert page.locator("h1").first.inner_text().startswith("循环神经网络")
        assert page.outside_requests == []
    finally:
        page.context.close()


def test_an_old_topic_url_redirects_without_javascript(browser, renamed_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{renamed_site}/topics/{OLD_ID}/")
        page.wait_for_url(f"{renamed_site}/topics/{NEW_ID}/")
    finally:
        context.close()


def test_a_parent_topic_in_the_sidebar_opens_its_page_and_shows_its_children(browser, renamed_site):
    page = new_offline_page(browser, renamed_site, viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{renamed_site}/topics/adam-adamw/", wait_until="load")
        sidebar = page.locator("nav.md-nav--primary")
        child = sidebar.locator("a.md-nav__link", has_text="Adam 与 AdamW（")
        assert child.is_visible()
        parent = sidebar.locator(".md-nav__container > a.md-nav__link", has_text="优化器（")
        parent.click()
        page.wait_for_url(f"{renamed_site}/topics/optimizers/")
        assert page.locator("h1").first.inner_text().startswith("优化器")
        # still nested under it, now that the parent's page is open
        assert sidebar.locator("a.md-nav__link", has_text="Adam 与 AdamW（").is_visible()
        # an empty topic of the same section is not offered
        assert sidebar.locator("a.md-nav__link", has_text="随机梯度下降与动量").count() == 0
    finally:
        page.context.close()
