"""The 最近更新 page: what each ingest (or contribution) added and changed, newest first.

A batch is one commit that added or changed articles (an ingest run committed, a pull request
merged), from ``ingest.site.history``; articles not committed yet (a contributor previewing
with ``make serve``) come first as their own batch. Each entry shows the article's topics and
the feed dump's date where the feed gave one.

Without git history the page falls back to the dumps' dates: one batch per date, newest
first, then the articles whose feed gave no date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ingest.shared.taxonomy import Taxonomy
from ingest.site.history import Commit
from ingest.site.library import LibraryArticle
from ingest.site.pages import ALL_ARTICLES_PAGE, escape_link_text, relative_link, topic_page_path
from ingest.site.reading_order import reading_key

RECENT_PAGE = "recent.md"
RECENT_TITLE = "最近更新"
MAX_BATCHES = 30
MAX_ENTRIES = 300  # past this the page stops listing; 全部文章 has everything


@dataclass
class Batch:
    heading: str
    date: datetime | None = None
    commit: str | None = None
    added: list[LibraryArticle] = field(default_factory=list)
    updated: list[LibraryArticle] = field(default_factory=list)


def _by_title(articles: list[LibraryArticle]) -> list[LibraryArticle]:
    return sorted(articles, key=lambda article: (reading_key(article.title), article.path))


def batches(articles: list[LibraryArticle], history: list[Commit] | None) -> list[Batch]:
    """The batches to list, newest first (see the module docstring)."""
    if history is None:
        return _batches_by_feed_date(articles)
    by_path = {article.path: article for article in articles}
    committed: set[str] = set()
    result: list[Batch] = []
    for commit in history:  # newest first
        committed.update(commit.added)
        committed.update(commit.modified)
        added = [by_path[path] for path in commit.added if path in by_path]
        updated = [by_path[path] for path in commit.modified if path in by_path]
        if added or updated:
            heading = commit.date.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
            result.append(Batch(heading, commit.date, commit.sha, _by_title(added), _by_title(updated)))
    uncommitted = [article for article in articles if article.path not in committed]
    if uncommitted:
        result.insert(0, Batch("尚未提交", added=_by_title(uncommitted)))
    return result


def _batches_by_feed_date(articles: list[LibraryArticle]) -> list[Batch]:
    grouped: dict[str | None, list[LibraryArticle]] = defaultdict(list)
    for article in articles:
        grouped[article.date].append(article)
    dated = sorted((date for date in grouped if date), reverse=True)
    result = [Batch(f"订阅源日期 {date}", added=_by_title(grouped[date])) for date in dated]
    if grouped.get(None):
        result.append(Batch("订阅源未注明日期", added=_by_title(grouped[None])))
    return result


def _entry(article: LibraryArticle, taxonomy: Taxonomy) -> str:
    link = f"[{escape_link_text(article.title)}]({relative_link(RECENT_PAGE, article.path)})"
    known = {topic.id: topic for topic in taxonomy.topics}
    topics = " · ".join(
        f"[{known[topic_id].zh}]({relative_link(RECENT_PAGE, topic_page_path(topic_id))})"
        for topic_id in article.topics
        if topic_id in known
    )
    details = [topics] if topics else []
    if article.date:
        details.append(f"订阅源日期 {escape_link_text(article.date)}")
    if not article.generated:
        details.append("投稿")
    return f"- {link}" + (f" <small>{' · '.join(details)}</small>" if details else "")


def recent_page(
    articles: list[LibraryArticle],
    history: list[Commit] | None,
    taxonomy: Taxonomy,
    feed_path: str | None = None,
) -> str:
    """The Markdown of the 最近更新 page."""
    lines = ["---", f"title: {RECENT_TITLE}", "---", "", f"# {RECENT_TITLE}", ""]
    intro = "每次导入订阅源或合并投稿新增、更新的文章，最新的在前。"
    if history is None:
        intro = "这份站点没有 git 历史，因此按订阅源给出的日期列出文章，最新的在前。"
    if feed_path:
        intro += f"也可以用阅读器订阅：[Atom 订阅源]({relative_link(RECENT_PAGE, feed_path)})。"
    lines += [intro, ""]
    shown = 0
    listed = batches(articles, history)
    for batch in listed[:MAX_BATCHES]:
        if shown >= MAX_ENTRIES:
            break
        counts = []
        if batch.added:
            counts.append(f"新增 {len(batch.added)} 篇")
        if batch.updated:
            counts.append(f"更新 {len(batch.updated)} 篇")
        lines += [f"## {batch.heading}", "", "，".join(counts) + "。", ""]
        for label, members in (("新增", batch.added), ("更新", batch.updated)):
            if not members:
                continue
            if batch.added and batch.updated:
                lines += [f"**{label}**", ""]
            for article in members[: max(0, MAX_ENTRIES - shown)]:
                lines.append(_entry(article, taxonomy))
                shown += 1
            lines.append("")
    if len(listed) > MAX_BATCHES or shown >= MAX_ENTRIES:
        lines += [f"更早的文章见[全部文章]({relative_link(RECENT_PAGE, ALL_ARTICLES_PAGE)})。", ""]
    if not listed:
        lines += ["暂无文章。", ""]
    return "\n".join(lines)
