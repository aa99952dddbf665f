"""Markdown for the pages the site generates at build time: topic pages and the article index.

Pure functions of the taxonomy and the article list, so they can be tested without MkDocs
and moved to another engine unchanged.
"""

from __future__ import annotations

import json
from collections import defaultdict

from ingest.library import LibraryArticle
from ingest.taxonomy import FALLBACK_TOPIC_ID, Taxonomy, Topic

TOPICS_DIR = "topics"
ALL_ARTICLES_PAGE = "all-articles.md"


def topic_page_path(topic_id: str) -> str:
    return f"{TOPICS_DIR}/{topic_id}.md"


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
    return "".join("\\" + char if char in "[]*_`\\<>" else char for char in text)


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
    lines += [f"## 文章（{len(members)}）", ""]
    if members:
        lines += [f"- {link_to_article(article)}" for article in members]
    else:
        lines.append("暂无文章。")
    aliases = [alias for alias in topic.aliases if alias not in (topic.zh, topic.en)]
    if aliases:
        lines += ["", "## 别名", "", "、".join(f"`{alias}`" for alias in aliases)]
    return "\n".join(lines) + "\n"


def all_articles_page(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> str:
    grouped = articles_by_topic(articles)
    lines = ["---", "title: 全部文章", "---", "", f"# 全部文章（{len(articles)}）", ""]
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


def article_footer(article: LibraryArticle, taxonomy: Taxonomy) -> str:
    """Links back to the article's topics and where the text came from."""
    lines = ["", "---", ""]
    topics = [taxonomy.topic(topic_id) for topic_id in article.topics if any(t.id == topic_id for t in taxonomy.topics)]
    if topics:
        links = " · ".join(f"[{topic.zh}](../{topic_page_path(topic.id)})" for topic in topics)
        lines += [f"**主题：** {links}", ""]
    if article.generated or article.sources:
        lines += ['!!! info "来源"', ""]
        if article.sources:
            lines.append("    本文摘自订阅源：" + "、".join(f"`{source}`" for source in article.sources) + "。")
        if article.date:
            lines.append(f"    日期：{article.date}。")
        if article.truncated:
            lines.append("    **原文在此处被截断**，以上只是摘录。")
        lines.append("")
    return "\n".join(lines)
