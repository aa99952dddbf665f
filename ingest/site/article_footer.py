"""What follows every article's text: a truncation notice, its provenance, its topics, related articles.

The blocks are written as HTML, not as Markdown inside ``md_in_html`` blocks: Python-Markdown
stashes an HTML block whole, where the same footer as Markdown cost about three times the
article's own text to convert (on 400 bench articles: 1.55 s for the footers alone, 0.58 s for
the bodies), a sixth of a 5,000-article build. So every text in them is HTML-escaped here, and
every link is the URL ``href`` gives for a page of ``docs/`` (the kb plugin asks MkDocs, as a
Markdown link would have); only the 相关文章 heading stays Markdown, for the table of contents.

The blocks carry Material's ``data-search-exclude``: they repeat on every article (the same
notice, other articles' titles) and would only add false matches to search
(``search_index.py`` skips every element so marked).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from ingest.shared.taxonomy import Taxonomy
from ingest.site.library import LibraryArticle
from ingest.site.pages import relative_link, topic_page_path
from ingest.site.related import Related, RelatedSettings

# A docs page (``topics/rnn.md``) -> its URL from the article's page; None if it is not published.
Href = Callable[[str], str | None]

RELATED_HEADING = "## 相关文章 { #related data-search-exclude }"
# Texts this similar are "内容相近" (the threshold below which related.py ignores text similarity).
SIMILAR_TEXT = RelatedSettings().min_text_similarity
TRUNCATED_NOTICE = "订阅源只给出了这篇文章的开头，正文在末尾的省略号处被截断，以上并非全文。"
RELATED_INTRO = "按共同主题和正文相似度推荐，每篇后注明推荐理由："


def article_footer(
    article: LibraryArticle, taxonomy: Taxonomy, related: Sequence[Related] = (), href: Href | None = None
) -> str:
    """The footer's Markdown. Without ``href``, links are relative ``.md`` paths (for tests and
    tools that convert the footer alone)."""
    href = href or (lambda target: relative_link(article.path, target))
    lines = ["", "---", ""]
    if article.truncated:
        lines += excluded_block("admonition warning", [paragraph(escape(TRUNCATED_NOTICE))], title="这是一段摘录")
    if article.sources:
        lines += excluded_block("admonition info", provenance(article), title="来源")
    known = {topic.id for topic in taxonomy.topics}
    topics = [taxonomy.topic(topic_id) for topic_id in article.topics if topic_id in known]
    if topics:
        links = " · ".join(link(topic.zh, href(topic_page_path(topic.id))) for topic in topics)
        lines += [paragraph(f"<strong>所属主题：</strong> {links}"), ""]
    if related:
        items = [f"<li>{related_item(other, taxonomy, href)}</li>" for other in related]
        lines += [RELATED_HEADING, ""]
        lines += excluded_block("kb-related", [paragraph(escape(RELATED_INTRO)), "<ul>", *items, "</ul>"])
    return "\n".join(lines)


def excluded_block(css_class: str, html_lines: list[str], title: str | None = None) -> list[str]:
    """An HTML div search does not index, with no blank line inside (Markdown would end the block
    there); with ``title``, styled as an admonition, as the admonition extension writes one."""
    block = [f'<div class="{css_class}" data-search-exclude>']
    if title:
        block.append(f'<p class="admonition-title">{escape(title)}</p>')
    return [*block, *html_lines, "</div>", ""]


def paragraph(html: str) -> str:
    return f"<p>{html}</p>"


def link(text: str, url: str | None) -> str:
    """A link to a page, or its name alone when the page is not published."""
    return f'<a href="{escape(url)}">{escape(text)}</a>' if url is not None else escape(text)


def provenance(article: LibraryArticle) -> list[str]:
    """Every feed dump and line the article was taken from, and its date, as HTML lines."""
    intro = "本文由订阅源摘录自动生成，" if article.generated else "本文参考了订阅源摘录，"
    lines = [paragraph(f"{intro}出现在以下 {len(article.sources)} 处："), "<ul>"]
    for source in article.sources:
        file, separator, line = source.rpartition(":")
        # A feed file may be named "<img src=x onerror=…>.txt": escaped, shown as text.
        if separator and line.isdigit():
            lines.append(f"<li><code>{escape(file)}</code> 第 {line} 行</li>")
        else:
            lines.append(f"<li><code>{escape(source)}</code></li>")
    lines += ["</ul>", paragraph(f"日期：{escape(article.date)}" if article.date else "日期：订阅源未注明")]
    return lines


def related_item(other: Related, taxonomy: Taxonomy, href: Href) -> str:
    """A link to a related article with every reason it is listed: the topics both share, similar
    text, or (for an article chosen only to reach the minimum) the section both belong to."""
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
    item = link(other.title, href(other.path))
    return f'{item} <small class="kb-related__why">{escape(" · ".join(reasons))}</small>' if reasons else item


def article_markdown(
    body: str, article: LibraryArticle, taxonomy: Taxonomy, related: Sequence[Related] = (), href: Href | None = None
) -> str:
    """An article page's Markdown as the site renders it: its body, then the footer."""
    return body + "\n" + article_footer(article, taxonomy, related, href)
