"""How often site search lists the right page in its top 3, as Markdown tables for the README.

    .venv/bin/python scripts/search_hit_rate.py [--site DIR]

Types every query of the suites in ``tests/browser/search_cases/`` into Material's search box
in Debian's Chromium (``tests/browser/search_suite.py``, the same run the browser tests make)
and reports each expected page's rank, then the hit rate per suite and kind of query and
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
from tests.browser.search_suite import TOP, hit_rate_table, load_suites, rank_table, run_suites  # noqa: E402
from tests.sitebuild import build_site, make_project  # noqa: E402


def measure(site: Path, executable: str) -> list:
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            outcomes = run_suites(browser.new_page(), url, load_suites())
            browser.close()
    finally:
        server.shutdown()
    return outcomes


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
        elif not (site / "search" / "kb" / "index.json").is_file():
            sys.exit(f"{site}/search/kb/index.json: no built site with search; run `make site` first")
        outcomes = measure(site, executable)
    hits = sum(outcome.hit for outcome in outcomes)
    print(f"Search hit rate: {hits}/{len(outcomes)} queries list their page in the top {TOP}.\n")
    print(hit_rate_table(outcomes))
    print()
    print(rank_table(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
