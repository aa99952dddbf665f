"""Screenshots of the built site for a look-and-feel review: phone and desktop, light and dark.

    make site && .venv/bin/python scripts/screenshots.py [--site site] [--out build/screenshots]
        [--topic optimizers] [--article articles/<name>/] [--readme assets/screenshot.png]

Writes ``<page>-<width>-<scheme>.png`` (full page) for the home page, a topic page and an article
page, served from ``--site`` on loopback and shot with Debian's Chromium. ``--readme`` also writes
the README's picture: the home page at 1280 px, light scheme, first screen only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_FLAGS, serve  # noqa: E402 - needs ROOT on sys.path

WIDTHS = {"375": {"width": 375, "height": 812}, "1280": {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")
README_MAX_BYTES = 300 * 1024


def pick_article(site: Path) -> str:
    """An article showing a dropped-formula marker, the part of an article most worth looking at."""
    pages = sorted((site / "articles").glob("*/index.html"))
    if not pages:
        sys.exit(f"{site}/articles: no article pages; run `make site` first")
    for page in pages:
        if "kb-dropped" in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(site).as_posix() + "/"
    return pages[0].parent.relative_to(site).as_posix() + "/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site/)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument("--topic", default="optimizers", help="topic id to shoot (default: optimizers)")
    parser.add_argument("--article", help="article path such as articles/<name>/ (default: one with a marker)")
    parser.add_argument("--readme", type=Path, help="also write the README screenshot here")
    args = parser.parse_args(argv)

    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site}/index.html: no built site; run `make site` first")
    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("chromium is not on PATH: run `make browser`")
    pages = {"home": "", "topic": f"topics/{args.topic}/", "article": args.article or pick_article(args.site)}
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    server, url = serve(args.site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            for width, viewport in WIDTHS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(viewport=viewport, color_scheme=scheme)
                    page = context.new_page()
                    for name, path in pages.items():
                        page.goto(f"{url}/{path}", wait_until="networkidle")
                        target = args.out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=target, full_page=True)
                        print(target)
                    context.close()
            if args.readme:
                context = browser.new_context(viewport=WIDTHS["1280"], color_scheme="light")
                page = context.new_page()
                page.goto(f"{url}/", wait_until="networkidle")
                args.readme.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=args.readme)
                context.close()
                size = args.readme.stat().st_size
                print(f"{args.readme} ({size // 1024} KB)")
                if size > README_MAX_BYTES:
                    print(f"{args.readme}: {size // 1024} KB is over the {README_MAX_BYTES // 1024} KB budget")
                    return 1
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
