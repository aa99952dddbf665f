"""The incremental ingest gives, byte for byte, what a run without the cache gives.

Two projects hold the same feeds, taxonomy and titles and go through the same changes: a new
dump, a re-run, an edited dump, a removed dump, a taxonomy edit, curated titles, contributors'
edits under docs/, a code change, a damaged cache. After every step, the project run with the
cache (A) and the one run without it (B, every stage from scratch, from the same docs/) have
the same files under docs/ and the same report. Along the way, A must have redone only what
changed: parsed only new dumps, rendered and rewritten only changed articles.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ingest.pipeline import feedcache, fingerprint, minhash, plan, run, runcache
from ingest.pipeline.feedcache import IngestCache
from ingest.pipeline.run import run_ingest
from ingest.pipeline.tag import Tagger
from ingest.shared.taxonomy import load_taxonomy
from tests.scripts.loading import load_script

ROOT = Path(__file__).resolve().parents[2]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def identities(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time: a rewrite (an atomic rename too) changes them."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in folder.rglob("*.md")
    }


class Counting:
    """Counts the work the real stages do: dumps parsed, texts tagged, articles rendered, rows signed."""

    def __init__(self, monkeypatch) -> None:
        self.parsed: list[str] = []
        self.tagged = self.rendered = self.signed = self.analysed = self.titled = 0
        real_parse, real_render, real_signatures = feedcache.parse_feed, plan.render_article, minhash.signatures
        real_analyse, real_text_analysis, real_title = run.topics_and_titles, Tagger.analyse, run.choose_title

        def parse(path):
            self.parsed.append(path.name)
            return real_parse(path)

        def render(*args):
            self.rendered += 1
            return real_render(*args)

        def signatures(texts):
            self.signed += len(texts)
            return real_signatures(texts)

        def analyse(taxonomy, texts, memo=None):
            self.tagged += len(texts)
            return real_analyse(taxonomy, texts, memo)

        def text_analysis(tagger, text):
            self.analysed += 1
            return real_text_analysis(tagger, text)

        def title(*args):
            self.titled += 1
            return real_title(*args)

        monkeypatch.setattr(feedcache, "parse_feed", parse)
        monkeypatch.setattr(plan, "render_article", render)
        monkeypatch.setattr(minhash, "signatures", signatures)
        monkeypatch.setattr(run, "topics_and_titles", analyse)
        monkeypatch.setattr(Tagger, "analyse", text_analysis)
        monkeypatch.setattr(run, "choose_title", title)

    def reset(self) -> None:
        self.parsed, self.tagged, self.rendered, self.signed = [], 0, 0, 0
        self.analysed = self.titled = 0


class Projects:
    """Project A runs with the cache, B without; both see every change."""

    def __init__(self, root: Path, monkeypatch) -> None:
        self.a, self.b = root / "a", root / "b"
        self.monkeypatch = monkeypatch
        self.work = Counting(monkeypatch)
        for project in (self.a, self.b):
            (project / "feeds").mkdir(parents=True)
            shutil.copy(ROOT / "taxonomy.yml", project / "taxonomy.yml")

    def change(self, action) -> None:
        for project in (self.a, self.b):
            action(project)

    def run(self) -> dict:
        reports = []
        for project, cache_dir in ((self.a, Path("build/ingest-cache")), (self.b, None)):
            self.monkeypatch.chdir(project)  # sources are named relative to the working directory
            taxonomy = load_taxonomy(Path("taxonomy.yml"))
            if cache_dir is None:
                self.work_a = (list(self.work.parsed), self.work.tagged, self.work.rendered, self.work.signed)
                self.text_work_a = (self.work.analysed, self.work.titled)
            report = run_ingest([Path("feeds")], Path("docs"), taxonomy, Path("titles.yml"), cache_dir=cache_dir)
            reports.append(report.as_json())
        assert reports[0] == reports[1], "the report differs from a run without the cache"
        a, b = tree(self.a / "docs"), tree(self.b / "docs")
        assert a.keys() == b.keys(), f"files differ: {sorted(a.keys() ^ b.keys())[:5]}"
        assert a == b, f"bytes differ: {[name for name in a if a[name] != b[name]][:5]}"
        return reports[0]


@pytest.fixture
def corpus(tmp_path_factory):
    """Three dumps of 350 entries and two next dumps of the same blog."""
    make_corpus = load_script("make_corpus")
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus.write_corpus(350, folder / "main", seed=11, files=3, extra_entries=30, extra_out=folder / "next")
    make_corpus.write_corpus(350, folder / "main2", seed=12, files=3, extra_entries=30, extra_out=folder / "other")
    dumps = sorted((folder / "main").glob("*.txt"))
    return dumps, next((folder / "next").glob("*.txt")), next((folder / "other").glob("*.txt"))


def add(dump: Path):
    return lambda project: shutil.copy(dump, project / "feeds" / dump.name)


def test_every_change_gives_the_bytes_of_a_run_without_the_cache(tmp_path, monkeypatch, corpus):
    dumps, next_dump, other_dump = corpus
    projects = Projects(tmp_path, monkeypatch)
    work = projects.work
    for dump in dumps:
        projects.change(add(dump))
    first = projects.run()
    assert len(first["written"]) == first["articles"] > 150

    # A new dump: only it is parsed and signed; only new or changed articles are rendered and written.
    # Tagging weighs each alias by how many texts of the corpus use it, so the corpus is ranked again;
    # what each text holds on its own (aliases, opening, title for its subject) is remembered.
    before = identities(projects.a / "docs")
    work.reset()
    projects.change(add(next_dump))
    report = projects.run()
    parsed, tagged, rendered, signed = projects.work_a
    analysed, titled = projects.text_work_a
    assert parsed == [next_dump.name]
    assert 0 < len(report["written"]) < report["articles"] / 4
    assert rendered == len(report["written"]) and signed < report["articles"] / 4
    assert tagged == report["articles"]
    assert 0 < analysed < report["articles"] / 4 and titled < report["articles"] / 4
    after = identities(projects.a / "docs")
    touched = {name for name in after if before.get(name) != after[name]}
    assert touched == set(report["written"]), "only the files whose bytes changed are rewritten"

    # Nothing changed: skipped altogether, and B agrees that nothing would be written.
    work.reset()
    report = projects.run()
    assert report["written"] == [] and projects.work_a == ([], 0, 0, 0)

    # A dump edited: a longer copy of one article and a brand-new article.
    def edit(project):
        path = project / "feeds" / dumps[0].name
        lines = path.read_text(encoding="utf-8").splitlines()
        lines += ["全新的文章：注意力机制在长序列上的近似方法，以及它们各自的复杂度分析。", lines[5] + "补充的一段话。"]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    work.reset()
    projects.change(edit)
    projects.run()
    assert projects.work_a[0] == [dumps[0].name]

    # A dump removed: its articles go, the others keep their files.
    projects.change(lambda project: (project / "feeds" / dumps[1].name).unlink())
    assert projects.run()["removed"]

    # Taxonomy edited: a topic renamed (its tag in every article that has it) and an alias added.
    def retag(project):
        path = project / "taxonomy.yml"
        text = path.read_text(encoding="utf-8")
        text = text.replace("    zh: 注意力机制\n", "    zh: 注意力\n", 1)
        path.write_text(
            text.replace("      - 注意力机制\n", "      - 注意力机制\n      - 学习率设为\n", 1), encoding="utf-8"
        )

    projects.change(retag)
    assert projects.run()["written"]

    # Curated titles: the article's title changes, nothing else is recomputed.
    article_id = first["written"] and tree(projects.a / "docs")[first["written"][0]].decode().split("id: ")[1][:10]
    projects.change(
        lambda project: (project / "titles.yml").write_text(f"{article_id}: 手写的标题\n", encoding="utf-8")
    )
    report = projects.run()
    assert len(report["written"]) == 1 and "手写的标题" in tree(projects.a / "docs")[report["written"][0]].decode()

    # Contributors: one takes an article over, one edits a generated file and keeps the flag, one touches a file.
    names = sorted(name for name in tree(projects.a / "docs") if name.startswith("articles/"))

    def contributors(project):
        docs = project / "docs"
        taken = docs / names[0]
        taken.write_text(
            taken.read_text(encoding="utf-8").replace("generated: true", "generated: false"), encoding="utf-8"
        )
        edited = docs / names[1]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n贡献者补充。\n", encoding="utf-8")
        os.utime(docs / names[2])

    projects.change(contributors)
    report = projects.run()
    assert report["taken_over"]

    # Another dump, then the code changes: every cached record is stale and replaced.
    projects.change(add(other_dump))
    projects.run()
    cache = projects.a / "build" / "ingest-cache"
    stale = {path.name for path in cache.rglob("*.bin")}
    monkeypatch.setattr(fingerprint, "code_fingerprint", lambda: "edited code")
    monkeypatch.setattr(feedcache, "code_fingerprint", lambda: "edited code")
    monkeypatch.setattr(runcache, "code_fingerprint", lambda: "edited code")
    work.reset()
    projects.change(
        lambda project: (project / "feeds" / dumps[2].name).write_text(
            "INCOMING TRANSMISSION\n\nLATEST UPDATES\n新的一行：梯度检查点用时间换显存。\n", encoding="utf-8"
        )
    )
    projects.run()
    assert len(projects.work_a[0]) == len(list((projects.a / "feeds").glob("*.txt"))), "every dump parsed again"
    assert not stale & {path.name for path in cache.rglob("*.bin")}, "records of the old code are removed"

    # A damaged cache is recomputed, never trusted.
    for path in cache.rglob("*.bin"):
        path.write_bytes(b"\x00garbage" * 10)
    projects.change(add(next_dump))
    projects.run()


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch, corpus):
    dumps, _, _ = corpus
    projects = Projects(tmp_path, monkeypatch)
    for dump in dumps:
        projects.change(add(dump))
    (projects.a / "build").mkdir()
    (projects.a / "build" / "ingest-cache").write_text("a file where the cache folder should be")
    projects.run()
    projects.run()


def test_a_dump_rewritten_while_it_is_read_is_not_remembered(tmp_path, monkeypatch):
    feed = tmp_path / "feeds" / "a.txt"
    feed.parent.mkdir()
    feed.write_text("INCOMING TRANSMISSION\n\nLATEST UPDATES\n第一版的内容，讲的是优化器。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cache = IngestCache(tmp_path / "cache", load_taxonomy(ROOT / "taxonomy.yml"))
    real = feedcache.contribution_of

    def rewritten_meanwhile(path):
        contribution = real(path)
        path.write_text(
            "INCOMING TRANSMISSION\n\nLATEST UPDATES\n第二版：完全不同的内容，更长一些。\n", encoding="utf-8"
        )
        return contribution

    monkeypatch.setattr(feedcache, "contribution_of", rewritten_meanwhile)
    cache.feed(feed)
    assert not list((tmp_path / "cache").rglob("*.bin"))
