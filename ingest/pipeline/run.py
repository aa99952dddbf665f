"""The ingest pipeline: feed dumps in, Markdown articles and a report out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from ingest.pipeline.dedupe import ID_PREFIX_CHARS, dedupe
from ingest.pipeline.docsfiles import DocsFiles, markdown_files
from ingest.pipeline.feedcache import IngestCache, contribution_of
from ingest.pipeline.fingerprint import FileDigests
from ingest.pipeline.normalize import TextForms
from ingest.pipeline.parse import collect_feed_files
from ingest.pipeline.render import render_article, render_inputs
from ingest.pipeline.runcache import RunCache, inputs_fingerprint
from ingest.pipeline.slug import make_slug
from ingest.pipeline.tag import Tagger
from ingest.pipeline.title import guess_title, load_title_overrides
from ingest.pipeline.write import Manifest, Planned, apply
from ingest.shared.frontmatter_io import read_page
from ingest.shared.layout import ARTICLES_DIR
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


def topics_and_title(taxonomy: Taxonomy) -> Callable[[str], tuple[list[str], str]]:
    """What tagging and titling make of one article text: its topics and a guessed title."""
    tagger = None

    def analyse(text: str) -> tuple[list[str], str]:
        nonlocal tagger
        tagger = tagger or Tagger(taxonomy)  # built on first use: a cached run may need none
        return tagger.topics_for(text), guess_title(text)

    return analyse


def tag_and_title(
    articles: list[Article],
    taxonomy: Taxonomy,
    overrides: dict[str, str],
    report: IngestReport,
    analyse: Callable[[str], tuple[list[str], str]] | None = None,
) -> None:
    analyse = analyse or topics_and_title(taxonomy)
    for article in articles:
        article.topics, guessed = analyse(article.text)
        if not article.topics:
            article.topics = [FALLBACK_TOPIC_ID]
            report.unmatched.append(article.id)
            first = article.entries[0]
            report.warnings.append(
                Problem(first.file, first.line, f"no topic matched article {article.id}; tagged '{FALLBACK_TOPIC_ID}'")
            )
        article.title = overrides.get(article.id) or guessed


def hand_written_ids(docs: Path, manifest: Manifest, files: DocsFiles | None = None) -> dict[str, str]:
    """``id -> path`` of every article under ``docs`` that the ingest does not own."""
    files = files or DocsFiles(docs)
    found: dict[str, str] = {}
    if not docs.exists():
        return found
    for relative in markdown_files(docs):
        if manifest.owns_digest(relative, files.digest(relative)):
            continue
        page, _ = read_page(docs / relative)
        if page and page.meta.get("id"):
            found.setdefault(str(page.meta["id"]), relative)
    return found


def assign_slugs(articles: list[Article], manifest: Manifest) -> None:
    """Give every article its own slug, keeping the one the manifest remembers for it.

    Distinct articles can share an opening (so a manifest key) or the short id prefix of a
    slug. Remembered slugs are therefore claimed first, by id, then by key for a longer copy
    of an earlier article; only then do new articles get one, the full id breaking a clash.
    A clash would otherwise write two articles to one file and lose one of them.
    """
    taken: set[str] = set()

    def claim(article: Article, *candidates: str | None) -> bool:
        free = next((slug for slug in candidates if slug and slug not in taken), None)
        if free:
            article.slug = free
            taken.add(free)
        return bool(free)

    by_key = [article for article in articles if not claim(article, manifest.slug_for_id(article.id))]
    new = [article for article in by_key if not claim(article, manifest.slug_for(article.skeleton[:ID_PREFIX_CHARS]))]
    for article in new:
        topic = article.topics[0]
        claim(article, make_slug(article.id, topic), f"{topic}-{article.id}")


def plan_files(
    articles: list[Article],
    docs: Path,
    manifest: Manifest,
    taxonomy: Taxonomy,
    report: IngestReport,
    files: DocsFiles | None = None,
    rendered: Mapping[str, tuple[tuple, str]] | None = None,
    text_digest: Callable[[str], bytes] | None = None,
) -> list[Planned]:
    """What to write where.

    ``rendered``: ``relative -> (render inputs, sha256)`` of what an earlier run wrote, with
    ``text_digest`` hashing article texts: an article whose ``render.render_inputs`` are the
    same, for a file that still holds that sha256, is not rendered again (``Planned.content`` None).
    """
    files = files or DocsFiles(docs)
    hand_written = hand_written_ids(docs, manifest, files)
    generated = []
    for article in articles:
        if article.id in hand_written:
            report.taken_over.append(f"{article.id} -> {hand_written[article.id]}")
        else:
            generated.append(article)
    assign_slugs(generated, manifest)
    tag_of = {topic.id: topic.tag for topic in taxonomy.topics}  # Taxonomy.topic searches the list
    planned = []
    for article in generated:
        key = article.skeleton[:ID_PREFIX_CHARS]
        relative = f"{ARTICLES_DIR}/{article.slug}.md"
        path = docs / relative
        digest = files.digest(relative)
        if digest is not None and not manifest.owns_digest(relative, digest):
            report.conflicts.append(relative)
            report.warnings.append(
                Problem(
                    path.as_posix(),
                    1,
                    f"hand-written file has the slug of generated article {article.id}; left untouched, not generated",
                )
            )
            continue
        tags = [tag_of[topic_id] for topic_id in article.topics]
        if rendered is None or text_digest is None:
            planned.append(Planned(relative, article.id, key, render_article(article, tags).encode()))
            continue
        inputs = render_inputs(article, tags, text_digest(article.text))
        remembered = rendered.get(relative)
        if remembered is not None and remembered[0] == inputs and remembered[1] == digest:
            planned.append(Planned(relative, article.id, key, None, digest, inputs))
        else:
            planned.append(Planned(relative, article.id, key, render_article(article, tags).encode(), "", inputs))
    return planned


RUN_RECORD = "run.json"  # the whole-run skip (``runcache``) inside the cache folder


def run_ingest(
    feeds: list[Path],
    docs: Path,
    taxonomy: Taxonomy,
    titles: Path,
    cache: Path | None = None,
    progress: Callable[[str], object] = lambda stage: None,
    cache_dir: Path | None = None,
) -> IngestReport:
    """Run every stage; ``progress`` hears each of ``STAGES`` as it starts.

    ``cache_dir``: keep what each feed contributed there and reuse it (``feedcache``), and skip
    the run altogether when nothing changed (``runcache``, recorded in ``cache_dir/run.json``,
    or in ``cache`` when given).
    """
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
    progress("tag")
    analyse = feed_cache.memoised(topics_and_title(taxonomy)) if feed_cache else None
    tag_and_title(articles, taxonomy, overrides, report, analyse)

    progress("plan")
    manifest, manifest_problem = Manifest.load(docs)
    if manifest_problem:
        report.warnings.append(manifest_problem)
    known, rendered = feed_cache.docs_state(docs) if feed_cache else ({}, None)
    files = DocsFiles(docs, known)
    text_digest = feed_cache.text_digest if feed_cache else None
    planned = plan_files(articles, docs, manifest, taxonomy, report, files, rendered, text_digest)
    progress("write")
    outcome = apply(docs, manifest, planned, files)
    report.written, report.unchanged, report.removed = outcome.written, outcome.unchanged, outcome.removed

    report.articles = len(articles)
    report.duplicates_merged = len(entries) - len(articles)
    report.entries_read = len(entries) + len(report.rejected)
    if feed_cache:
        feed_cache.remember_docs(docs, files.states([item.relative for item in planned]), planned)
        feed_cache.save()
    # A re-run would not repeat the warning about an unreadable manifest (this run rewrote it).
    if run_cache and not manifest_problem:
        run_cache.record(docs, report.as_json())
    return report
