"""Markdown for the pages the site generates at build time: topic pages and the article index.

Pure functions of the taxonomy and the article list, so they can be tested without MkDocs
and moved to another engine unchanged.

Every piece of text from taxonomy.yml or an article's front matter is escaped as it is written
(``markdown_text`` for Markdown, ``escape_text`` for HTML and navigation titles), and link
targets are percent-encoded, so no name, title or file name can add Markdown structure, HTML or
a line break to a generated page.
"""

from __future__ import annotations

import html
import posixpath
from collections import Counter, defaultdict
from urllib.parse import quote

import yaml

from ingest.shared.markdown import escape_markdown
from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy, Topic
from ingest.site.description import render_description
from ingest.site.library import LibraryArticle
from ingest.site.plain_text import escape_text
from ingest.site.topic_tree import TopicEntry, TopicTree

TOPICS_DIR = "topics"
ALL_ARTICLES_PAGE = "all-articles.md"
UNCATEGORIZED_PAGE = "maintainers/uncategorized.md"
# Material's per-page search boost (front matter ``search.boost``): a topic page names its topic,
# aliases and article titles, so without this it outranks the articles a query is looking for.
TOPIC_PAGE_SEARCH_BOOST = 0.2


def topic_page_path(topic_id: str) -> str:
    return f"{TOPICS_DIR}/{topic_id}.md"


def relative_link(from_page: str, to_page: str) -> str:
    """The Markdown link target from one docs-relative page to another; MkDocs turns it into a URL.

    Percent-encoded: a contributor's file name may hold spaces, parentheses or ``<``, which would
    end a Markdown link early. MkDocs decodes the target before looking the page up.
    """
    return quote(posixpath.relpath(to_page, posixpath.dirname(from_page) or "."), safe="/")


def markdown_text(text: str) -> str:
    """Plain text (a name, a title) inside generated Markdown: shown as written, never structure."""
    return escape_markdown(text)


def yaml_string(text: str) -> str:
    """``text`` as one double-quoted YAML scalar: line breaks and control characters escaped."""
    return (
        yaml.dump(text, Dumper=yaml.SafeDumper, default_style='"', allow_unicode=True, width=1 << 30)
        .removesuffix("\n...\n")
        .strip()
    )


def articles_by_topic(articles: list[LibraryArticle]) -> dict[str, list[LibraryArticle]]:
    grouped: dict[str, list[LibraryArticle]] = defaultdict(list)
    for article in articles:
        for topic_id in article.topics:
            grouped[topic_id].append(article)
    for members in grouped.values():
        members.sort(key=lambda article: (article.title, article.path))
    return grouped


def visible_topics(taxonomy: Taxonomy, grouped: dict[str, list[LibraryArticle]]) -> list[Topic]:
    """The non-empty topics (with articles of their own or in a child), each parent followed by its
    children; the navigation and the topic map show these and no others."""
    return [entry.topic for entry in TopicTree(taxonomy, grouped).shown()]


def link_to_article(article: LibraryArticle, from_page: str) -> str:
    return f"[{escape_link_text(article.title)}]({relative_link(from_page, article.path)})"


def escape_link_text(text: str) -> str:
    # Titles come from scraped excerpts: same escaping as the article body (Markdown has no
    # backslash escape for "<", and "$" would start math).
    return markdown_text(text)


def formula_block(name: str, tex: str) -> str:
    """A named display formula, written as the HTML arithmatex itself would produce.

    The TeX never passes through Markdown, so a formula holding ``$$`` or ``</div><script>`` is
    still one formula: it is HTML-escaped (line breaks too, which TeX comments need) inside the
    element the KaTeX step renders (``ingest.site.math_render``).
    """
    escaped = html.escape(tex.strip(), quote=False).replace("\r", "&#13;").replace("\n", "&#10;")
    return f'**{markdown_text(name)}**\n\n<div class="arithmatex">\\[{escaped}\\]</div>\n'


def topic_description_html(topic: Topic) -> str:
    html_block, _ = render_description(topic.description)
    return html_block


def topic_math_html(topic: Topic) -> str:
    """The HTML holding every formula of ``topic``'s page: its description and its key formulas, exactly as
    the page carries them (raw HTML blocks, which Markdown passes through), for ``check``'s KaTeX run."""
    return "\n".join([topic_description_html(topic), *(formula_block("", formula.tex) for formula in topic.formulas)])


def topic_page_front_matter(topic: Topic, entry: TopicEntry) -> list[str]:
    """An empty topic's page stays out of search (it would only crowd the results with a name);
    the others weigh less than articles, which are what a query is looking for."""
    search = "  exclude: true" if entry.is_empty else f"  boost: {TOPIC_PAGE_SEARCH_BOOST}"
    return ["---", f"title: {yaml_string(topic.zh)}", "search:", search, "---"]


