"""Site search in a real Chromium, the way readers use it: Material's search box and result
list, answered by our worker from the site's chunked index (``ingest/site/search_worker.js``).

The query suites (``tests/browser/search_cases/*.json``: Chinese terms, English terms alone and
glued to Chinese, a Chinese name for what an article writes only in English and the reverse,
code identifiers, case variants) run once per session; every case's assertion and the
hit-rate table read that one run. The other tests type as people type (key by key, through an
input method, pasted), drive the keyboard, open ``?q=`` links and check that nothing leaves
the machine and no snippet shows TeX.
"""

from __future__ import annotations

import re
import socket
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import serve
from tests.browser.search_suite import (
    ANSWER_WORD,
    READY_TEXT,
    RESULT_META,
    SEARCH_INPUT,
    TOP,
    hit_rate_table,
    listed_pages,
    load_suites,
    open_search,
    rank_table,
    run_suites,
    search_results,
)
from tests.sitebuild import build_site, make_project

pytestmark = pytest.mark.browser

CASES = load_suites()
MIN_HIT_RATE = 0.95
ATTENTION = "articles/flash-attention-552173/"
COMMON_ERRORS = "articles/pytorch-common-errors-49dca9/"
GRADIENT_CHECKPOINTING = "articles/gradient-checkpointing-123078/"
OPTIMIZERS = "articles/adam-adamw-3fe259/"
RESULT_TEXTS = "li.md-search-result__item article"
# Pinyin keystrokes and the character an input method commits for each, for 梯度检查点.
PINYIN = [("ti", "梯"), ("du", "度"), ("jian", "检"), ("cha", "查"), ("dian", "点")]


@pytest.fixture(scope="session")
def search_outcomes(browser, site_url):
    """Every query of every suite, run once for the whole session, by case."""
    context = browser.new_context()
    try:
        outcomes = run_suites(context.new_page(), site_url, CASES)
    finally:
        context.close()
    return {outcome.case: outcome for outcome in outcomes}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_query_finds_its_page_in_the_top_3(search_outcomes, case):
    outcome = search_outcomes[case]
    assert outcome.hit, f"{case.query!r}: expected {case.expected} in the top {TOP} of {list(outcome.results)}"


def test_overall_hit_rate(search_outcomes, capsys):
    outcomes = list(search_outcomes.values())
    hits = sum(outcome.hit for outcome in outcomes)
    with capsys.disabled():
        print(f"\nsearch hit rate: {hits}/{len(outcomes)} queries list their page in the top {TOP}")
        print(hit_rate_table(outcomes))
    assert hits / len(outcomes) >= MIN_HIT_RATE, rank_table(outcomes)


def test_a_query_without_matches_lists_nothing(page, site_url):
    open_search(page, site_url)
    assert search_results(page, site_url, "zzqxjv") == []
    expect(page.locator(RESULT_META)).to_have_text("没有找到符合条件的结果")


def listed_pages_become(page: Page, expected: list[str], site_url: str) -> None:
    """Wait until the list shows exactly ``expected``, and check it stays so: an answer to an
    earlier, shorter query arriving late would replace it."""
    script = """([expected, base]) => JSON.stringify(
        [...document.querySelectorAll('li.md-search-result__item > a')]
            .map(a => new URL(a.href).pathname.slice(base.length))) === JSON.stringify(expected)"""
    base = re.sub(r"^https?://[^/]+", "", site_url).rstrip("/") + "/"
    page.wait_for_function(script, arg=[expected, base], timeout=10_000)
    page.wait_for_timeout(500)
    assert listed_pages(page, site_url) == expected


def answer_for(page: Page, site_url: str, query: str) -> list[str]:
    """The list for ``query`` entered at once, then the box emptied again."""
    results = search_results(page, site_url, query)
    box = page.locator(SEARCH_INPUT)
    box.fill("")
    box.press("End")
    expect(page.locator(RESULT_META)).to_have_text(READY_TEXT)
    return results


@pytest.mark.parametrize(
    ("query", "expected", "delay"),
    [("FlashAttention", ATTENTION, 80), ("weight decay", OPTIMIZERS, 80), ("expand_as", COMMON_ERRORS, 0)],
)
def test_a_query_typed_key_by_key_ends_on_its_own_results(offline_page, site_url, query, expected, delay):
    """Every keystroke is a query; only the last one's answer may stay on screen."""
    open_search(offline_page, site_url)
    final = answer_for(offline_page, site_url, query)
    assert expected in final[:TOP]
    offline_page.locator(SEARCH_INPUT).press_sequentially(query, delay=delay)
    listed_pages_become(offline_page, final, site_url)
    assert offline_page.outside_requests == []


def test_a_chinese_query_typed_through_an_input_method(offline_page, site_url):
    """Pinyin shows in the box while it is composed (and is searched: Material searches on every
    key release); each committed character replaces it, until 梯度检查点 stands alone."""
    open_search(offline_page, site_url)
    final = answer_for(offline_page, site_url, "梯度检查点")
    assert GRADIENT_CHECKPOINTING in final[:TOP]
    cdp = offline_page.context.new_cdp_session(offline_page)
    seen = []
    for keys, character in PINYIN:
        for typed in range(1, len(keys) + 1):
            cdp.send("Input.imeSetComposition", {"text": keys[:typed], "selectionStart": typed, "selectionEnd": typed})
            cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Process", "windowsVirtualKeyCode": 229})
        seen.append(offline_page.locator(SEARCH_INPUT).input_value())
        cdp.send("Input.insertText", {"text": character})
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": " ", "code": "Space", "windowsVirtualKeyCode": 32})
    assert seen == ["ti", "梯du", "梯度jian", "梯度检cha", "梯度检查dian"]  # the composition was in the box
    assert offline_page.locator(SEARCH_INPUT).input_value() == "梯度检查点"
    listed_pages_become(offline_page, final, site_url)
    assert offline_page.outside_requests == []


