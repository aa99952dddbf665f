"""The ingest pipeline: feed dumps in, Markdown articles and a report out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingest.dedupe import ID_PREFIX_CHARS, dedupe
from ingest.frontmatter_io import read_page
from ingest.model import Article, Entry, Problem
from ingest.normalize import skeleton
from ingest.parse import collect_feed_files, parse_feed
from ingest.render import render_article
from ingest.slug import make_slug
from ingest.tag import Tagger
from ingest.taxonomy import FALLBACK_TOPIC_ID, Taxonomy
from ingest.title import guess_title, load_title_overrides
from ingest.write import ARTICLES_DIR, Manifest, Planned, apply


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


def read_entries(feeds: list[Path], report: IngestReport) -> list[Entry]:
    files, missing = collect_feed_files(feeds)
    report.warnings.extend(missing)
    entries: list[Entry] = []
    for path in files:
        parsed = parse_feed(path)
        report.rejected.extend(parsed.rejected)
        report.warnings.extend(parsed.warnings)
        for entry in parsed.entries:
            if skeleton(entry.text):
                entries.append(entry)
            else:
                report.rejected.append(
                    Problem(entry.file, entry.line, "entry has no text besides punctuation: skipped")
                )
    return entries


def tag_and_title(articles: list[Article], taxonomy: Taxonomy, overrides: dict[str, str], report: IngestReport) -> None:
    tagger = Tagger(taxonomy)
    for article in articles:
        article.topics = tagger.topics_for(article.text)
        if not article.topics:
            article.topics = [FALLBACK_TOPIC_ID]
            report.unmatched.append(article.id)
            first = article.entries[0]
            report.warnings.append(
                Problem(first.file, first.line, f"no topic matched article {article.id}; tagged '{FALLBACK_TOPIC_ID}'")
            )
        article.title = overrides.get(article.id) or guess_title(article.text)


def hand_written_ids(docs: Path, manifest: Manifest) -> dict[str, str]:
    """``id -> path`` of every article under ``docs`` that the ingest does not own."""
    found: dict[str, str] = {}
    if not docs.exists():
        return found
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        if manifest.owns(relative, path.read_bytes()):
            continue
        page, _ = read_page(path)
        if page and page.meta.get("id"):
            found.setdefault(str(page.meta["id"]), relative)
    return found


def plan_files(
    articles: list[Article], docs: Path, manifest: Manifest, taxonomy: Taxonomy, report: IngestReport
) -> list[Planned]:
    hand_written = hand_written_ids(docs, manifest)
    planned = []
    for article in articles:
        if article.id in hand_written:
            report.taken_over.append(f"{article.id} -> {hand_written[article.id]}")
            continue
        key = article.skeleton[:ID_PREFIX_CHARS]
        article.slug = manifest.slug_for(key) or make_slug(article.id, article.topics[0])
        relative = f"{ARTICLES_DIR}/{article.slug}.md"
        path = docs / relative
        if path.exists() and not manifest.owns(relative, path.read_bytes()):
            report.conflicts.append(relative)
            report.warnings.append(
                Problem(
                    path.as_posix(),
                    1,
                    f"hand-written file has the slug of generated article {article.id}; left untouched, not generated",
                )
            )
            continue
        tags = [taxonomy.topic(topic_id).tag for topic_id in article.topics]
        planned.append(Planned(relative, article.id, key, render_article(article, tags).encode()))
    return planned


def run_ingest(feeds: list[Path], docs: Path, taxonomy: Taxonomy, titles: Path) -> IngestReport:
    report = IngestReport()
    entries = read_entries(feeds, report)
    overrides, title_problems = load_title_overrides(titles)
    report.warnings.extend(title_problems)
    articles = dedupe(entries)
    tag_and_title(articles, taxonomy, overrides, report)

    manifest, manifest_problem = Manifest.load(docs)
    if manifest_problem:
        report.warnings.append(manifest_problem)
    planned = plan_files(articles, docs, manifest, taxonomy, report)
    outcome = apply(docs, manifest, planned)
    report.written, report.unchanged, report.removed = outcome.written, outcome.unchanged, outcome.removed

    report.articles = len(articles)
    report.duplicates_merged = len(entries) - len(articles)
    report.entries_read = len(entries) + len(report.rejected)
    return report