def topic_page(topic: Topic, tree: TopicTree) -> str:
    taxonomy = tree.taxonomy
    entry = tree.entry(topic.id)
    section = next(section for section in taxonomy.sections if section.id == topic.section)
    here = topic_page_path(topic.id)
    description = topic_description_html(topic)
    where = [f"所属分区：{markdown_text(section.zh)}"]
    parent = tree.parent_of(topic)
    if parent is not None:
        where.append(f"上级主题：[{markdown_text(parent.zh)}]({relative_link(here, topic_page_path(parent.id))})")
    where.append(count_phrase(entry))
    lines = [
        *topic_page_front_matter(topic, entry),
        "",
        f"# {markdown_text(topic.zh)} <small>{markdown_text(topic.en)}</small>",
        "",
        " · ".join(where),
        "",
        description,
        "",
    ]
    if topic.formulas:
        lines += ["## 关键公式", ""]
        lines += [formula_block(formula.name, formula.tex) for formula in topic.formulas]
    if entry.children:
        lines += child_topics_section(entry, here)
    lines += article_list_section(entry, here)
    if topic.id == FALLBACK_TOPIC_ID:
        lines += ["", f"维护者：[待分类文章与它们的关键词]({relative_link(here, UNCATEGORIZED_PAGE)})"]
    lines += related_topics_section(topic, tree, section.zh)
    aliases = [alias for alias in topic.aliases if alias not in (topic.zh, topic.en)]
    if aliases:
        lines += ["", "## 别名", "", "、".join(f"<code>{markdown_text(alias)}</code>" for alias in aliases)]
    return "\n".join(lines) + "\n"


def count_phrase(entry: TopicEntry) -> str:
    """ "共 5 篇文章（本主题 1 篇，来自子主题 4 篇）": which are the topic's own, which its children's."""
    if not entry.children:
        return f"共 {entry.total} 篇文章"
    return f"共 {entry.total} 篇文章（本主题 {len(entry.direct)} 篇，来自子主题 {len(entry.from_children)} 篇）"


def child_topics_section(entry: TopicEntry, here: str) -> list[str]:
    """Every child with its count; an empty one links to its page too (description and formulas)."""
    lines = ["## 子主题", ""]
    for child in entry.children:
        count = f"{child.total} 篇" if child.total else "暂无文章"
        link = relative_link(here, topic_page_path(child.topic.id))
        lines.append(f"- [{markdown_text(child.topic.zh)}]({link})（{count}）")
    return [*lines, ""]


def article_list_section(entry: TopicEntry, here: str) -> list[str]:
    """The topic's own articles, then each child's articles that are not already among them,
    under the child's name. An article in two children is listed under both.

    Out of search: search finds the articles themselves; their titles here would only make the
    topic page match every query that matches one of them.
    """
    lines = [f"## 文章（{entry.total}） {{ data-search-exclude }}", ""]
    if entry.is_empty:
        return [*lines, "暂无文章。"]
    listed = []
    if entry.direct:
        listed += [f"- {link_to_article(article, here)}" for article in entry.direct]
    elif entry.from_children:
        listed.append("本主题没有直接标注的文章，以下文章来自它的子主题。")
    own = {article.path for article in entry.direct}
    for child in entry.children:
        members = [article for article in child.direct if article.path not in own]
        if not members:
            continue
        link = f"[{markdown_text(child.topic.zh)}]({relative_link(here, topic_page_path(child.topic.id))})"
        listed += ["", f"### 来自子主题 {link}（{len(members)}）", ""]
        listed += [f"- {link_to_article(article, here)}" for article in members]
    return [*lines, *excluded_block("kb-topic-articles", listed)]


def related_topics_section(topic: Topic, tree: TopicTree, section_zh: str) -> list:
    """Topics sharing articles with this one, then the rest of its section that has articles, as links."""
    here = topic_page_path(topic.id)
    entry = tree.entry(topic.id)
    neighbours = related_topics(topic, tree.taxonomy, [*entry.direct, *entry.from_children])
    parent = tree.parent_of(topic)
    # Its parent and children are linked above already; empty topics are not worth a reader's click.
    skip = {topic.id, FALLBACK_TOPIC_ID, *(child.topic.id for child in entry.children)}
    if parent is not None:
        skip.add(parent.id)
    neighbours = [(other, shared) for other, shared in neighbours if other.id not in skip]
    siblings = [
        other.topic for other in tree.top_level(topic.section) if other.topic.id not in skip and not other.is_empty
    ]
    if parent is not None:
        siblings = [child.topic for child in tree.entry(parent.id).shown_children if child.topic.id != topic.id]
    if not (neighbours or siblings):
        return []
    # Other topics' names: out of search, or this page would answer queries for those topics.
    lines = ["", "## 相关主题 { data-search-exclude }", ""]
    listed = []
    if neighbours:
        listed += ["与本主题有共同文章的主题：", ""]
        listed += [
            f"- [{markdown_text(other.zh)}]({relative_link(here, topic_page_path(other.id))})（共同文章 {shared} 篇）"
            for other, shared in neighbours
        ]
        listed.append("")
    if siblings:
        links = " · ".join(
            f"[{markdown_text(other.zh)}]({relative_link(here, topic_page_path(other.id))})" for other in siblings
        )
        where = (
            f"「{markdown_text(parent.zh)}」下的其他子主题"
            if parent is not None
            else f"同属「{markdown_text(section_zh)}」分区的其他主题"
        )
        listed.append(f"{where}：{links}")
    return lines + excluded_block("kb-related-topics", listed)


