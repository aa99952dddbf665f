"""Why an article got its topics and its title: ``python -m ingest explain ID_OR_SLUG``.

A maintainer who finds a wrong tag fixes it in ``taxonomy.yml`` and needs to see how it came
about. The article is found by its id or slug (the file name under ``docs/articles/``, whose
front matter holds the id and sources), then the pipeline's own stages run again on the feeds
(parse, normalize, dedupe, tag over the whole corpus, since alias rarity is measured over it,
and title), so what is printed is exactly what the ingest computes: every alias matched, where
(heading, opening or body, with its offset), with what weight, each topic's score, why each
topic was kept or dropped, and why the title was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline.dedupe import dedupe
from ingest.pipeline.keyphrases import ChineseKeywords
from ingest.pipeline.run import IngestReport, read_entries
from ingest.pipeline.tag import CHILD_SHARE, SECONDARY_SHARE, TagDecision, Tagger
from ingest.pipeline.title import choose_title, load_title_overrides, subject_for
from ingest.shared.frontmatter_io import read_page
from ingest.shared.layout import ARTICLES_DIR
from ingest.shared.model import Article
from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy

EXCERPT_CHARS = 160


class ExplainError(Exception):
    """The article could not be found (or the feeds could not be read)."""


@dataclass
class Located:
    article: Article
    path: str | None  # the Markdown file under docs/, when there is one


def safe(text: str) -> str:
    """Feed text is hostile: control characters reach the terminal as escapes, never raw."""
    return "".join(char if char.isprintable() or char == " " else f"\\u{ord(char):04x}" for char in str(text))


def _docs_pages(docs: Path) -> list[tuple[Path, dict]]:
    folder = docs / ARTICLES_DIR
    pages = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            page, _ = read_page(path)
            if page is not None:
                pages.append((path, page.meta))
    return pages


def locate(reference: str, articles: list[Article], docs: Path) -> Located:
    """The article named by ``reference``: an id, a slug, or a file name under docs/articles/."""
    wanted = reference.strip().removesuffix(".md")
    by_id = {article.id: article for article in articles}
    by_source = {source: article for article in articles for source in article.sources}
    for path, meta in _docs_pages(docs):
        if wanted not in (path.stem, str(meta.get("id", ""))):
            continue
        article = by_id.get(str(meta.get("id", "")))
        if article is None:
            # An older copy of the text may have had another id: find it by its sources.
            article = next((by_source[s] for s in map(str, meta.get("sources") or []) if s in by_source), None)
        if article is None:
            raise ExplainError(
                f"{path.as_posix()} is not generated from the feeds (hand-written, or its feed lines are gone)"
            )
        return Located(article, path.as_posix())
    if wanted in by_id:
        return Located(by_id[wanted], None)
    raise ExplainError(f"no article with id or slug {reference!r} in {docs.as_posix()}/{ARTICLES_DIR} or the feeds")


def explain(reference: str, feeds: list[Path], docs: Path, taxonomy: Taxonomy, titles: Path) -> str:
    report = IngestReport()
    articles = dedupe(read_entries(feeds, report))
    located = locate(reference, articles, docs)
    tagger = Tagger(taxonomy)
    decisions = tagger.tag_texts([article.text for article in articles])
    decision = decisions[articles.index(located.article)]
    overrides, _ = load_title_overrides(titles)
    return render(located, decision, tagger, taxonomy, overrides, len(articles))


def render(
    located: Located, decision: TagDecision, tagger: Tagger, taxonomy: Taxonomy, overrides: dict, corpus: int
) -> str:
    article = located.article
    text = article.text
    lines = [f"article {article.id}" + (f" ({located.path})" if located.path else " (not written to docs/)")]
    lines.append(f"sources: {', '.join(safe(source) for source in article.sources)}")
    excerpt = text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")
    lines.append(f"text: {safe(excerpt)}")

    opening = decision.opening
    lines.append("")
    lines.append("structure of the opening:")
    for heading in opening.headings:
        number = f" {safe(heading.number)}" if heading.number else ""
        lines.append(f"  {heading.kind}{number}: {safe(heading.text)!s} [{heading.start}:{heading.end}]")
    for entry in opening.toc:
        lines.append(f"  table of contents entry {safe(entry.number)} {safe(entry.text)}")
    if not opening.headings:
        lines.append("  no heading glued to the text")
    lines.append(f"  running text starts at offset {opening.body_start}")

    lines.append("")
    lines.append(f"aliases matched (weight = zone × rarity × 1/owners ÷ repeat; rarity over {corpus} articles):")
    if not decision.matches:
        lines.append("  none")
    rows = sorted(
        (contribution for item in decision.evidence.values() for contribution in item.contributions),
        key=lambda contribution: (contribution.match.start, contribution.match.topic_ids),
    )
    seen = set()
    for contribution in rows:
        match = contribution.match
        if (match.start, match.key) in seen:
            continue
        seen.add((match.start, match.key))
        surface = safe(text[match.start : match.end])
        owners = ", ".join(match.topic_ids)
        lines.append(
            f"  @{match.start:<4} {match.zone:<7} {surface!r:<24} -> {owners:<28} "
            f"{match.zone_weight:g} × {contribution.rarity:.2f} × {contribution.ownership:.2g} ÷ {contribution.repeat}"
            f" = {contribution.value:.2f}"
        )

    lines.append("")
    lines.append(
        f"topic scores (a child beats its parent at ≥ {CHILD_SHARE:.0%} of the parent's score; "
        f"a secondary needs ≥ {SECONDARY_SHARE:.0%} of the primary's and two matches or one in a heading):"
    )
    for topic_id in decision.ranking:
        topic = taxonomy.topic(topic_id)
        parent = f" (child of {topic.parent})" if topic.parent else ""
        reason = decision.reasons.get(topic_id, "")
        lines.append(f"  {decision.score(topic_id):7.2f}  {topic_id}{parent} [{safe(topic.tag)}]: {reason}")
    if not decision.topics:
        lines.append(f"  nothing matched: tagged {FALLBACK_TOPIC_ID!r} and listed in the report's 'unmatched'")
    tags = [taxonomy.topic(topic_id).tag for topic_id in decision.topics] or [taxonomy.topic(FALLBACK_TOPIC_ID).tag]
    lines.append(f"tags: {', '.join(safe(tag) for tag in tags)}")

    lines.append("")
    subject = subject_for(decision, text, taxonomy)
    keywords = ChineseKeywords(name for topic in taxonomy.topics for name in topic.names)
    choice = choose_title(text, subject, opening, tagger.is_alias, keywords)
    if article.id in overrides:
        lines.append(f"title: {safe(overrides[article.id])!r}: curated in titles.yml (wins over the guess)")
        lines.append(f"  the guess would be {safe(choice.title)!r}: {safe(choice.reason)}")
    else:
        lines.append(f"title: {safe(choice.title)!r}: {safe(choice.reason)}")
    if subject is not None:
        lines.append(
            f"  subject {safe(subject.name)!r}; key phrases from the taxonomy: {safe(list(subject.phrases[:5]))}"
        )
    return "\n".join(lines) + "\n"
