"""Two ingests on one docs/: the second refuses (or waits with --wait); never both at once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.pipeline.lock import LOCK_NAME, LockBusy, docs_lock
from ingest.shared.layout import MANIFEST_NAME
from tests.accounting import ROOT, ingest_command, ingest_env, run_cli
from tests.pipeline.test_interrupted import write_corpus

# Holds the lock on docs/ until its stdin closes, as a running ingest would.
HOLDER = """
import sys
from pathlib import Path
from ingest.pipeline.lock import docs_lock
with docs_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def hold_lock(docs: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(docs)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=ingest_env(),
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def release(holder: subprocess.Popen) -> None:
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0


def small_project(root: Path) -> Path:
    (root / "feeds").mkdir(parents=True)
    (root / "feeds" / "a.txt").write_text(
        "INCOMING TRANSMISSION\n\nLATEST UPDATES\n优化器 Adam 用一阶矩和二阶矩估计，让每个参数的学习率自适应地调整...\n",
        encoding="utf-8",
    )
    return root


def test_a_second_run_refuses_while_another_holds_the_lock(tmp_path):
    project = small_project(tmp_path)
    holder = hold_lock(project / "docs")
    try:
        started = time.monotonic()
        result = subprocess.run(ingest_command(project), cwd=project, capture_output=True, text=True, env=ingest_env())
        assert time.monotonic() - started < 20, "refuses at once, without waiting"
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert f"docs/{LOCK_NAME}:0: another ingest is writing docs/" in result.stderr
        assert "--wait" in result.stderr
        assert sorted(path.name for path in (project / "docs").iterdir()) == [LOCK_NAME], "nothing written"
    finally:
        release(holder)


def test_wait_takes_the_lock_once_the_other_run_releases_it(tmp_path):
    project = small_project(tmp_path)
    holder = hold_lock(project / "docs")
    waiting = subprocess.Popen(
        ingest_command(project, "--wait", "60"), cwd=project, stderr=subprocess.PIPE, text=True, env=ingest_env()
    )
    time.sleep(1.5)
    assert waiting.poll() is None, "it waits while the lock is held"
    assert not (project / "docs" / "articles").exists()
    release(holder)
    _, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    assert len(list((project / "docs" / "articles").glob("*.md"))) == 1


def test_wait_gives_up_after_the_time_given(tmp_path):
    docs = tmp_path / "docs"
    holder = hold_lock(docs)
    try:
        started = time.monotonic()
        with pytest.raises(LockBusy, match="after waiting 0.5 s"), docs_lock(docs, wait_seconds=0.5):
            pass
        assert 0.4 < time.monotonic() - started < 10
    finally:
        release(holder)


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path):
    docs = tmp_path / "docs"
    holder = hold_lock(docs)
    holder.kill()
    holder.wait()
    with docs_lock(docs):  # no stale lock to remove by hand
        pass


@pytest.mark.slow
def test_two_real_ingests_started_together_leave_the_tree_of_one(tmp_path):
    """The damage seen before the lock: two overlapping runs left generated files out of the manifest."""
    project = tmp_path / "project"
    write_corpus(project / "feeds", range(0, 3000))
    runs = [
        subprocess.Popen(
            ingest_command(project, "--wait", "300"),
            cwd=project,
            stderr=subprocess.PIPE,
            text=True,
            env=ingest_env(),
        )
        for _ in range(2)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0 and "Traceback" not in stderr, stderr

    docs = project / "docs"
    manifest = json.loads((docs / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    on_disk = {path.relative_to(docs).as_posix() for path in (docs / "articles").glob("*.md")}
    assert set(manifest) == on_disk and len(on_disk) == 3000, "every generated file is in the manifest"

    fresh = tmp_path / "fresh"
    write_corpus(fresh / "feeds", range(0, 3000))
    result, _ = run_cli(fresh)
    assert result.returncode == 0
    assert {name: (docs / name).read_bytes() for name in on_disk} == {
        name: (fresh / "docs" / name).read_bytes() for name in on_disk
    }


def test_the_lock_file_is_never_published_nor_committed(bundled_site_project):
    """A real strict build after a real ingest (the shared bundled site): MkDocs leaves dotfiles out."""
    project = bundled_site_project
    assert (project / "docs" / LOCK_NAME).is_file()
    assert json.loads((project / "build" / "ingest-report.json").read_text(encoding="utf-8"))["articles"] > 0
    published = {path.name for path in (project / "site").rglob("*")}
    assert LOCK_NAME not in published and MANIFEST_NAME not in published
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert f"/docs/{LOCK_NAME}" in ignored