def related_topics(topic: Topic, taxonomy: Taxonomy, members: list[LibraryArticle]) -> list[tuple[Topic, int]]:
    """Other topics that share articles with ``topic``, most shared first, then in taxonomy order."""
    shared = Counter(other for article in members for other in dict.fromkeys(article.topics) if other != topic.id)
    order = {candidate.id: index for index, candidate in enumerate(taxonomy.topics)}
    known = [topic_id for topic_id in shared if topic_id in order]
    known.sort(key=lambda topic_id: (-shared[topic_id], order[topic_id]))
    return [(taxonomy.topic(topic_id), shared[topic_id]) for topic_id in known]


def all_articles_page(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> str:
    """Every article under each topic it is tagged with, topics in navigation order."""
    grouped = articles_by_topic(articles)
    tree = TopicTree(taxonomy, grouped)
    # Out of search (Material's front-matter switch): a list of every title matches every query.
    lines = ["---", "title: 全部文章", "search:", "  exclude: true", "---", "", f"# 全部文章（{len(articles)}）", ""]
    lines.append("按分区和主题列出知识库中的每一篇文章；一篇文章可能属于多个主题。")
    for section in taxonomy.sections:
        topics = [entry.topic for entry in tree.shown() if entry.topic.section == section.id and entry.direct]
        if not topics:
            continue
        lines += ["", f"## {markdown_text(section.zh)}"]
        for topic in topics:
            parent = tree.parent_of(topic)
            context = f" <small>{markdown_text(parent.zh)}</small>" if parent is not None else ""
            link = relative_link(ALL_ARTICLES_PAGE, topic_page_path(topic.id))
            lines += ["", f"### [{markdown_text(topic.zh)}]({link}){context} （{len(grouped[topic.id])}）", ""]
            lines += [f"- {link_to_article(article, ALL_ARTICLES_PAGE)}" for article in grouped[topic.id]]
    maintainers = relative_link(ALL_ARTICLES_PAGE, UNCATEGORIZED_PAGE)
    lines += ["", "---", "", f"维护者：[待分类文章与它们的关键词]({maintainers})"]
    return "\n".join(lines) + "\n"


def navigation(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> list:
    """Sections, then topics, then child topics: article pages stay out of the nav so that every
    page's embedded navigation stays small at any corpus size; topic pages list the articles.

    A parent topic with non-empty children becomes a nested section whose first page is its own
    (``navigation.indexes`` makes that page the section's link, see ``nesting_ids``). Counts
    include the children's articles, as on the topic page. Empty topics are left out.

    Titles are HTML-escaped: Material writes navigation titles into every page unescaped.
    """
    tree = TopicTree(taxonomy, articles_by_topic(articles))
    nav: list = [{"首页": "index.md"}]
    for section in taxonomy.sections:
        items = [topic_nav_item(entry) for entry in tree.top_level(section.id) if not entry.is_empty]
        if items:
            nav.append({escape_text(section.zh): items})
    nav.append({"全部文章": ALL_ARTICLES_PAGE})
    nav.append({"标签": "tags.md"})
    return nav


def topic_nav_item(entry: TopicEntry) -> dict:
    label = escape_text(f"{entry.topic.zh}（{entry.total}）")
    if not entry.nests:
        return {label: topic_page_path(entry.topic.id)}
    children = [
        {escape_text(f"{child.topic.zh}（{child.total}）"): topic_page_path(child.topic.id)}
        for child in entry.shown_children
    ]
    return {label: [topic_page_path(entry.topic.id), *children]}


def nesting_ids(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> set[str]:
    """The topics whose page must count as its nav section's index page (a parent with non-empty
    children): Material links the section's name to it instead of showing it as a child."""
    return TopicTree(taxonomy, articles_by_topic(articles)).nesting_ids()


def navigation_pages(nav: list) -> set[str]:
    """Every page a navigation (as ``navigation`` builds it) lists."""
    pages: set[str] = set()
    for item in nav:
        for value in item.values() if isinstance(item, dict) else [item]:
            if isinstance(value, list):
                pages |= navigation_pages(value)
            elif isinstance(value, str):
                pages.add(value)
    return pages


# The topic pages' lists of articles and related topics repeat what the articles say: they carry
# Material's data-search-exclude so search leaves them out of the index, where they would only
# add false matches (ingest/site/search_index.py skips every element so marked).
def excluded_block(css_class: str, lines: list[str]) -> list[str]:
    """Markdown ``lines`` in a div search does not index."""
    return [f'<div class="{css_class}" data-search-exclude markdown>', "", *lines, "", "</div>", ""]


def topic_formula_line(topic: Topic, tex: str) -> int:
    """The taxonomy.yml line a formula on ``topic``'s page comes from: its ``formulas`` entry, else the topic
    (whose description holds it)."""
    for formula in topic.formulas:
        if formula.tex.strip() == tex.strip():
            return formula.line or topic.line
    return topic.line
