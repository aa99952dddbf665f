"""The ingest pipeline: feed dumps in, Markdown articles and a report out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from ingest.pipeline.dedupe import dedupe
from ingest.pipeline.docs_tree import check_docs_folder, scan_docs
from ingest.pipeline.docsfiles import DocsFiles
from ingest.pipeline.feedcache import IngestCache, contribution_of
from ingest.pipeline.fingerprint import FileDigests
from ingest.pipeline.identity import Identities, known_identities
from ingest.pipeline.keyphrases import ChineseKeywords
from ingest.pipeline.lock import docs_lock
from ingest.pipeline.manifest import Manifest
from ingest.pipeline.normalize import TextForms
from ingest.pipeline.parse import collect_feed_files
from ingest.pipeline.plan import plan_files, recovered_identities
from ingest.pipeline.runcache import RunCache, inputs_fingerprint
from ingest.pipeline.tag import Tagger
from ingest.pipeline.text_memo import TextMemo
from ingest.pipeline.title import choose_title, load_title_overrides, subject_for
from ingest.pipeline.write import apply
from ingest.shared.model import Article, Entry, Problem
from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy

STAGES = ("read", "dedupe", "tag", "plan", "write")  # told to ``run_ingest``'s progress callback, in order


@dataclass
class IngestReport:
    entries_read: int = 0
    articles: int = 0
    duplicates_merged: int = 0
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    taken_over: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        def problems(items: list[Problem]) -> list[dict]:
            return [{"file": item.file, "line": item.line, "reason": item.reason} for item in items]

        return {
            "entries_read": self.entries_read,
            "articles": self.articles,
            "duplicates_merged": self.duplicates_merged,
            "rejected": problems(self.rejected),
            "warnings": problems(self.warnings),
            "unmatched": self.unmatched,
            "taken_over": self.taken_over,
            "conflicts": self.conflicts,
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }

    @classmethod
    def from_json(cls, data: dict) -> IngestReport:
        """The inverse of ``as_json`` (for reports replayed from the run cache)."""
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for key in ("rejected", "warnings"):
            values[key] = [Problem(item["file"], item["line"], item["reason"]) for item in data[key]]
        return cls(**values)


class NoFeedsError(Exception):
    """No feed file was found at all: writing would remove every generated article."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("no feed files found")
        self.problems = problems


def read_entries(
    feeds: list[Path], report: IngestReport, cache: IngestCache | None = None
) -> tuple[list[Entry], dict[str, TextForms]]:
    """Every usable entry, and the ``text_forms`` of each distinct entry text (from ``cache`` where it has them)."""
    files, missing = collect_feed_files(feeds)
    if not files:
        # Most likely a mistyped path or an empty checkout, not a wish to delete every article.
        raise NoFeedsError(
            missing or [Problem(path.as_posix(), 0, "no *.txt feed files in this folder") for path in feeds]
        )
    # A feed path that does not exist is input the ingest could not use: a rejection, so that
    # `--strict` fails in CI on a mistyped path instead of quietly ingesting less.
    report.rejected.extend(missing)
    entries: list[Entry] = []
    forms: dict[str, TextForms] = {}
    for path in files:
        contribution = cache.feed(path) if cache else contribution_of(path)
        parsed = contribution.parsed
        report.rejected.extend(parsed.rejected)
        report.warnings.extend(parsed.warnings)
        forms.update(contribution.forms)
        for entry in parsed.entries:
            if contribution.forms[entry.text].skeleton:
                entries.append(entry)
            else:
                report.rejected.append(
                    Problem(entry.file, entry.line, "entry has no text besides punctuation: skipped")
                )
    return entries, forms


def topics_and_titles(
    taxonomy: Taxonomy, texts: list[str], memo: TextMemo | None = None
) -> list[tuple[list[str], str]]:
    """What tagging and titling make of the corpus: each text's topics and guessed title.

    One call for the whole corpus: an alias's weight depends on how many of the texts use it.
    ``memo`` supplies what an earlier run found in each text on its own (``text_memo``).
    """
    tagger = Tagger(taxonomy)
    # Without a memo (no cache, tools, the evaluation) nothing is kept, so nothing is hashed either.
    analyse = (lambda text: memo.analysis(text, tagger.analyse)) if memo else tagger.analyse
    decisions = tagger.tag_texts(texts, analyse)
    keywords = ChineseKeywords(name for topic in taxonomy.topics for name in topic.names)
    results = []
    for text, decision in zip(texts, decisions, strict=True):
        subject = subject_for(decision, text, taxonomy)

        def title(text=text, subject=subject, opening=decision.opening) -> str:
            return choose_title(text, subject, opening, tagger.is_alias, keywords).title

        results.append((list(decision.topics), memo.title(text, subject, title) if memo else title()))
    return results


