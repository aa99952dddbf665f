"""A real Chromium (Debian's, via Playwright) against the built site on a loopback server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from tests.browser.contributed_articles import build_contributed_site
from tests.sitebuild import ROOT, build_site, built_once, make_project, run_ingest

EVAL_DEV_FEEDS = ROOT / "tests" / "data" / "eval" / "dev"  # never the holdout folder: it is for measuring

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path, handler_class=QuietHandler, port: int = 0):
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def built_site(bundled_site_project) -> Path:
    """The bundled knowledge base, built once per test run (read-only)."""
    return bundled_site_project / "site"


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def contributed_site(tmp_path_factory):
    """``(site_dir, url)``: the bundled site with the contributors' articles of
    ``tests/browser/contributed_articles.py``, built once per run (read-only) and served."""
    project = built_once(tmp_path_factory, "contributed-site", build_contributed_site)
    server, url = serve(project / "site")
    yield project / "site", url
    server.shutdown()


@pytest.fixture(scope="session")
def eval_site(tmp_path_factory) -> Path:
    """The bundled knowledge base plus every article of the development evaluation dumps
    (``tests/data/eval/dev/*.txt``), ingested and built once per test session; returns the project."""
    project = make_project(tmp_path_factory.mktemp("eval-site-project"))
    feeds = project / "feeds"
    feeds.mkdir()
    for dump in [*sorted((ROOT / "feeds").glob("*.txt")), *sorted(EVAL_DEV_FEEDS.glob("*.txt"))]:
        shutil.copy2(dump, feeds / dump.name)
    result = run_ingest(project, "--feeds", "feeds")
    assert result.returncode == 0, result.stderr
    build_site(project)
    return project


@pytest.fixture(scope="session")
def eval_site_url(eval_site):
    server, url = serve(eval_site / "site")
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not on PATH: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def new_offline_page(browser, site_url: str, **context_options):
    """A page whose requests anywhere but ``site_url`` are blocked and listed in ``page.outside_requests``."""
    context = browser.new_context(**context_options)
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith(site_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.outside_requests = outside
    return page


@pytest.fixture
def offline_page(browser, site_url):
    """A page that fails the test on any request leaving the loopback server."""
    page = new_offline_page(browser, site_url)
    yield page
    page.context.close()
