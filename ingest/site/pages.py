"""Markdown for the pages the site generates at build time: topic pages and the article index.

Pure functions of the taxonomy and the article list, so they can be tested without MkDocs
and moved to another engine unchanged.
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter, defaultdict
from collections.abc import Sequence

from ingest.shared.markdown import escape_markdown
from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy, Topic
from ingest.site.library import LibraryArticle
from ingest.site.related import Related, RelatedSettings

TOPICS_DIR = "topics"
ALL_ARTICLES_PAGE = "all-articles.md"


def topic_page_path(topic_id: str) -> str:
    return f"{TOPICS_DIR}/{topic_id}.md"


def relative_link(from_page: str, to_page: str) -> str:
    """The Markdown link target from one docs-relative page to another; MkDocs turns it into a URL."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def articles_by_topic(articles: list[LibraryArticle]) -> dict[str, list[LibraryArticle]]:
    grouped: dict[str, list[LibraryArticle]] = defaultdict(list)
    for article in articles:
        for topic_id in article.topics:
            grouped[topic_id].append(article)
    for members in grouped.values():
        members.sort(key=lambda article: (article.title, article.path))
    return grouped


def visible_topics(taxonomy: Taxonomy, grouped: dict[str, list[LibraryArticle]]) -> list[Topic]:
    """Every topic, except the fallback one while no article needs it."""
    return [topic for topic in taxonomy.topics if topic.id != FALLBACK_TOPIC_ID or grouped.get(topic.id)]


def link_to_article(article: LibraryArticle, from_dir_depth: int = 1) -> str:
    return f"[{escape_link_text(article.title)}]({'../' * from_dir_depth}{article.path})"


def escape_link_text(text: str) -> str:
    # Titles come from scraped excerpts: same escaping as the article body (Markdown has no
    # backslash escape for "<", and "$" would start math).
    return escape_markdown(text)


def formula_block(name: str, tex: str) -> str:
    return f"**{name}**\n\n$$\n{tex}\n$$\n"


def topic_page(topic: Topic, taxonomy: Taxonomy, members: list[LibraryArticle]) -> str:
    section = next(section for section in taxonomy.sections if section.id == topic.section)
    lines = [
        "---",
        f"title: {json.dumps(topic.zh, ensure_ascii=False)}",
        "---",
        "",
        f"# {topic.zh} <small>{topic.en}</small>",
        "",
        f"所属分区：{section.zh} · 共 {len(members)} 篇文章",
        "",
        topic.description,
        "",
    ]
    if topic.formulas:
        lines += ["## 关键公式", ""]
        lines += [formula_block(formula.name, formula.tex) for formula in topic.formulas]
    lines += [f"## 文章（{len(members)}） {{ data-search-exclude }}", ""]
    if members:
        # Search finds the articles themselves; their titles here would only make the topic page
        # match every query that matches one of them.
        lines += excluded_block("kb-topic-articles", [f"- {link_to_article(article)}" for article in members])
    else:
        lines.append("暂无文章。")
    lines += related_topics_section(topic, taxonomy, members, section.zh)
    aliases = [alias for alias in topic.aliases if alias not in (topic.zh, topic.en)]
    if aliases:
        lines += ["", "## 别名", "", "、".join(f"`{alias}`" for alias in aliases)]
    return "\n".join(lines) + "\n"


def related_topics_section(topic: Topic, taxonomy: Taxonomy, members: list[LibraryArticle], section_zh: str) -> list:
    """Topics sharing articles with this one, then the rest of its section, as links."""
    here = topic_page_path(topic.id)
    neighbours = related_topics(topic, taxonomy, members)
    siblings = [other for other in taxonomy.topics_in(topic.section) if other.id not in (topic.id, FALLBACK_TOPIC_ID)]
    if not (neighbours or siblings):
        return []
    # Other topics' names: out of search, or this page would answer queries for those topics.
    lines = ["", "## 相关主题 { data-search-exclude }", ""]
    listed = []
    if neighbours:
        listed += ["与本主题有共同文章的主题：", ""]
        listed += [
            f"- [{other.zh}]({relative_link(here, topic_page_path(other.id))})（共同文章 {shared} 篇）"
            for other, shared in neighbours
        ]
        listed.append("")
    if siblings:
        links = " · ".join(f"[{other.zh}]({relative_link(here, topic_page_path(other.id))})" for other in siblings)
        listed.append(f"同属「{section_zh}」分区的其他主题：{links}")
    return lines + excluded_block("kb-related-topics", listed)


def related_topics(topic: Topic, taxonomy: Taxonomy, members: list[LibraryArticle]) -> list[tuple[Topic, int]]:
    """Other topics that share articles with ``topic``, most shared first, then in taxonomy order."""
    shared = Counter(other for article in members for other in dict.fromkeys(article.topics) if other != topic.id)
    order = {candidate.id: index for index, candidate in enumerate(taxonomy.topics)}
    known = [topic_id for topic_id in shared if topic_id in order]
    known.sort(key=lambda topic_id: (-shared[topic_id], order[topic_id]))
    return [(taxonomy.topic(topic_id), shared[topic_id]) for topic_id in known]


