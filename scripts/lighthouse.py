"""Lighthouse scores for pages of the built site, measured with Debian's Chromium.

    make site && .venv/bin/python scripts/lighthouse.py [PAGE ...] [--desktop]

PAGE is a site path such as ``articles/<name>/`` (default: the first article). Lighthouse is a
measuring tool, not a dependency of the site: the first run installs it from npm into a cache
folder outside the repository (``$LIGHTHOUSE_HOME``, default ``~/.cache/ml-kb-lighthouse``),
pinned to a release that runs on Debian's Node 20. The site is served from ``site/`` on
loopback with gzip, as static hosts (GitHub Pages included) serve it. Reports go to
``build/lighthouse/<page>.report.{json,html}``; the scores and every audit that costs points
are printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_FLAGS, QuietHandler, serve  # noqa: E402 - needs ROOT on sys.path

LIGHTHOUSE_VERSION = "12.8.2"  # 13.x needs Node >= 22; Debian ships 20
CATEGORIES = "performance,accessibility,best-practices,seo"
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class GzipHandler(QuietHandler):
    """Serve text gzipped when the browser asks for it; everything else as the stock handler does."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def lighthouse_cli() -> Path:
    home = Path(os.environ.get("LIGHTHOUSE_HOME", Path.home() / ".cache" / "ml-kb-lighthouse"))
    package = home / "node_modules" / "lighthouse"
    installed = package / "package.json"
    if not installed.is_file() or json.loads(installed.read_text())["version"] != LIGHTHOUSE_VERSION:
        if shutil.which("npm") is None:
            sys.exit("npm is not installed: run `make setup`")
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {home}", file=sys.stderr)
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(home), "--no-audit", "--no-fund", "--no-save", "--loglevel=error"]
            + [f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
            stdout=sys.stderr,
        )
    return package / "cli" / "index.js"


def first_article(site: Path) -> str:
    pages = sorted((site / "articles").glob("*/index.html"))
    if not pages:
        sys.exit(f"{site}/articles: no article pages; run `make site` first")
    return pages[0].parent.relative_to(site).as_posix() + "/"


def summarize(report: dict) -> list[str]:
    lines = [f"{category['title']}: {round(category['score'] * 100)}" for category in report["categories"].values()]
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = f" = {audit['displayValue']}" if audit.get("displayValue") else ""
                lines.append(f"  {category['title']}: {audit['id']} ({audit['score']}{value})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", help="site paths such as articles/<name>/ (default: first article)")
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "lighthouse")
    parser.add_argument("--desktop", action="store_true", help="desktop preset instead of the throttled phone")
    args = parser.parse_args(argv)

    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not chrome:
        sys.exit("chromium is not on PATH: run `make browser`")
    if not (args.site / "index.html").is_file():
        sys.exit(f"{args.site}/index.html: no built site; run `make site` first")
    cli = lighthouse_cli()
    pages = args.pages or [first_article(args.site)]
    args.out.mkdir(parents=True, exist_ok=True)
    flags = " ".join(["--headless=new", *CHROMIUM_FLAGS])

    server, url = serve(args.site, handler_class=GzipHandler)
    try:
        for page in pages:
            name = page.strip("/").replace("/", "_") or "home"
            command = ["node", str(cli), f"{url}/{page}", "--quiet", f"--chrome-flags={flags}"]
            command += [f"--only-categories={CATEGORIES}", "--output=json", "--output=html"]
            command += [f"--output-path={args.out / name}"] + (["--preset=desktop"] if args.desktop else [])
            if subprocess.run(command, env={**os.environ, "CHROME_PATH": chrome}).returncode != 0:
                print(f"{page}: lighthouse failed (see its message above)", file=sys.stderr)
                return 1
            report = json.loads((args.out / f"{name}.report.json").read_text(encoding="utf-8"))
            print(f"{page} (lighthouse {report['lighthouseVersion']}, {report['configSettings']['formFactor']})")
            print("\n".join(summarize(report)))
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
