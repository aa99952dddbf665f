"""``kill -9`` a real ingest of a 20,000-entry corpus at several moments, then re-run it.

Setting: ``docs/`` holds the output of corpus OLD plus hand-written files. The feeds are
replaced by corpus NEW: some articles gone, some new, and every surviving article's sources
shifted, so nearly every generated file changes. ``python -m ingest run`` is started and
killed again and again (after 0.5 s, 1 s and 2 s; as soon as the manifest changes; after 50
files; halfway through the writes), each run starting from what the previous one left.

After every kill: each generated file is byte-identical to its OLD or its NEW version (both
reference trees parse as front matter + body, so neither is ever truncated), the manifest
is valid JSON, and every hand-written file is byte-identical with the same mtime. Then one
uninterrupted run must give exactly the tree of a fresh run into an empty ``docs/`` (with
the same hand-written files): no stray temporary file, OLD-only articles removed.

After every kill no child of the killed run may survive: the ingest starts no worker
process today (MinHash is rensa's, in process), and a pool would have to come from
``ingest/shared/workers.py``, whose processes exit with their parent (``test_workers.py``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import frontmatter
import pytest

from ingest.pipeline.dedupe import article_id
from ingest.pipeline.lock import LOCK_NAME
from ingest.pipeline.normalize import skeleton
from ingest.pipeline.write import TEMP_PREFIX, TEMP_SUFFIX
from ingest.shared.layout import MANIFEST_NAME
from tests.accounting import ingest_command, ingest_env, run_cli

pytestmark = pytest.mark.slow

FEED_FILES = 4
OLD_ARTICLES = range(0, 5800)
NEW_ARTICLES = range(600, 6400)  # 600 gone, 600 new, 5200 kept with shifted sources
MIN_ENTRIES = 20_000
TERMS = ["注意力机制", "优化器", "混合精度", "梯度检查点", "强化学习", "激活函数", "Transformer", "感知机"]
TAKEN_OVER = 1000  # an article both corpora hold, taken over by a contributor before any run
HAND_WRITTEN = {
    "index.md": "# 首页\n\n手写的首页。\n",
    "notes/guide.md": "---\ntitle: 写作指南\n---\n\n手写的指南。\n",
    "articles/hand-written.md": "---\ntitle: 手写文章\nid: handwritten01\ntags: [优化器]\n---\n\n手写。\n",
    "articles/nested/deep.md": "没有 front matter 的手写文件。\n",
    "articles/notes.txt": "not Markdown at all\n",
    "assets/.ingest-lookalike.tmp": "named like a temporary file, but outside the ingest's folders\n",
}


def article_text(number: int) -> str:
    """Article ``number``, the same in every corpus: a unique opening, then random Chinese words."""
    rng = random.Random(number)
    words = ["".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(2, 4))) for _ in range(60)]
    return f"{TERMS[number % len(TERMS)]} 笔记第 {number} 篇：{' '.join(words)}"


def copies(number: int) -> list[str]:
    """Two to five copies: the full text, cut copies ('...' or '…') and a full-width variant."""
    text = article_text(number)
    rng = random.Random(-number)
    made = [text + "..."]
    for copy in range(1 + number % 4):
        if copy % 2:
            made.append(text.replace("：", ":").replace(" ", "  ") + "...")
        else:
            made.append(text[: rng.randint(len(text) * 3 // 4, len(text) - 1)].rstrip() + rng.choice(["...", "…"]))
    return made


def write_corpus(feeds: Path, numbers: range) -> int:
    """The dumps for articles ``numbers``; copies spread over the files. Returns the entry count."""
    for stale in feeds.glob("*.txt"):
        stale.unlink()
    feeds.mkdir(parents=True, exist_ok=True)
    lines: list[list[str]] = [["INCOMING TRANSMISSION", "", "LATEST UPDATES"] for _ in range(FEED_FILES)]
    entries = 0
    for number in numbers:
        for index, text in enumerate(copies(number)):
            dump = lines[(number + index) % FEED_FILES]
            if number % 7 == 0:
                dump.append(f"2026-01-{number % 28 + 1:02d}")
            dump.append(text)
            entries += 1
    for index, dump in enumerate(lines):
        (feeds / f"{index:03d}_dump.txt").write_text("\n".join(dump) + "\n", encoding="utf-8")
    return entries


def add_hand_written(docs: Path) -> None:
    for relative, text in HAND_WRITTEN.items():
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (docs / relative).write_text(text, encoding="utf-8")
    taken_over_id = article_id(skeleton(article_text(TAKEN_OVER)))
    (docs / "articles/taken-over.md").write_text(
        f"---\ntitle: 接手的文章\nid: {taken_over_id}\ntags: [优化器]\n---\n\n贡献者改写过的正文。\n", encoding="utf-8"
    )


def tree(docs: Path) -> dict[str, bytes]:
    return {path.relative_to(docs).as_posix(): path.read_bytes() for path in sorted(docs.rglob("*")) if path.is_file()}


def is_temp(relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX) and not relative.startswith("assets/")


def generated(files: dict[str, bytes]) -> dict[str, bytes]:
    hand = {*HAND_WRITTEN, "articles/taken-over.md", MANIFEST_NAME, LOCK_NAME}
    return {relative: data for relative, data in files.items() if relative not in hand and not is_temp(relative)}


def assert_complete_articles(files: dict[str, bytes]) -> None:
    """Every generated file of a reference tree parses as front matter + body."""
    for relative, data in generated(files).items():
        assert relative.startswith("articles/") and relative.endswith(".md"), relative
        post = frontmatter.loads(data.decode("utf-8"))
        assert post["generated"] is True and post["sources"] and post.content.strip(), relative


class Project:
    """A project folder with feeds/ and docs/, plus the mtimes of its hand-written files."""

    def __init__(self, root: Path) -> None:
        self.root, self.docs = root, root / "docs"

    def hand_written_state(self) -> dict[str, tuple[bytes, int]]:
        paths = [*HAND_WRITTEN, "articles/taken-over.md"]
        return {
            relative: ((self.docs / relative).read_bytes(), (self.docs / relative).stat().st_mtime_ns)
            for relative in paths
        }

    def start(self) -> subprocess.Popen:
        return subprocess.Popen(
            ingest_command(self.root),
            cwd=self.root,
            env=ingest_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def written_since(self, moment_ns: int) -> int:
        count = 0
        with os.scandir(self.docs / "articles") as entries:
            for entry in entries:
                try:  # a temporary file may be renamed away under our feet
                    count += entry.name.endswith(".md") and entry.stat().st_mtime_ns >= moment_ns
                except FileNotFoundError:
                    continue
        return count

    def manifest_mtime(self) -> int:
        path = self.docs / MANIFEST_NAME
        return path.stat().st_mtime_ns if path.exists() else 0


def proc_stat(pid: int | str) -> tuple[str, int] | None:
    """``(state, parent pid)`` from ``/proc/PID/stat``; ``None`` when the process is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()  # the command name may hold spaces
    except (OSError, IndexError):
        return None
    return fields[0], int(fields[1])


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (proc_stat(entry.name) or ("", 0))[1] == pid:
            found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    stat = proc_stat(pid)
    return stat is not None and stat[0] != "Z"  # a zombie has exited; only its parent's reaping is left


