"""Query suites for the site search: queries typed into Material's search box in Chromium.

A suite is a JSON file in ``tests/browser/search_cases/``: a list of
``{"kind": ..., "query": ..., "expected": "articles/<slug>/"}``, where ``expected`` is the
page's URL path under the site root and ``kind`` groups queries in the hit-rate table. A case
is a hit when its page is among the first ``TOP`` results. Add a suite by adding a file.

Both ``tests/browser/test_search.py`` (once per test session, shared by its assertions and its
table) and ``scripts/search_hit_rate.py`` run the suites through ``run_suites``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

SUITES_DIR = Path(__file__).resolve().parent / "search_cases"
TOP = 3
SEARCH_INPUT = "input.md-search__input"
RESULT_META = ".md-search-result__meta"
RESULT_ITEMS = "li.md-search-result__item"
# Material's Chinese UI: 键入以开始搜索 while the box is empty (and the worker ready); every
# answer ("12 个符合条件的结果", "没有找到符合条件的结果") says 结果.
READY_TEXT = "键入以开始搜索"
ANSWER_WORD = "结果"


@dataclass(frozen=True)
class SearchCase:
    suite: str
    kind: str
    query: str
    expected: str

    def __str__(self) -> str:
        return f"{self.suite}: {self.kind}: {self.query}"


@dataclass(frozen=True)
class Outcome:
    case: SearchCase
    results: tuple[str, ...]  # URL paths of the listed pages, best first

    @property
    def rank(self) -> int | None:
        """1-based position of the expected page, or None when it is not listed."""
        return self.results.index(self.case.expected) + 1 if self.case.expected in self.results else None

    @property
    def hit(self) -> bool:
        return self.rank is not None and self.rank <= TOP


def load_suites(folder: Path = SUITES_DIR) -> list[SearchCase]:
    cases = []
    for path in sorted(folder.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            cases.append(SearchCase(path.stem, entry["kind"], entry["query"], entry["expected"]))
    return cases


def site_path(href: str, site_url: str) -> str:
    """``http://host/base/articles/x/?h=..`` -> ``articles/x/``."""
    base = urlsplit(site_url).path.rstrip("/")
    return urlsplit(href).path.removeprefix(base).lstrip("/")


def open_search(page: Page, site_url: str, path: str = "/") -> None:
    """Open a page's search box and wait until Material says it is ready to search."""
    page.goto(site_url + path)
    page.locator(SEARCH_INPUT).click()
    expect(page.locator(RESULT_META)).to_have_text(READY_TEXT)


def listed_pages(page: Page, site_url: str) -> list[str]:
    hrefs = page.locator(RESULT_ITEMS).evaluate_all("items => items.map(item => item.querySelector('a').href)")
    return [site_path(href, site_url) for href in hrefs]


def search_results(page: Page, site_url: str, query: str) -> list[str]:
    """Enter ``query`` into the open search box; the URL paths of the listed pages, best first.

    ``fill`` enters the text the way a paste or an input method does, and the key press gives
    Material the ``keyup`` it searches on. Clearing first (and waiting for the empty box's
    placeholder) makes the answer awaited below this query's.
    """
    box = page.locator(SEARCH_INPUT)
    meta = page.locator(RESULT_META)
    box.fill("")
    box.press("End")
    expect(meta).to_have_text(READY_TEXT)
    box.fill(query)
    box.press("End")
    expect(meta).to_contain_text(ANSWER_WORD)
    return listed_pages(page, site_url)


def run_suites(page: Page, site_url: str, cases: list[SearchCase]) -> list[Outcome]:
    """Every case in one page, one after another, as a reader would search."""
    open_search(page, site_url)
    return [Outcome(case, tuple(search_results(page, site_url, case.query))) for case in cases]


def rank_table(outcomes: list[Outcome]) -> str:
    """Markdown, one line per query: where its page came."""
    lines = ["| suite | kind | query | expected page | rank | in top 3 |", "| --- | --- | --- | --- | --- | --- |"]
    for outcome in outcomes:
        case = outcome.case
        hit = "yes" if outcome.hit else "**no**"
        lines.append(
            f"| {case.suite} | {case.kind} | `{case.query}` | `{case.expected}` | {outcome.rank or '-'} | {hit} |"
        )
    return "\n".join(lines)


def hit_rate_table(outcomes: list[Outcome]) -> str:
    """Markdown: the hit rate per suite and kind of query, then overall."""
    lines = ["| suite | kind of query | page in top 3 |", "| --- | --- | --- |"]
    groups = list(dict.fromkeys((outcome.case.suite, outcome.case.kind) for outcome in outcomes))
    for group in [*groups, None]:
        chosen = [o for o in outcomes if group is None or (o.case.suite, o.case.kind) == group]
        hits = sum(o.hit for o in chosen)
        suite, kind = group or ("", "**all**")
        lines.append(f"| {suite} | {kind} | {hits}/{len(chosen)} ({hits / len(chosen):.0%}) |")
    return "\n".join(lines)
