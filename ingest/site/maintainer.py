"""The maintainers' page of uncategorized articles (``maintainers/uncategorized.md``).

Every article tagged ``待分类`` is listed with its key terms (``ingest.shared.keyterms``), so a
maintainer sees at a glance what the taxonomy is missing, with a pointer to ``python -m ingest
suggest-topics``. The page is built on every build, stays out of the navigation and of search,
and is linked from the 待分类 topic page and the all-articles page.
"""

from __future__ import annotations

from ingest.shared.keyterms import KeyTermExtractor, plain_text
from ingest.shared.markdown import escape_markdown
from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, Taxonomy
from ingest.site.library import LibraryArticle
from ingest.site.pages import UNCATEGORIZED_PAGE, escape_link_text, relative_link, topic_page_path

KEY_TERMS_SHOWN = 8


def uncategorized_articles(articles: list[LibraryArticle]) -> list[LibraryArticle]:
    members = [article for article in articles if FALLBACK_TOPIC_ID in article.topics]
    return sorted(members, key=lambda article: (article.title, article.path))


def uncategorized_page(taxonomy: Taxonomy, articles: list[LibraryArticle]) -> str:
    members = uncategorized_articles(articles)
    here = UNCATEGORIZED_PAGE
    fallback = taxonomy.topic(FALLBACK_TOPIC_ID)
    lines = [
        "---",
        "title: 待分类文章（维护者）",
        "search:",
        "  exclude: true",
        "---",
        "",
        "# 待分类文章 <small>维护者页面</small>",
        "",
        f"以下 {len(members)} 篇文章没有匹配到 `taxonomy.yml` 里的任何主题，落在了"
        f"[{escape_markdown(fallback.zh)}]({relative_link(here, topic_page_path(fallback.id))})。"
        "每篇后面是它的关键词（中文用 jieba 的 TF-IDF，英文用全库的词频统计）。",
        "",
        "在仓库里运行 `python -m ingest suggest-topics`：它按共同的关键词把这些文章（以及标签证据很弱的文章）"
        "分组，打印可以审阅的新主题草案（YAML：id、中英文名、别名、所属分区的猜测、会移过去的文章），"
        "不改任何文件。把选中的条目加进 `taxonomy.yml` 后，运行 `python -m ingest record-topics` "
        "和 `python -m ingest run`。",
        "",
    ]
    if not members:
        return "\n".join([*lines, "目前没有待分类的文章。"]) + "\n"
    extractor = KeyTermExtractor(
        (plain_text(article.body) for article in articles),
        vocabulary=[name for topic in taxonomy.topics for name in topic.names],
    )
    lines += [f"## 文章（{len(members)}）", ""]
    for article in members:
        terms = extractor.key_terms(plain_text(article.body), limit=KEY_TERMS_SHOWN)
        shown = "、".join(escape_markdown(term.text) for term in terms) or "（没有找到）"
        link = f"[{escape_link_text(article.title)}]({relative_link(here, article.path)})"
        lines.append(f"- {link} <small>id {escape_markdown(article.id)}</small><br>关键词：{shown}")
    return "\n".join(lines) + "\n"