def assert_no_child_survives(children: set[int], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while any(running(child) for child in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = {child for child in children if running(child)}
    assert not survivors, f"worker processes outlived the killed ingest: {survivors}"


def kill_when(process: subprocess.Popen, ready, timeout: float = 300) -> set[int]:
    """SIGKILL ``process`` once ``ready()`` is true; fails if it finished first. Checks that none of
    its children outlive it; returns the children it had."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, "the run finished before the moment to kill it"
        assert time.monotonic() < deadline, "the moment to kill never came"
        time.sleep(0.005)
    assert process.poll() is None, "the run finished before the moment to kill it"
    children = children_of(process.pid)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert_no_child_survives(children)
    return children


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """Reference trees: OLD (the starting point) and NEW (a fresh run into an empty docs/)."""
    old = Project(tmp_path_factory.mktemp("old"))
    write_corpus(old.root / "feeds", OLD_ARTICLES)
    add_hand_written(old.docs)
    result, _ = run_cli(old.root)
    assert result.returncode == 0, result.stderr

    fresh = Project(tmp_path_factory.mktemp("fresh"))
    entries = write_corpus(fresh.root / "feeds", NEW_ARTICLES)
    assert entries >= MIN_ENTRIES
    add_hand_written(fresh.docs)
    result, report = run_cli(fresh.root)
    assert result.returncode == 0, result.stderr
    assert report["entries_read"] == entries and report["articles"] == len(NEW_ARTICLES)
    assert report["taken_over"], "the taken-over article must be recognised"

    old_tree, new_tree = tree(old.docs), tree(fresh.docs)
    assert_complete_articles(old_tree)
    assert_complete_articles(new_tree)
    return old, old_tree, new_tree


def test_kill_9_at_any_moment_then_rerun_converges_to_a_fresh_run(corpora, tmp_path):
    old, old_tree, new_tree = corpora
    project = Project(tmp_path / "project")
    shutil.copytree(old.root, project.root)
    write_corpus(project.root / "feeds", NEW_ARTICLES)
    hand_written = project.hand_written_state()
    old_only = set(generated(old_tree)) - set(generated(new_tree))
    changed = {
        name for name in generated(old_tree).keys() & generated(new_tree).keys() if old_tree[name] != new_tree[name]
    }
    assert len(old_only) >= 500 and len(changed) >= 5000, "the new corpus must change almost every file"

    def check_after_kill() -> tuple[int, int]:
        """Every file old or new, never anything else; returns (files now new, files still old) among changed."""
        files = tree(project.docs)
        assert project.hand_written_state() == hand_written, "a hand-written file was touched"
        assert json.loads(files[MANIFEST_NAME].decode("utf-8"))["files"], "the manifest must stay whole"
        for relative, data in generated(files).items():
            versions = [tree_[relative] for tree_ in (old_tree, new_tree) if relative in tree_]
            assert versions and data in versions, f"{relative} is neither its old nor its new version"
        now_new = sum(1 for name in changed if files.get(name) == new_tree[name])
        still_old = sum(1 for name in changed if files.get(name) == old_tree[name])
        return now_new, still_old

    moments = []
    # Before anything is written (reading, deduplicating), or as soon as a child process shows.
    process, before, seen = project.start(), project.manifest_mtime(), set()
    started = time.monotonic()

    def before_writing() -> bool:
        seen.update(children_of(process.pid))
        return bool(seen) or time.monotonic() - started >= 0.3 or project.manifest_mtime() != before

    kill_when(process, before_writing)
    assert_no_child_survives(seen)
    moments.append(("before the first write", check_after_kill()))

    for seconds in (0.5, 1.0, 2.0):
        process, started = project.start(), time.monotonic()
        kill_when(process, lambda seconds=seconds, started=started: time.monotonic() - started >= seconds)
        moments.append((f"after {seconds} s", check_after_kill()))

    # The first write of a run is its transition manifest (unless an earlier kill left that same
    # manifest behind, and then the first write is an article).
    before, started_ns = project.manifest_mtime(), time.time_ns()
    kill_when(project.start(), lambda: project.manifest_mtime() != before or project.written_since(started_ns) > 0)
    moments.append(("at the first write", check_after_kill()))

    for label, wanted in (("after 50 files", 50), ("halfway", len(changed) // 2)):
        started_ns = time.time_ns()
        kill_when(
            project.start(), lambda wanted=wanted, started_ns=started_ns: project.written_since(started_ns) >= wanted
        )
        moments.append((label, check_after_kill()))

    now_new, still_old = moments[-1][1]
    assert now_new > 0 and still_old > 0, f"the last kill must land mid-write: {moments}"

    result, report = run_cli(project.root)
    assert result.returncode == 0, result.stderr
    final = tree(project.docs)
    assert not [name for name in final if is_temp(name)], "stray temporary files remain"
    assert not old_only & set(final), "generated files of vanished articles must be removed"
    assert project.hand_written_state() == hand_written
    differing = [name for name in sorted(set(final) | set(new_tree)) if final.get(name) != new_tree.get(name)]
    assert final == new_tree, f"differs from a fresh run: {differing[:5]} (moments: {moments})"


# Two articles of one topic whose ids share the six hex digits a slug keeps (found by search).
SLUG_CLASH = (29312, 52504)


def test_articles_with_clashing_slugs_or_openings_are_all_kept_and_rerun_changes_nothing(tmp_path):
    """Distinct articles may share a short slug or an opening (the manifest's key): none is lost or moved."""
    ids = [article_id(skeleton(article_text(number))) for number in SLUG_CLASH]
    assert ids[0] != ids[1] and ids[0][:6] == ids[1][:6], "SLUG_CLASH no longer clashes: search a new pair"
    opening = article_text(8)[:80]  # well over the key's 48 letters
    texts = [article_text(number) + "..." for number in SLUG_CLASH]
    texts += [opening + article_text(16)[60:], opening + article_text(24)[60:]]
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    (feeds / "a.txt").write_text(
        "INCOMING TRANSMISSION\n\nLATEST UPDATES\n" + "\n".join(texts) + "\n", encoding="utf-8"
    )

    result, report = run_cli(tmp_path)
    assert result.returncode == 0, result.stderr
    assert report["articles"] == 4 and len(report["written"]) == 4
    first = tree(tmp_path / "docs")
    sources = sorted(
        source for name in generated(first) for source in frontmatter.loads(first[name].decode())["sources"]
    )
    assert sources == [f"feeds/a.txt:{line}" for line in range(4, 8)], "every article in a file of its own"

    result, report = run_cli(tmp_path)
    assert (report["written"], report["removed"], len(report["unchanged"])) == ([], [], 4)
    assert tree(tmp_path / "docs") == first