def tag_and_title(
    articles: list[Article],
    taxonomy: Taxonomy,
    overrides: dict[str, str],
    report: IngestReport,
    analyse: Callable[[list[str]], list[tuple[list[str], str]]] | None = None,
) -> None:
    texts = [article.text for article in articles]
    results = analyse(texts) if analyse else topics_and_titles(taxonomy, texts)
    for article, (topics, guessed) in zip(articles, results, strict=True):
        article.topics = topics
        if not article.topics:
            article.topics = [FALLBACK_TOPIC_ID]
            report.unmatched.append(article.id)
            first = article.entries[0]
            report.warnings.append(
                Problem(first.file, first.line, f"no topic matched article {article.id}; tagged '{FALLBACK_TOPIC_ID}'")
            )
        article.title = overrides.get(article.id) or guessed


RUN_RECORD = "run.json"  # the whole-run skip (``runcache``) inside the cache folder


def run_ingest(
    feeds: list[Path],
    docs: Path,
    taxonomy: Taxonomy,
    titles: Path,
    cache: Path | None = None,
    progress: Callable[[str], object] = lambda stage: None,
    cache_dir: Path | None = None,
    wait: float = 0.0,
) -> IngestReport:
    """Run every stage; ``progress`` hears each of ``STAGES`` as it starts.

    ``cache_dir``: keep what each feed contributed there and reuse it (``feedcache``), and skip
    the run altogether when nothing changed (``runcache``, recorded in ``cache_dir/run.json``,
    or in ``cache`` when given).

    The whole run holds the lock on ``docs`` (``lock.LockBusy`` when another run has it and
    ``wait`` seconds pass); a docs folder the ingest may not write to raises ``UnsafeDocs``.
    """
    check_docs_folder(docs)
    with docs_lock(docs, wait):
        return locked_run(feeds, docs, taxonomy, titles, cache, progress, cache_dir)


def locked_run(
    feeds: list[Path],
    docs: Path,
    taxonomy: Taxonomy,
    titles: Path,
    cache: Path | None,
    progress: Callable[[str], object],
    cache_dir: Path | None,
) -> IngestReport:
    digests = FileDigests()
    record = cache or (cache_dir / RUN_RECORD if cache_dir else None)
    inputs = inputs_fingerprint(feeds, docs, taxonomy, titles, digests) if record else None
    run_cache = RunCache(record, inputs) if inputs else None
    cached = run_cache.lookup(docs) if run_cache else None
    if cached is not None:
        return IngestReport.from_json(cached)
    feed_cache = IngestCache(cache_dir, taxonomy, digests) if cache_dir else None

    report = IngestReport()
    progress("read")
    entries, forms = read_entries(feeds, report, feed_cache)
    overrides, title_problems = load_title_overrides(titles)
    report.warnings.extend(title_problems)
    progress("dedupe")
    articles = dedupe(entries, forms, feed_cache.signatures) if feed_cache else dedupe(entries, forms)
    manifest, manifest_problems = Manifest.load(docs)
    report.warnings.extend(manifest_problems)
    known, rendered = feed_cache.docs_state(docs) if feed_cache else ({}, None)
    docs_files = DocsFiles(docs, known)
    files, docs_problems = scan_docs(docs, manifest, docs_files)
    report.warnings.extend(docs_problems)
    # Ids are settled before titles (curated titles are keyed by id), slugs after tagging (they name the topic).
    identities = Identities(known_identities(manifest, recovered_identities(files, manifest)))
    identities.keep_ids(articles)
    articles.sort(key=lambda article: article.id)
    progress("tag")
    analyse = feed_cache.memoised(lambda texts, memo: topics_and_titles(taxonomy, texts, memo)) if feed_cache else None
    tag_and_title(articles, taxonomy, overrides, report, analyse)

    progress("plan")
    identities.assign_slugs(articles)
    text_digest = feed_cache.text_digest if feed_cache else None
    plan = plan_files(articles, docs, files, manifest, taxonomy, rendered, text_digest)
    report.taken_over, report.conflicts = plan.taken_over_report, list(plan.conflicts)
    report.warnings.extend(plan.warnings)
    progress("write")
    outcome = apply(docs, manifest, plan.planned, plan.removals, plan.taken_over, docs_files)
    report.written, report.unchanged, report.removed = outcome.written, outcome.unchanged, outcome.removed
    report.conflicts.extend(outcome.conflicts)
    report.warnings.extend(outcome.warnings)

    report.articles = len(articles)
    report.duplicates_merged = len(entries) - len(articles)
    report.entries_read = len(entries) + len(report.rejected)
    if feed_cache:
        # Conflicted files are left out: their bytes on disk are not the planned ones.
        feed_cache.remember_docs(docs, docs_files.states([item.relative for item in plan.planned]), plan.planned)
        feed_cache.save()
    # A re-run would not repeat warnings about the manifest or the docs folder (this run fixed the manifest).
    if run_cache and not manifest_problems and not plan.one_off and not outcome.warnings:
        run_cache.record(docs, report.as_json())
    return report
