"""When each article was added and last changed, from the repository's git history.

Every ingest (and every merged contribution) is a commit that adds or changes files under
``docs/articles/``, so one ``git log`` over that folder tells the 最近更新 page what each one
added and the feed when each article appeared. The site build reads the whole ``docs/`` folder
so at once, for every page's "最后更新" date too (``ingest.site.last_updated``), and takes the
articles' part with ``within``. It is one process for the whole library, whatever its size (the
build of 28 articles spends a few milliseconds on it).

Without history (a tarball, no git, a folder outside any repository) ``read_history`` returns
None and the callers fall back to the feed dumps' dates. A shallow clone has history that
starts at its oldest commit: everything looks added there (the Pages workflow clones in full).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

GIT_TIMEOUT = 60  # seconds; a library of 50,000 articles logs in a few
RECORD = "\x1e"
UNIT = "\x1f"


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime  # committer date, with its time zone
    added: tuple[str, ...] = ()  # docs-relative posix paths
    modified: tuple[str, ...] = ()


@dataclass
class ArticleDates:
    added: datetime | None = None
    updated: datetime | None = None
    added_in: str | None = None  # the commit that added the file
    commits: list[str] = field(default_factory=list)


def read_history(docs_dir: Path, folder: str = "articles") -> list[Commit] | None:
    """Commits touching ``docs_dir/folder``, newest first; None when there is no usable git history."""
    command = [
        "git",
        "-c",
        "core.quotepath=off",
        "log",
        "--no-renames",
        "--relative",
        "--name-status",
        "-z",
        f"--format={RECORD}%H{UNIT}%cI",
        "--",
        folder,
    ]
    try:
        result = subprocess.run(
            command, cwd=docs_dir, capture_output=True, timeout=GIT_TIMEOUT, check=False, encoding="utf-8"
        )
    except (OSError, subprocess.TimeoutExpired, UnicodeDecodeError):
        return None
    if result.returncode != 0:
        return None
    commits = [commit for record in result.stdout.split(RECORD) if (commit := _parse_record(record))]
    return commits or None


def within(history: list[Commit] | None, folder: str) -> list[Commit] | None:
    """The commits of ``history`` that touch ``folder/``, with only those paths; None when none do
    (as ``read_history(docs_dir, folder)`` would say, without a second ``git log``)."""
    prefix = folder.rstrip("/") + "/"
    kept = []
    for commit in history or ():
        added = tuple(path for path in commit.added if path.startswith(prefix))
        modified = tuple(path for path in commit.modified if path.startswith(prefix))
        if added or modified:
            kept.append(Commit(commit.sha, commit.date, added, modified))
    return kept or None


def _parse_record(record: str) -> Commit | None:
    """``SHA<US>DATE`` then NUL-separated status and path fields (a path may hold any character)."""
    header, *fields = record.split("\0")
    if UNIT not in header:
        return None
    sha, date_text = header.split(UNIT, 1)
    try:
        date = datetime.fromisoformat(date_text.strip())
    except ValueError:
        return None
    added: list[str] = []
    modified: list[str] = []
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        status = status.strip()
        if status.startswith("A"):
            added.append(path)
        elif status.startswith("M"):
            modified.append(path)
    return Commit(sha.strip(), date, tuple(added), tuple(modified))


def article_dates(history: list[Commit]) -> dict[str, ArticleDates]:
    """Per path: when it was last added (a file removed and added again counts from then) and last changed."""
    dates: dict[str, ArticleDates] = {}
    for commit in history:  # newest first
        for path in commit.modified:
            entry = dates.setdefault(path, ArticleDates())
            entry.updated = entry.updated or commit.date
            entry.commits.append(commit.sha)
        for path in commit.added:
            entry = dates.setdefault(path, ArticleDates())
            entry.updated = entry.updated or commit.date
            if entry.added is None:
                entry.added, entry.added_in = commit.date, commit.sha
            entry.commits.append(commit.sha)
    return dates
