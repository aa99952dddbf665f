"""What the site search indexes for one page, as plain data: its words, title, topic names, tags.

The search index is built from each page as readers see it (after KaTeX has rendered its
formulas), not from its Markdown source, so results never show TeX (``\\(Q\\)``) and match
what the page displays:

- the text of the page's ``<article>``, without the title heading (the title is indexed on its
  own), KaTeX's MathML copy of every formula (only its visual rendering is read), scripts,
  SVG drawings (the home page's topic map), navigation, heading anchors (¶), and every block
  marked ``data-search-exclude`` (Material's marker, which the article footers use);
- the page title;
- ``keywords``: every name and alias of the page's topics, so 循环神经网络 finds an article that
  only writes RNN, plus the trailing parts of dotted identifiers (``nn.functional`` for
  ``torch.nn.functional``), since an indexed word is matched only from its start;
- the page's tags, shown with the result (they are topic names, searched as keywords).

A page whose front matter says ``search: {exclude: true}`` (Material's option) is not indexed;
``search: {boost: 0.2}`` weighs its text as Material's boost would.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from ingest.site.html_elements import VOID_ELEMENTS
from ingest.site.search_terms import identifier_suffixes

# Material's page layout: the content of every page sits in one <article>.
ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>(?P<body>.*)</article>', re.DOTALL)
SKIPPED_TAGS = frozenset({"script", "style", "svg", "nav", "form", "button", "template", "noscript", "h1"})
SKIPPED_CLASSES = frozenset({"katex-mathml", "headerlink", "md-source-file", "md-tags"})
# Material's marker, ours (which Material leaves in the page), and Pagefind's, which pages may carry.
SKIP_ATTRIBUTES = frozenset({"data-search-exclude", "data-kb-search-exclude", "data-pagefind-ignore"})
# Tags whose boundaries are word boundaries (anything else is inline: <code>x</code>y is "xy").
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip


@dataclass(frozen=True)
class SearchRecord:
    """One page as the search index takes it (``ingest/site/search_build.py``)."""

    url: str  # relative to the site root, as MkDocs' ``page.url``
    title: str
    text: str  # the readable text, one line per block
    keywords: tuple[str, ...] = ()  # searched, never shown: topic names, identifier parts
    tags: tuple[str, ...] = ()  # shown with the result
    weight: float = 1.0  # of the text's terms against other pages' (the title and keywords count in full)


class _ArticleText(HTMLParser):
    """The visible text of an article's HTML, one line per block, skipped parts left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[str] = []  # open elements inside a skipped one, by tag
        self.skipping = 0  # depth of skipped elements in ``open``

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            if tag in BLOCK_TAGS and not self.skipping:
                self.parts.append("\n")
            return
        skip = self.skipping > 0 or tag in SKIPPED_TAGS or self._marked_skipped(attrs)
        self.open.append(tag)
        if skip:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS and not self.skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            return  # a stray end tag
        # Close everything opened after ``tag`` too (HTML lets <p> and <li> end implicitly).
        while self.open:
            closed = self.open.pop()
            if self.skipping:
                self.skipping -= 1
            elif closed in BLOCK_TAGS:
                self.parts.append("\n")
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    @staticmethod
    def _marked_skipped(attrs: list[tuple[str, str | None]]) -> bool:
        for name, value in attrs:
            if name in SKIP_ATTRIBUTES:
                return True
            if name == "class" and value and not SKIPPED_CLASSES.isdisjoint(value.split()):
                return True
        return False

    def text(self) -> str:
        # Zero-width spaces (KaTeX puts them between glyphs) are not text.
        lines = (" ".join(line.split()) for line in "".join(self.parts).replace("\u200b", "").split("\n"))
        return "\n".join(line for line in lines if line)


def article_text(page_html: str) -> str:
    """The readable text of a built page's ``<article>`` (see the module docstring)."""
    match = ARTICLE.search(page_html)
    parser = _ArticleText()
    parser.feed(match.group("body") if match else page_html)
    parser.close()
    return parser.text()


def search_record(
    url: str,
    title: str,
    page_html: str,
    keywords: Iterable[str] = (),
    tags: Iterable[str] = (),
    weight: float = 1.0,
) -> SearchRecord:
    """The record for one built page. ``title`` is plain text; ``keywords`` are topic names."""
    text = article_text(page_html)
    words = dict.fromkeys([*keywords, *identifier_suffixes(f"{title}\n{text}")])
    return SearchRecord(
        url=url,
        title=title,
        text=text,
        keywords=tuple(words),
        tags=tuple(str(tag) for tag in tags if str(tag).strip()),
        weight=weight,
    )


def is_excluded(meta: dict) -> bool:
    """Material's front-matter switch ``search: {exclude: true}``."""
    search = meta.get("search")
    return isinstance(search, dict) and bool(search.get("exclude"))


def search_boost(meta: dict) -> float | None:
    """Material's front-matter ``search: {boost: 2}``, as the weight of the page's text; None when
    absent or not a positive number."""
    search = meta.get("search")
    boost = search.get("boost") if isinstance(search, dict) else None
    if isinstance(boost, bool) or not isinstance(boost, int | float) or not boost > 0:
        return None
    return float(boost)


def plain_title(title: object) -> str:
    """A page title as text: the kb plugin HTML-escapes front-matter titles."""
    return html.unescape(str(title)) if title else ""
