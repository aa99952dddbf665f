"""scripts/make_corpus.py: the real dump format, a realistic mix of copies, and a count that is true.

The generator's count is only worth something if it holds by construction, so these tests check
the construction itself, without the ingest: every copy is its article up to punctuation,
spacing and width, or a prefix of it long enough to name one article only; distinct articles are
never prefixes of each other and stay far apart as whole texts, including the pairs that share a
paragraph.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

from ingest.pipeline.parse import parse_feed
from ingest.pipeline.tag import Tagger
from ingest.shared.taxonomy import load_taxonomy
from tests.scripts.loading import load_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_corpus.py"


make_corpus = load_script("make_corpus")


@pytest.fixture(scope="module")
def generated():
    """300 articles with about five copies each, as the generator builds them in memory."""
    rng = random.Random(7)
    writer = make_corpus.ProseWriter(rng, make_corpus.load_terms(make_corpus.TAXONOMY))
    articles, pairs = make_corpus.make_articles(rng, writer, 300)
    make_corpus.distribute_copies(rng, articles, 1500)
    return articles, pairs


def test_dumps_have_the_real_format_and_every_excerpt_line_is_an_entry(tmp_path):
    manifest = make_corpus.write_corpus(600, tmp_path, seed=3, files=3)
    assert manifest["entries"] == 600 and manifest["articles"] == 300
    entries, metadata_lines = 0, 0
    for name in manifest["files"]:
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        assert lines[:3] == ["INCOMING TRANSMISSION", "", "LATEST UPDATES"]
        parsed = parse_feed(tmp_path / name)
        assert not parsed.rejected and not parsed.warnings
        entries += len(parsed.entries)
        metadata_lines += len(lines) - 3 - len(parsed.entries)
        assert all(len(entry.text) >= make_corpus.MIN_CUT_LETTERS for entry in parsed.entries)
    assert entries == 600
    assert metadata_lines > 0  # some entries carry a category or a date line
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == manifest


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path):
    first = make_corpus.write_corpus(200, tmp_path / "a", seed=5)
    again = make_corpus.write_corpus(200, tmp_path / "b", seed=5)
    other = make_corpus.write_corpus(200, tmp_path / "c", seed=6)
    read = lambda folder, names: [(folder / name).read_bytes() for name in names]  # noqa: E731
    assert read(tmp_path / "a", first["files"]) == read(tmp_path / "b", again["files"])
    assert read(tmp_path / "a", first["files"]) != read(tmp_path / "c", other["files"])


def test_the_mix_holds_every_kind_of_copy(generated):
    articles, pairs = generated
    kinds = [kind for article in articles for kind, _ in article.copies]
    assert {"exact", "truncated", "fullwidth", "spaced", "fullwidth_truncated"} <= set(kinds)
    texts = [text for article in articles for _, text in article.copies]
    assert any(text.endswith("…") for text in texts) and any(text.endswith("...") for text in texts)
    assert any("，" in text for text in texts) and any("  " in text for text in texts)
    assert pairs > 0
    assert sum(len(article.copies) for article in articles) == 1500


def test_every_copy_is_its_article_up_to_punctuation_or_a_prefix_naming_only_it(generated):
    articles, _ = generated
    cores = [make_corpus.letters(article.text) for article in articles]
    for article, core in zip(articles, cores, strict=True):
        for kind, text in article.copies:
            copy_core = make_corpus.letters(text)
            if "truncated" in kind:
                assert core.startswith(copy_core) and len(copy_core) >= article.min_cut_letters
            else:
                assert copy_core == core
    # min_cut_letters exceeds what the article shares at its start with any other article.
    for (first, first_core), (second, second_core) in combinations(zip(articles, cores, strict=True), 2):
        shared = make_corpus.common_prefix(first_core, second_core)
        assert shared < first.min_cut_letters and shared < second.min_cut_letters
        assert not first_core.startswith(second_core) and not second_core.startswith(first_core)


def test_distinct_articles_stay_far_apart_even_when_they_share_a_paragraph(generated):
    articles, _ = generated
    shingles = [make_corpus.shingle_set(article.text) for article in articles]
    worst = max(len(a & b) / len(a | b) for a, b in combinations(shingles, 2))
    assert worst <= make_corpus.MAX_SHARED_JACCARD
    # Sharing a paragraph is real, not nominal: some pair has a long common stretch of text.
    assert worst > 0.1


def test_articles_read_like_ml_text_and_get_a_topic():
    rng = random.Random(11)
    writer = make_corpus.ProseWriter(rng, make_corpus.load_terms(make_corpus.TAXONOMY))
    articles, _ = make_corpus.make_articles(rng, writer, 200)
    tagger = Tagger(load_taxonomy(make_corpus.TAXONOMY))
    assert all(tagger.topics_for(article.text) for article in articles)
    assert all(
        make_corpus.MIN_ARTICLE_CHARS <= len(article.text) <= make_corpus.MAX_ARTICLE_CHARS for article in articles
    )
    assert any("[公式]" in article.text for article in articles)


def test_command_line_prints_the_manifest_and_rejects_impossible_counts(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--entries", "50", "--articles", "20", "--out", str(tmp_path), "--seed", "1"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles"] == 20
    bad = subprocess.run(
        [sys.executable, str(SCRIPT), "--entries", "5", "--articles", "9", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "--articles" in bad.stderr and "Traceback" not in bad.stderr
