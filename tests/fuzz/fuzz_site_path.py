"""Fuzz target for the whole path a feed's bytes take to a reader: feed line → front matter → Markdown → HTML.

Whatever the bytes (the dump's text *and* its file name), every page the site makes from them
must hold only markup the site itself writes: the article page (the excerpt's body plus the
footer the plugin appends: provenance, topics, related articles), the topic pages and the
all-articles page listing it, each rendered with Python-Markdown configured as ``mkdocs.yml``
configures the site (``ingest.site.site_markdown``). An element, attribute or link target that
came from the input fails the check, as does a dialog-free but structural injection (a heading or
list grown from a title's line break).

``make fuzz`` runs it under atheris (``FUZZ_TARGET=site``); ``tests/site/test_hostile_site_path.py``
runs the same check under Hypothesis in ``make test``::

    .venv/bin/python tests/fuzz/fuzz_site_path.py build/fuzz-site-corpus -max_total_time=600 -max_len=4096
"""

from __future__ import annotations

import functools
import re
import shutil
import sys
import tempfile
import unicodedata
from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.utils import meta as mkdocs_meta

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.pipeline.run import run_ingest  # noqa: E402
from ingest.shared.taxonomy import Taxonomy, load_taxonomy  # noqa: E402
from ingest.site.article_footer import article_markdown  # noqa: E402
from ingest.site.library import scan_articles  # noqa: E402
from ingest.site.pages import (  # noqa: E402
    ALL_ARTICLES_PAGE,
    all_articles_page,
    articles_by_topic,
    topic_page,
)
from ingest.site.related import find_related  # noqa: E402
from ingest.site.site_markdown import SiteMarkdown  # noqa: E402
from ingest.site.topic_tree import TopicTree  # noqa: E402

HEADER = "INCOMING TRANSMISSION\n\nLATEST UPDATES\n"
INSTRUMENTED = (
    "ingest.pipeline.parse",
    "ingest.pipeline.render",
    "ingest.pipeline.title",
    "ingest.shared.markdown",
    "ingest.shared.frontmatter_io",
    "ingest.site.source_pages",
    "ingest.site.library",
    "ingest.site.pages",
)
# Every element and attribute the generated pages may hold, and nothing else.
ALLOWED = {
    "p": {"class"},  # admonition titles
    "span": {"class", "title"},  # the dropped-formula marker, arithmatex in topic descriptions
    "div": {"class", "data-search-exclude"},
    "hr": set(),
    "ul": set(),
    "li": set(),
    "a": {"href", "class", "title"},
    "code": set(),
    "strong": set(),
    "em": set(),
    "small": {"class"},  # why a related article is listed
    "h1": {"id"},
    "h2": {"id", "data-search-exclude"},
    "h3": {"id"},
}
SPAN_CLASSES = {"kb-dropped", "arithmatex"}
DIV_CLASSES = {
    "admonition warning",
    "admonition info",
    "kb-related",
    "kb-description",
    "arithmatex",
    "kb-topic-articles",  # a topic page's article list and related topics, kept out of search
    "kb-related-topics",
}
# Links the site writes: relative paths to pages (percent-encoded) and its own heading anchors.
LINK_TARGET = re.compile(r"^(?:(?:\.\./)*[A-Za-z0-9%._/-]+\.md|#[\w-]+)$")


@functools.cache
def taxonomy() -> Taxonomy:
    return load_taxonomy(ROOT / "taxonomy.yml")


@functools.cache
def site_markdown() -> SiteMarkdown:
    return SiteMarkdown(ROOT / "mkdocs.yml")


def assert_only_site_markup(html: str, where: str) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED, (where, str(tag)[:200])
        assert set(tag.attrs) <= ALLOWED[tag.name], (where, str(tag)[:200])
        if tag.name == "a":
            assert LINK_TARGET.match(tag.get("href", "")), (where, str(tag)[:200])
        if tag.name == "span" and "class" in tag.attrs:
            assert set(tag["class"]) <= SPAN_CLASSES, (where, str(tag)[:200])
        if tag.name == "small" and "class" in tag.attrs:
            assert tag["class"] == ["kb-related__why"], (where, str(tag)[:200])
        if tag.name == "p" and "class" in tag.attrs:
            assert tag["class"] == ["admonition-title"], (where, str(tag)[:200])
        if tag.name == "div":
            assert " ".join(tag.get("class", [])) in DIV_CLASSES, (where, str(tag)[:200])
    return soup


def normal(text: str) -> str:
    """Text as compared: whitespace folded, control characters left out (no reader sees them, and
    Python-Markdown itself deletes STX and ETX, its placeholder delimiters)."""
    folded = " ".join(text.split())  # whitespace first: Python-Markdown turns a tab into spaces
    return " ".join("".join(char for char in folded if unicodedata.category(char) != "Cc").split())


def check_site_path(feed_name: str, data: bytes, folder: Path) -> int:
    """Ingest ``data`` as a dump called ``feed_name`` into ``folder`` and check every page made of it.

    Returns how many articles were checked.
    """
    feeds = folder / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    try:
        (feeds / feed_name).write_bytes(HEADER.encode() + data)
    except (OSError, ValueError):  # a name the file system refuses is not a feed anyone can ship
        return 0
    docs = folder / "docs"
    run_ingest([feeds], docs, taxonomy(), folder / "no-titles.yml")
    articles, problems = scan_articles(docs, taxonomy())
    assert problems == [], problems
    related = find_related(articles, {topic.id: topic.section for topic in taxonomy().topics})
    converter = site_markdown()
    for article in articles:
        page = article_markdown(article.body, article, taxonomy(), related.for_article(article.path))
        soup = assert_only_site_markup(converter.html(page), article.path)
        assert soup.find("h1") is None, "an article's body and footer hold no level-1 heading"
        codes = [normal(code.get_text()) for code in soup.select("div.admonition.info code")]
        assert codes == [normal(source.rpartition(":")[0]) for source in article.sources], codes
    grouped = articles_by_topic(articles)
    tree = TopicTree(taxonomy(), grouped)
    for topic_id in grouped:
        page, _ = mkdocs_meta.get_data(topic_page(taxonomy().topic(topic_id), tree))
        soup = assert_only_site_markup(converter.html(page), topic_id)
        assert len(soup.find_all("h1")) == 1
        titles = {normal(a.get_text()) for a in soup.find_all("a") if "/articles/" in a["href"]}
        entry = tree.entry(topic_id)  # a parent's page lists its children's articles too
        assert titles == {normal(member.title) for member in [*entry.direct, *entry.from_children]}, titles
    if articles:
        page, _ = mkdocs_meta.get_data(all_articles_page(taxonomy(), articles))
        soup = assert_only_site_markup(converter.html(page), ALL_ARTICLES_PAGE)
        assert len(soup.find_all("h1")) == 1
    return len(articles)


def main() -> None:
    import atheris  # only the fuzzer needs it

    memory = Path("/dev/shm")
    base = memory if memory.is_dir() else Path(tempfile.gettempdir())

    def test_one_input(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        name = provider.ConsumeUnicodeNoSurrogates(24).replace("/", "_").replace("\0", "") + ".txt"
        folder = Path(tempfile.mkdtemp(dir=base, prefix="ingest-fuzz-site-"))
        try:
            check_site_path(name, provider.ConsumeBytes(provider.remaining_bytes()), folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    # Coverage feedback from the code the bytes go through, not from this harness.
    import importlib
    import inspect

    for name in INSTRUMENTED:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                atheris.instrument_func(value)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