def test_a_pasted_query(offline_page, site_url):
    open_search(offline_page, site_url)
    final = answer_for(offline_page, site_url, "在介绍Transformer前")
    offline_page.keyboard.down("Control")
    offline_page.keyboard.insert_text("在介绍Transformer前")
    offline_page.keyboard.up("Control")
    listed_pages_become(offline_page, final, site_url)
    assert final and offline_page.outside_requests == []


def test_nothing_of_the_index_loads_until_the_first_query(offline_page, site_url):
    loaded = []
    offline_page.on("requestfinished", lambda request: loaded.append(request.url))
    open_search(offline_page, site_url)
    offline_page.wait_for_load_state("networkidle")
    assert not [url for url in loaded if "/search/kb/" in url]
    assert search_results(offline_page, site_url, "梯度检查点")
    fetched = [url for url in loaded if "/search/kb/" in url]
    assert any("/index.json" in url for url in fetched)
    assert any(re.search(r"/t\d+\.gz$", url) for url in fetched) and any(
        re.search(r"/p\d+\.gz$", url) for url in fetched
    )
    assert offline_page.outside_requests == []


@pytest.mark.parametrize("query", ["Softmax", "注意力", "Adam", "感受野"])
def test_snippets_show_rendered_text_never_tex_or_mathml(page, site_url, query):
    """Topic pages carry formulas: their snippets show what KaTeX drew, not its source."""
    open_search(page, site_url)
    assert search_results(page, site_url, query)
    texts = page.locator(RESULT_TEXTS).all_inner_texts()
    assert texts and any(text.strip() for text in texts)
    for text in texts:
        assert not re.search(r"\\[A-Za-z(\[]|\$\$|x-tex|<math|<span", text), text
    assert page.locator(f"{RESULT_TEXTS} mark").count() > 0  # the query is highlighted


def test_keyboard_opens_moves_through_and_closes_the_search(page, site_url):
    page.goto(site_url + "/")
    box = page.locator(SEARCH_INPUT)
    toggle = page.locator("#__search")
    for key in ("/", "s", "f"):
        page.locator("body").press(key)
        expect(box).to_be_focused()
        expect(toggle).to_be_checked()
        page.keyboard.press("Escape")
        expect(toggle).not_to_be_checked()
        expect(box).not_to_be_focused()
    page.locator("body").press("/")
    box.fill("Adam")
    box.press("End")
    expect(page.locator(RESULT_META)).to_contain_text(ANSWER_WORD)
    links = page.locator("li.md-search-result__item > a")
    assert links.count() >= 2
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    best = links.nth(0).get_attribute("href")
    page.keyboard.press("Enter")  # opens the best result
    page.wait_for_url(best)
    assert "h=Adam" in page.url


def test_the_opened_page_highlights_the_query(page, site_url):
    open_search(page, site_url)
    results = search_results(page, site_url, "梯度检查点")
    assert results[0] == GRADIENT_CHECKPOINTING
    page.locator("li.md-search-result__item > a").first.click()
    page.wait_for_url(re.compile(re.escape(GRADIENT_CHECKPOINTING) + r"\?h="))
    marks = page.locator(".md-content mark[data-md-highlight]")
    expect(marks.first).to_be_visible()
    assert "梯度检查点" in marks.all_inner_texts()


def test_a_q_link_opens_the_search_with_its_results(offline_page, site_url):
    offline_page.goto(f"{site_url}/topics/optimizers/?q={quote('权重衰减')}")
    expect(offline_page.locator("#__search")).to_be_checked()
    expect(offline_page.locator(SEARCH_INPUT)).to_have_value("权重衰减")
    expect(offline_page.locator(RESULT_META)).to_contain_text(ANSWER_WORD)
    assert OPTIMIZERS in listed_pages(offline_page, site_url)[:TOP]
    assert offline_page.outside_requests == []


@pytest.fixture(scope="module")
def site_at_its_own_address(tmp_path_factory):
    """The bundled site built for the address it is served at. Material's instant navigation
    loads a page in place only when its URL, port included, is in sitemap.xml, which holds the
    ``site_url`` of the build (the session site is served on a port chosen after it was built)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    project = make_project(tmp_path_factory.mktemp("own-address"))
    build_site(project, env={"SITE_URL": f"http://127.0.0.1:{port}/"})
    server, url = serve(project / "site", port=port)
    yield url
    server.shutdown()


def test_navigation_pages_load_in_place_and_search_keeps_working(page, site_at_its_own_address):
    """Pages of the navigation are in the small sitemap.xml and load in place; Material's worker,
    with what it loaded, outlives the move. Article pages (not listed) load as new pages."""
    site_url = site_at_its_own_address
    page.goto(site_url + "/")
    page.evaluate("window.kbStillHere = true")
    page.locator(".md-content a[href$='all-articles/']").first.click()
    page.wait_for_url(re.compile(r"all-articles/(#.*)?$"))  # anchor tracking may add the heading in view
    assert page.evaluate("window.kbStillHere === true"), "the page was reloaded, not navigated in place"
    page.locator(SEARCH_INPUT).click()
    assert GRADIENT_CHECKPOINTING in search_results(page, site_url, "gradient checkpointing")[:TOP]
    page.locator("li.md-search-result__item > a").first.click()
    page.wait_for_url(re.compile(re.escape(GRADIENT_CHECKPOINTING)))
    assert page.evaluate("window.kbStillHere === undefined"), "an article page was expected to load anew"
