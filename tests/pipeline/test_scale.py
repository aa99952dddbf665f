"""Correctness at scale: generated corpora of 20,000+ entries give exactly the true article count.

The truth comes from ``scripts/make_corpus.py`` (by construction, see its tests), the count from
the real command line. No timing here: speed and size targets live in ``scripts/bench.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.shared.layout import ARTICLES_DIR

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
MAKE_CORPUS = ROOT / "scripts" / "make_corpus.py"


def make_corpus(out: Path, entries: int, seed: int, articles: int | None = None) -> dict:
    command = [sys.executable, str(MAKE_CORPUS), "--entries", str(entries), "--out", str(out), "--seed", str(seed)]
    if articles is not None:
        command += ["--articles", str(articles)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def ingest(feeds: Path, docs: Path, report: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "run", "--feeds", str(feeds), "--docs", str(docs), "--report", str(report)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("entries", "articles", "seed"),
    [
        (20_000, None, 20),  # the default mix: two entries per article
        (24_000, 3_000, 21),  # eight copies per article: many cut copies of one article
    ],
)
def test_generated_corpus_gives_the_exact_distinct_count(tmp_path, entries, articles, seed):
    manifest = make_corpus(tmp_path / "feeds", entries, seed, articles)
    assert manifest["entries"] == entries
    assert manifest["copy_kinds"]["truncated"] and manifest["shared_paragraph_pairs"]

    report = ingest(tmp_path / "feeds", tmp_path / "docs", tmp_path / "report.json")

    assert report["entries_read"] == entries
    assert report["rejected"] == []
    assert report["articles"] == manifest["articles"]
    assert report["entries_read"] == report["articles"] + report["duplicates_merged"] + len(report["rejected"])
    # One file per article: no two articles ended up in one file.
    assert len(list((tmp_path / "docs" / ARTICLES_DIR).glob("*.md"))) == manifest["articles"]
    assert len(report["written"]) == manifest["articles"]
