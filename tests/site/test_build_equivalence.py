"""What makes a large build faster changes no byte of the site a reader gets.

Two shortcuts of the kb plugin only matter at thousands of pages, so the bundled site is built
twice with them switched the other way:

- the second process (``ingest/site/second_process.py``), which makes related articles,
  descriptions and search records beside MkDocs, used from ``FROM_PAGES`` pages: forced on here;
- the navigation sidebar rendered once per folder (``ingest/site/nav_memo.py``): off here, with
  ``overrides/partials/nav.html`` removed, so Material renders it for every page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.sitebuild import ROOT, make_project

# The build with the second process forced on; it writes which work the process was given.
BUILD_WITH_SECOND_PROCESS = """
import atexit, json, sys
from ingest.site import second_process

second_process.FROM_PAGES = 1
given = set()
submit = second_process.SecondProcess.submit

def counted(self, function, *arguments):
    future = submit(self, function, *arguments)
    if future is not None:
        given.add(function.__name__)
    return future

second_process.SecondProcess.submit = counted
atexit.register(lambda: open(sys.argv[1], "w").write(json.dumps(sorted(given))))
from mkdocs.__main__ import cli
cli(["build", "--strict", "--quiet"])
"""


def start_build(project: Path, *command: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # The same clock for both builds: the feed and the "最后更新" dates come from it.
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1767225600"},
    )


def finished(build: subprocess.Popen) -> None:
    output, _ = build.communicate(timeout=600)
    assert build.returncode == 0, f"mkdocs build failed:\n{output}"


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_the_shortcuts_change_no_byte_of_the_site(tmp_path):
    usual = make_project(tmp_path / "usual")
    other = make_project(tmp_path / "other")
    (other / "overrides" / "partials" / "nav.html").unlink()
    given = tmp_path / "given.json"
    builds = [
        start_build(usual, "-m", "mkdocs", "build", "--strict", "--quiet"),
        start_build(other, "-c", BUILD_WITH_SECOND_PROCESS, str(given)),
    ]
    for build in builds:
        finished(build)

    assert set(json.loads(given.read_text())) >= {"find_related", "article_descriptions", "records_with_terms"}
    usual_files, other_files = site_files(usual / "site"), site_files(other / "site")
    assert sorted(usual_files) == sorted(other_files)
    differing = [name for name in usual_files if usual_files[name] != other_files[name]]
    assert not differing, f"{len(differing)} files differ, such as {differing[:5]}"
    # Pages in three folders outside the navigation (articles/, maintainers/ and the site root's
    # 404.html), each with its own relative links, so one memo key for all would show here.
    assert {"404.html", "maintainers/uncategorized/index.html"} <= set(usual_files)