def all_articles_page(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> str:
    grouped = articles_by_topic(articles)
    # Out of search (Material's front-matter switch): a list of every title matches every query.
    lines = ["---", "title: 全部文章", "search:", "  exclude: true", "---", "", f"# 全部文章（{len(articles)}）", ""]
    lines.append("按分区和主题列出知识库中的每一篇文章；一篇文章可能属于多个主题。")
    for section in taxonomy.sections:
        topics = [topic for topic in taxonomy.topics_in(section.id) if grouped.get(topic.id)]
        if not topics:
            continue
        lines += ["", f"## {section.zh}"]
        for topic in topics:
            lines += ["", f"### [{topic.zh}]({topic_page_path(topic.id)}) （{len(grouped[topic.id])}）", ""]
            lines += [f"- {link_to_article(article, from_dir_depth=0)}" for article in grouped[topic.id]]
    return "\n".join(lines) + "\n"


def navigation(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> list:
    """Sections and topics only: article pages stay out of the nav so that every page's
    embedded navigation stays small at any corpus size; topic pages list the articles."""
    grouped = articles_by_topic(articles)
    nav: list = [{"首页": "index.md"}]
    shown = visible_topics(taxonomy, grouped)
    for section in taxonomy.sections:
        topics = [topic for topic in shown if topic.section == section.id]
        if topics:
            nav.append(
                {
                    section.zh: [
                        {f"{topic.zh}（{len(grouped.get(topic.id, []))}）": topic_page_path(topic.id)}
                        for topic in topics
                    ]
                }
            )
    nav.append({"全部文章": ALL_ARTICLES_PAGE})
    nav.append({"标签": "tags.md"})
    return nav


# Footer blocks repeat on every article (the same notice, other articles' titles): they carry
# Material's data-search-exclude so search leaves them out of the index, where they would only
# add false matches (ingest/site/search_index.py skips every element so marked). The
# admonitions are written as their HTML (what the admonition extension would produce), each
# with the attribute itself.
RELATED_HEADING = "## 相关文章 { #related data-search-exclude }"


def excluded_block(css_class: str, lines: list[str], title: str | None = None) -> list[str]:
    """Markdown ``lines`` in a div search does not index; with ``title``, styled as an admonition."""
    block = [f'<div class="{css_class}" data-search-exclude markdown>']
    if title:
        block.append(f'<p class="admonition-title">{title}</p>')
    return [*block, "", *lines, "", "</div>", ""]


def article_footer(article: LibraryArticle, taxonomy: Taxonomy, related: Sequence[Related] = ()) -> str:
    """What follows an article's text: a truncation notice, its provenance, its topics, related articles."""
    lines = ["", "---", ""]
    if article.truncated:
        notice = ["订阅源只给出了这篇文章的开头，正文在末尾的省略号处被截断，以上并非全文。"]
        lines += excluded_block("admonition warning", notice, title="这是一段摘录")
    if article.sources:
        lines += excluded_block("admonition info", provenance(article), title="来源")
    known = {topic.id for topic in taxonomy.topics}
    topics = [taxonomy.topic(topic_id) for topic_id in article.topics if topic_id in known]
    if topics:
        links = " · ".join(
            f"[{topic.zh}]({relative_link(article.path, topic_page_path(topic.id))})" for topic in topics
        )
        lines += [f"**所属主题：** {links}", ""]
    if related:
        lines += [RELATED_HEADING, ""]
        intro = "按共同主题和正文相似度推荐，每篇后注明推荐理由："
        links = [f"- {related_link(article, other, taxonomy)}" for other in related]
        lines += excluded_block("kb-related", [intro, "", *links])
    return "\n".join(lines)


def provenance(article: LibraryArticle) -> list[str]:
    """Every feed dump and line the article was taken from, and its date, as Markdown lines."""
    intro = "本文由订阅源摘录自动生成，" if article.generated else "本文参考了订阅源摘录，"
    lines = [f"{intro}出现在以下 {len(article.sources)} 处：", ""]
    for source in article.sources:
        file, separator, line = source.rpartition(":")
        lines.append(f"- `{file}` 第 {line} 行" if separator and line.isdigit() else f"- `{source}`")
    lines += ["", f"日期：{article.date}" if article.date else "日期：订阅源未注明"]
    return lines


# Texts this similar are "内容相近" (the threshold below which related.py ignores text similarity).
SIMILAR_TEXT = RelatedSettings().min_text_similarity


def related_link(article: LibraryArticle, other: Related, taxonomy: Taxonomy) -> str:
    """A link to a related article with every reason it is listed: the topics both share, similar
    text, or (for an article chosen only to reach the minimum) the section both belong to."""
    link = f"[{escape_link_text(other.title)}]({relative_link(article.path, other.path)})"
    names = {topic.id: topic.zh for topic in taxonomy.topics}
    shared = [names[topic_id] for topic_id in other.shared_topics if topic_id in names]
    reasons = ["同属主题：" + "、".join(shared)] if shared else []
    if not other.fallback and other.text_similarity >= SIMILAR_TEXT:
        reasons.append("内容相近")
    if not reasons and other.fallback:
        sections = {section.id: section.zh for section in taxonomy.sections}
        same = [sections[section_id] for section_id in other.shared_sections if section_id in sections]
        if same:
            reasons.append("同属分区：" + "、".join(same))
    return f'{link} <small class="kb-related__why">{" · ".join(reasons)}</small>' if reasons else link
