"""The ingest pipeline: feed dumps in, Markdown articles and a report out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from ingest.pipeline.dedupe import dedupe
from ingest.pipeline.docs_tree import check_docs_folder, scan_docs
from ingest.pipeline.identity import Identities, known_identities
from ingest.pipeline.keyphrases import ChineseKeywords
from ingest.pipeline.lock import docs_lock
from ingest.pipeline.manifest import Manifest
from ingest.pipeline.normalize import has_skeleton
from ingest.pipeline.parse import collect_feed_files, parse_feed
from ingest.pipeline.plan import plan_files, recovered_identities
from ingest.pipeline.runcache import RunCache, inputs_fingerprint
from ingest.pipeline.tag import Tagger
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


def read_entries(feeds: list[Path], report: IngestReport) -> list[Entry]:
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
    for path in files:
        parsed = parse_feed(path)
        report.rejected.extend(parsed.rejected)
        report.warnings.extend(parsed.warnings)
        for entry in parsed.entries:
            if has_skeleton(entry.text):
                entries.append(entry)
            else:
                report.rejected.append(
                    Problem(entry.file, entry.line, "entry has no text besides punctuation: skipped")
                )
    return entries


def tag_and_title(articles: list[Article], taxonomy: Taxonomy, overrides: dict[str, str], report: IngestReport) -> None:
    tagger = Tagger(taxonomy)
    decisions = tagger.tag_texts([article.text for article in articles])
    keywords = ChineseKeywords(name for topic in taxonomy.topics for name in topic.names)
    for article, decision in zip(articles, decisions, strict=True):
        article.topics = list(decision.topics)
        if not article.topics:
            article.topics = [FALLBACK_TOPIC_ID]
            report.unmatched.append(article.id)
            first = article.entries[0]
            report.warnings.append(
                Problem(first.file, first.line, f"no topic matched article {article.id}; tagged '{FALLBACK_TOPIC_ID}'")
            )
        subject = subject_for(decision, article.text, taxonomy)
        choice = choose_title(article.text, subject, decision.opening, tagger.is_alias, keywords)
        article.title = overrides.get(article.id) or choice.title


def run_ingest(
    feeds: list[Path],
    docs: Path,
    taxonomy: Taxonomy,
    titles: Path,
    cache: Path | None = None,
    progress: Callable[[str], object] = lambda stage: None,
    wait: float = 0.0,
) -> IngestReport:
    """Run every stage; ``progress`` hears each of ``STAGES`` as it starts; ``cache``: see ``runcache``.

    The whole run holds the lock on ``docs`` (``lock.LockBusy`` when another run has it and
    ``wait`` seconds pass); a docs folder the ingest may not write to raises ``UnsafeDocs``.
    """
    check_docs_folder(docs)
    with docs_lock(docs, wait):
        return locked_run(feeds, docs, taxonomy, titles, cache, progress)


def locked_run(
    feeds: list[Path],
    docs: Path,
    taxonomy: Taxonomy,
    titles: Path,
    cache: Path | None,
    progress: Callable[[str], object],
) -> IngestReport:
    run_cache = RunCache(cache, inputs_fingerprint(feeds, docs, taxonomy, titles)) if cache else None
    cached = run_cache.lookup(docs) if run_cache else None
    if cached is not None:
        return IngestReport.from_json(cached)

    report = IngestReport()
    progress("read")
    entries = read_entries(feeds, report)
    overrides, title_problems = load_title_overrides(titles)
    report.warnings.extend(title_problems)
    progress("dedupe")
    articles = dedupe(entries)
    manifest, manifest_problems = Manifest.load(docs)
    report.warnings.extend(manifest_problems)
    files, docs_problems = scan_docs(docs, manifest)
    report.warnings.extend(docs_problems)
    # Ids are settled before titles (curated titles are keyed by id), slugs after tagging (they name the topic).
    identities = Identities(known_identities(manifest, recovered_identities(files, manifest)))
    identities.keep_ids(articles)
    articles.sort(key=lambda article: article.id)
    progress("tag")
    tag_and_title(articles, taxonomy, overrides, report)

    progress("plan")
    identities.assign_slugs(articles)
    plan = plan_files(articles, docs, files, manifest, taxonomy)
    report.taken_over, report.conflicts = plan.taken_over_report, list(plan.conflicts)
    report.warnings.extend(plan.warnings)
    progress("write")
    outcome = apply(docs, manifest, plan.planned, plan.removals, plan.taken_over)
    report.written, report.unchanged, report.removed = outcome.written, outcome.unchanged, outcome.removed
    report.conflicts.extend(outcome.conflicts)
    report.warnings.extend(outcome.warnings)

    report.articles = len(articles)
    report.duplicates_merged = len(entries) - len(articles)
    report.entries_read = len(entries) + len(report.rejected)
    # A re-run would not repeat warnings about the manifest or the docs folder (this run fixed the manifest).
    if run_cache and not manifest_problems and not plan.one_off and not outcome.warnings:
        run_cache.record(docs, report.as_json())
    return report
