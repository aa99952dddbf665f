"""``titles.yml`` under ``mkdocs serve``: a changed curated title reaches the served site.

Curated titles are applied by the ingest (``ingest/pipeline/title.py``), which writes them
into the generated articles' front matter; the site build only reads those files. So when the
server sees titles.yml change, the next build first runs the ingest again, as ``make ingest``
does (the command line, never an import: the site does not depend on the pipeline). The ingest
is incremental (only the articles whose title changed are rewritten, and never a
contributor's), and the rewritten articles are what the rebuild shows.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEFAULT_FEEDS = "feeds"  # where `make ingest` reads the dumps (the ingest's default)
INGEST_TIMEOUT = 600  # seconds; an incremental run of a large library takes a few

# titles.yml's state when the server started watching it, per file: builds in the same
# process (one plugin object each) compare against it.
WATCHED: dict[str, int | None] = {}


def state(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def start_watching(path: Path) -> None:
    WATCHED.setdefault(str(path), state(path))


def changed_since_watched(path: Path) -> bool:
    """True once per change of a watched titles.yml; never for a file nobody watches (``mkdocs build``)."""
    key = str(path)
    if key not in WATCHED:
        return False
    now = state(path)
    if now == WATCHED[key]:
        return False
    WATCHED[key] = now
    return True


def ingest_command(taxonomy: Path, titles: Path, docs: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ingest",
        "--taxonomy",
        str(taxonomy),
        "run",
        "--titles",
        str(titles),
        "--docs",
        str(docs),
    ]


def reingest(root: Path, taxonomy: Path, titles: Path, docs: Path) -> str | None:
    """Run the ingest in ``root``; what went wrong (its own messages) when it fails, else None."""
    if not (root / DEFAULT_FEEDS).is_dir():  # fed from elsewhere: only whoever ran it knows from where
        return f"{titles}: changed; run the ingest again to apply it (no {DEFAULT_FEEDS}/ here)"
    try:
        result = subprocess.run(
            ingest_command(taxonomy, titles, docs),
            cwd=root,
            capture_output=True,
            text=True,
            timeout=INGEST_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{titles}: changed, but the ingest could not run: {error}"
    if result.returncode != 0:
        return f"{titles}: changed, but the ingest failed:\n{(result.stderr or result.stdout).strip()}"
    return None
