"""The run cache: a re-run that cannot change anything is skipped, and reports exactly what a full run would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.pipeline import run as pipeline
from ingest.pipeline.run import run_ingest
from ingest.pipeline.runcache import docs_fingerprint
from ingest.shared.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[2]
FEED = """INCOMING TRANSMISSION

LATEST UPDATES
注意力机制(attention)让模型在每一步关注输入的不同部分,缩放点积注意力是最常见的形式,也是 Transformer 的核心...
注意力机制(attention)让模型在每一步关注输入的不同部分...
Python
2026-01-11
AdamW 把权重衰减从梯度更新中解耦出来,是大语言模型训练的默认优化器,与 Adam 的区别在于正则项的位置。
。。。，，，
今天天气很好,我们去公园散步,看到了很多花和树,还有一条小河。
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working directory with one dump, docs/ holding a hand-written page, and no titles."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "000_dump.txt").write_text(FEED, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    return tmp_path


class Runs:
    """Runs the real pipeline, counting the runs that actually deduplicated (were not skipped)."""

    def __init__(self, monkeypatch) -> None:
        self.full = 0
        real_dedupe = pipeline.dedupe

        def counting_dedupe(*args, **kwargs):
            self.full += 1
            return real_dedupe(*args, **kwargs)

        monkeypatch.setattr(pipeline, "dedupe", counting_dedupe)
        self.taxonomy = load_taxonomy(ROOT / "taxonomy.yml")

    def __call__(self, cache: bool = True) -> dict:
        report = run_ingest(
            [Path("feeds")],
            Path("docs"),
            self.taxonomy,
            Path("titles.yml"),
            cache=Path("cache.json") if cache else None,
        )
        return report.as_json()


@pytest.fixture
def runs(project, monkeypatch):
    return Runs(monkeypatch)


def test_a_cached_rerun_reports_what_a_full_rerun_reports_and_touches_nothing(project, runs):
    first = runs()
    assert first["written"] and first["rejected"] and first["unmatched"]  # the fixture exercises every list
    state = docs_fingerprint(Path("docs"))

    cached = runs()
    assert runs.full == 1  # skipped
    assert docs_fingerprint(Path("docs")) == state

    full = runs(cache=False)
    assert runs.full == 2
    assert cached == full
    assert cached["written"] == [] and sorted(cached["unchanged"]) == sorted(first["written"])
    assert docs_fingerprint(Path("docs")) == state


def test_a_hand_edit_under_docs_makes_the_next_run_a_full_one(project, runs):
    first = runs()
    taken = Path("docs") / first["written"][0]
    taken.write_text(taken.read_text(encoding="utf-8").replace("generated: true", "generated: false"), encoding="utf-8")

    after_edit = runs()
    assert runs.full == 2
    assert after_edit["taken_over"]
    assert runs() == runs(cache=False) == after_edit
    assert runs.full == 3  # only the uncached one ran


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "feeds" / "000_dump.txt").write_text(
            FEED.replace("AdamW", "AdamW 优化器"), encoding="utf-8"
        ),
        lambda root: (root / "feeds" / "001_more.txt").write_text(FEED.replace("今天", "昨天"), encoding="utf-8"),
        lambda root: (root / "titles.yml").write_text("abc: 标题\n", encoding="utf-8"),
        lambda root: (root / "docs" / "index.md").write_text("# 新首页\n", encoding="utf-8"),
        lambda root: (root / "docs" / "notes.md").write_text("---\ntitle: 笔记\n---\n", encoding="utf-8"),
        lambda root: (root / "docs" / "index.md").unlink(),
    ],
    ids=["feed edited", "feed added", "titles changed", "docs page edited", "docs page added", "docs page removed"],
)
def test_any_change_to_the_inputs_or_docs_misses_the_cache(project, runs, change):
    runs()
    change(project)
    runs()
    assert runs.full == 2


def test_an_unreadable_or_foreign_cache_file_means_a_full_run(project, runs):
    runs()
    Path("cache.json").write_text("{not json", encoding="utf-8")
    runs()
    assert runs.full == 2
    Path("cache.json").write_text(json.dumps({"inputs": "x", "docs": "y", "report": {}}), encoding="utf-8")
    runs()
    assert runs.full == 3
    runs()
    assert runs.full == 3  # the last full run recorded a good cache again


def test_no_cache_is_recorded_after_a_run_that_found_the_manifest_unreadable(project, runs):
    runs()
    (project / "docs" / ".ingest-manifest.json").write_text("{broken", encoding="utf-8")
    repaired = runs()
    assert any("manifest" in warning["reason"] for warning in repaired["warnings"])
    runs()
    assert runs.full == 3  # that run's warning would not repeat, so its report was not cached
