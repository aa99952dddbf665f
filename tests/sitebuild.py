"""Build a real site for tests: the project's own files, optionally with extra feeds or articles."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.site.search_build import read_index

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "taxonomy.yml", "titles.yml", "published-topics.txt")
PROJECT_FOLDERS = ("overrides",)  # the theme override mkdocs.yml names in theme.custom_dir


def make_project(destination: Path, with_bundled_docs: bool = True) -> Path:
    """Copy the site's sources into ``destination`` so a test can change them freely."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, destination / name)
    for name in PROJECT_FOLDERS:
        shutil.copytree(ROOT / name, destination / name, dirs_exist_ok=True)
    if with_bundled_docs:
        shutil.copytree(ROOT / "docs", destination / "docs", dirs_exist_ok=True)
    else:
        shutil.copytree(ROOT / "docs", destination / "docs", ignore=shutil.ignore_patterns("articles", ".ingest-*"))
    node_modules = ROOT / "node_modules"
    if node_modules.exists() and not (destination / "node_modules").exists():
        (destination / "node_modules").symlink_to(node_modules)
    return destination


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """``build(folder)`` once per test run, in a folder every pytest-xdist worker shares.

    ``make test`` runs the suite on every core; a session fixture alone would build the same
    site once per worker. The first worker builds under a lock and the others wait and reuse it,
    so what is built this way is read-only for the tests. A build that fails is tried again by
    the next worker that asks (and fails it the same way).
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's own folder, above each worker's
    folder, done = base / name, base / f"{name}.built"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            build(folder)
            done.touch()
    return folder


def build_bundled_site(folder: Path) -> None:
    """The bundled knowledge base as ``make site`` makes it: the ingest of the bundled feeds (which
    finds the committed articles up to date and writes none), then ``mkdocs build --strict``."""
    project = make_project(folder)
    shutil.copytree(ROOT / "feeds", project / "feeds")
    result = run_ingest(project, "--report", "build/ingest-report.json")
    if result.returncode != 0:
        raise AssertionError(f"ingest failed:\n{result.stdout}\n{result.stderr}")
    written = json.loads((project / "build" / "ingest-report.json").read_text(encoding="utf-8"))["written"]
    if written:
        raise AssertionError(f"the committed articles are not what the bundled feeds give: the ingest wrote {written}")
    build_site(project)


def rename_topic(taxonomy: Path, old_id: str, new_id: str) -> None:
    """Rename a topic in a copied taxonomy the way CONTRIBUTING.md says: new id, old one in ``former_ids``."""
    text = taxonomy.read_text(encoding="utf-8")
    renamed = text.replace(f"  - id: {old_id}\n", f"  - id: {new_id}\n    former_ids: [{old_id}]\n", 1)
    assert renamed != text, f"no topic {old_id!r} in {taxonomy}"
    taxonomy.write_text(renamed.replace(f"    parent: {old_id}\n", f"    parent: {new_id}\n"), encoding="utf-8")


def run_ingest(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ingest", "run", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def build_site(project: Path, env: dict[str, str] | None = None, strict: bool = True) -> subprocess.CompletedProcess:
    """``mkdocs build --strict`` in ``project`` (``env``: extra variables, such as ``SITE_URL``);
    raises with the build log when it fails. ``strict=False`` for a site holding a page the rules
    refuse on purpose, to see what a reader would get if it were published anyway."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict", "--quiet"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT), **(env or {})},
    )
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return result


@dataclass(frozen=True)
class IndexedPage:
    title: str
    text: str
    tags: list[str]
    terms: frozenset[str]  # every term the index lists the page under


def indexed_pages(site: Path) -> dict[str, IndexedPage]:
    """What the built site's search index holds, by page URL (``articles/x/``, ``""`` for home)."""
    _, pages, table = read_index(site)
    terms: dict[int, set[str]] = {number: set() for number in range(len(pages))}
    for term, entries in table.items():
        for number, _ in entries:
            terms[number].add(term)
    return {
        page["url"]: IndexedPage(page["title"], page["text"], page.get("tags", []), frozenset(terms[number]))
        for number, page in enumerate(pages)
    }
