"""How often site search lists the right article in its top 3, as a Markdown table for the README.

    .venv/bin/python scripts/search_hit_rate.py [--site DIR]

Types every query of ``tests/browser/test_search.py`` into Material's search box in Debian's
Chromium and reports each expected article's rank, then the hit rate per kind of query and
overall. Without ``--site`` it builds the bundled knowledge base into a temporary folder first
(``mkdocs build --strict``, as the tests do); ``--site site`` measures what ``make site`` built.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_FLAGS, serve  # noqa: E402 - needs ROOT on sys.path
from tests.browser.test_search import (  # noqa: E402
    CASES,
    TOP,
    hit_rate_table,
    is_hit,
    open_search,
    rank_of,
    rank_table,
    search_results,
)
from tests.sitebuild import build_site, make_project  # noqa: E402


def measure(site: Path, executable: str) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            page = browser.new_page()
            open_search(page, url)
            rows = [(case, rank_of(case, search_results(page, url, case.query))) for case in CASES]
            browser.close()
    finally:
        server.shutdown()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already built site (default: build the bundled one)")
    args = parser.parse_args(argv)

    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("chromium is not on PATH: run `make browser`")
    with tempfile.TemporaryDirectory(prefix="search-hit-rate-") as scratch:
        site = args.site
        if site is None:
            project = make_project(Path(scratch) / "project")
            build_site(project)
            site = project / "site"
        elif not (site / "search" / "search_index.json").is_file():
            sys.exit(f"{site}/search/search_index.json: no built site with search; run `make site` first")
        rows = measure(site, executable)
    hits = sum(is_hit(rank) for _, rank in rows)
    print(f"Search hit rate: {hits}/{len(rows)} queries list their article in the top {TOP}.\n")
    print(hit_rate_table(rows))
    print()
    print(rank_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
