"""Property tests over the whole path to HTML, with hostile input at both ends a contributor or a feed controls.

1. Feed dump (its text and its file name) → ingest → article file → the page Markdown the site
   renders (body and footer), the topic pages and the all-articles page → HTML: only the site's
   own markup (``tests/fuzz/fuzz_site_path.py``, which atheris also runs under ``make fuzz``).
2. A contributor's front-matter fields → the strings Material's templates print (``safe_page_meta``)
   and the footer the plugin writes: each shows as text in the HTML context it lands in, and adds
   no element.
"""

from __future__ import annotations

import html
import importlib.util
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.site.article_footer import article_footer
from ingest.site.library import LibraryArticle
from ingest.site.page_meta import ARTICLE, PageMeta, meta_tags
from ingest.site.safe_meta import safe_page_meta
from tests.fuzz.fuzz_site_path import (
    ROOT,
    assert_only_site_markup,
    check_site_path,
    normal,
    site_markdown,
    taxonomy,
)

MEMORY_BACKED_TEMP = Path("/dev/shm")
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</code></div><script>alert(1)</script>",
    "`",
    "``",
    "[x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "{: onclick=alert(1) }",
    "$x$",
    "$$",
    "\\(a\\)",
    "# H1",
    "- item",
    "> quote",
    "***",
    "&lt;b&gt;",
    "<!--",
    "\r",
    "\r\n",
    "\n\n# <h1>x</h1>\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b\x0c",
    "|a|b|",
    "[^1]",
    "*a*",
    "_b_",
]
TEXT = st.lists(
    st.sampled_from(HOSTILE) | st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=6),
    min_size=1,
    max_size=8,
).map("".join)
# A dump's lines: an excerpt naming a topic (so it is tagged) wrapped in hostile text.
EXCERPT = st.tuples(TEXT, st.sampled_from(["优化器 Adam", "注意力机制 attention", "激活函数 ReLU"]), TEXT).map(" ".join)
FEED_NAME = st.lists(
    st.sampled_from(["<img src=x onerror=alert(1)>", "`", "$", "*", "[a](b)", "&amp;", " ", "注"])
    | st.text(st.characters(codec="utf-8", exclude_characters="\x00/"), max_size=4),
    min_size=1,
    max_size=4,
).map(lambda parts: "".join(parts)[:80] + ".txt")


# Each example is a real ingest into a fresh folder plus five rendered pages (about 0.3 s):
# `make test-slow` (CI runs it too).
@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=FEED_NAME, lines=st.lists(EXCERPT, min_size=1, max_size=3))
def test_a_hostile_feed_reaches_html_as_text_only(name, lines):
    data = "\n".join(lines).encode("utf-8")
    with tempfile.TemporaryDirectory(dir=MEMORY_BACKED_TEMP if MEMORY_BACKED_TEMP.is_dir() else None) as folder:
        check_site_path(name, data, Path(folder))


def test_the_site_path_check_can_fail():
    """An element the site never writes is caught."""
    try:
        assert_only_site_markup("<p>x<img src=x onerror=alert(1)></p>", "probe")
    except AssertionError:
        return
    raise AssertionError("the markup check let an <img onerror> through")


def meta_loop_template() -> jinja2.Template:
    """The loop of the theme override (overrides/main.html) that writes every ``<meta>`` of a page's head."""
    source = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    loop = re.search(r"{% for attribute, key, content in kb_meta_tags %}.*?{% endfor %}", source, re.DOTALL)
    return jinja2.Environment(autoescape=False).from_string(loop.group())  # as MkDocs configures Jinja


@settings(max_examples=200, deadline=None)
@given(title=TEXT, description=TEXT, author=TEXT, category=TEXT)
def test_front_matter_strings_show_as_text_where_material_prints_them(title, description, author, category):
    fields = {"title": title, "description": description, "author": author, "category": category}
    safe = safe_page_meta(dict(fields), fields)
    tags = meta_tags(PageMeta(html.unescape(safe["title"]), safe["description"], ARTICLE), "site")
    # Material's content.html and base.html print page.title as is; the override writes the meta tags.
    page = f"<title>{safe['title']} - site</title><h1>{safe['title']}</h1>" + meta_loop_template().render(
        kb_meta_tags=tags
    )
    soup = BeautifulSoup(page, "html.parser")
    assert [tag.name for tag in soup.find_all(True)][:2] == ["title", "h1"]
    assert {tag.name for tag in soup.find_all(True)[2:]} == {"meta"}
    assert normal(soup.find("h1").get_text()) == normal(title)
    shown = {tag.get("name") or tag.get("property"): tag["content"] for tag in soup.find_all("meta")}
    assert normal(shown["og:title"]) == normal(title) or not normal(title)
    assert normal(shown.get("description", "")) == normal(description)


@settings(max_examples=150, deadline=None)
@given(title=TEXT, other_title=TEXT, sources=st.lists(TEXT, min_size=1, max_size=3), date=TEXT)
def test_contributor_titles_and_sources_add_no_markup_to_the_footer(title, other_title, sources, date):
    from ingest.site.related import Related

    article = LibraryArticle("articles/a.md", "a", title, ["optimizers"], sources=sources, date=date)
    related = [Related("articles/sub/b c.md", other_title, 1.0, ("optimizers",), 0.5)]
    soup = assert_only_site_markup(site_markdown().html(article_footer(article, taxonomy(), related)), "footer")
    assert soup.find("h1") is None
    assert len(soup.select(".kb-related li")) == 1
    assert normal(soup.select_one(".kb-related li a").get_text()) == normal(other_title)
    assert len(soup.select(".admonition.info li")) == len(sources)


# The fuzzer: `make test-slow` (CI runs it too), and longer under `make fuzz`.
@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_atheris_fuzzes_the_site_path_for_a_bounded_run(tmp_path):
    corpus = tmp_path / "corpus"  # libFuzzer writes new inputs into the first folder: never feeds/
    corpus.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "fuzz" / "fuzz_site_path.py"),
            str(corpus),
            str(ROOT / "feeds"),
            "-runs=60",
            "-seed=1",
            "-max_len=2048",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done 60 runs" in result.stderr
    assert not list(tmp_path.glob("crash-*"))
