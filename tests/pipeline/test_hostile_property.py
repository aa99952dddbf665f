"""Property tests: random Unicode excerpts laced with HTML, Markdown, template and math syntax.

Each example is a real feed dump (hostile metadata lines and ``---`` lines between entries)
run through the real pipeline into a fresh ``docs/``. For every written article:

1. the file parses as front matter + body, with python-frontmatter and with MkDocs' own
   reader alike, and carries the right title, sources and flags (this found titles holding
   U+0085 coming back changed from PyYAML: ``ingest/pipeline/render.py`` now escapes such breaks);
2. its body, through Python-Markdown with the extensions mkdocs.yml enables, yields only the
   paragraph and the placeholder markers: no ``<script>``, no ``on*=`` attribute, no
   ``javascript:`` URL (nor any other element an excerpt could ask for);
3. the reader-visible text keeps every character of the excerpt, modulo whitespace. By
   design the scraper's placeholders show as a marker (``公式缺失``/``代码缺失``). Control
   characters (Unicode ``Cc``) are not compared: no reader sees them, and Python-Markdown
   itself deletes two of them (STX/ETX, its placeholder delimiters).

Every entry line ends up in exactly one article's ``sources`` or in ``rejected``.
"""

from __future__ import annotations

import functools
import tempfile
import unicodedata
from pathlib import Path

import frontmatter
import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta as mkdocs_meta
from mkdocs.utils import yaml_load

from ingest.pipeline.dedupe import dedupe
from ingest.pipeline.normalize import is_truncated, skeleton
from ingest.pipeline.parse import HEADER_LINES, is_category_line, is_date_line
from ingest.pipeline.render import PLACEHOLDER, PLACEHOLDER_LABELS, PLACEHOLDERS
from ingest.pipeline.run import IngestReport, read_entries, run_ingest, tag_and_title
from ingest.shared.plaintext import one_line
from ingest.shared.taxonomy import Taxonomy, load_taxonomy
from tests.accounting import assert_accounting
from tests.conftest import HEADER, ROOT

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "[点我](javascript:alert(1))",
    "![图](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<http://example.com>",
    "[ref]: javascript:alert(1)",
    "{: onclick=alert(1) }",
    "{{ config.site_name }}",
    "{% include 'x.html' %}",
    "{# comment #}",
    "${x}",
    "$x$",
    "$$",
    "$$ E = mc^2 $$",
    "\\(a\\)",
    "\\[b\\]",
    "\\begin{align}",
    "\\",
    "\\\\",
    "\\*",
    "---",
    "***",
    "___",
    "# 标题",
    "> 引用",
    "- 列表",
    "1. 列表",
    "!!! note",
    "??? tip",
    "```",
    "~~~",
    "`code`",
    "*强调*",
    "__粗体__",
    "| a | b |",
    "&amp;",
    "&lt;b&gt;",
    "&#x3C;",
    "<!-- c -->",
    '<div markdown="1">*x*</div>',
    "[公式]",
    "[Math]",
    "[代码]",
    "...",
    "…",
]
# Lines between entries: metadata the parser attaches to the next entry, or noise.
METADATA = ["---", "<b>", "{{x}}", "$$", "2026-01-11", "Python", "&amp;", "<script>", ""]
# One line of feed: no newline. NUL is left out: it marks a binary file (tests/test_bad_input.py).
LINE_CHARACTERS = st.characters(codec="utf-8", exclude_characters="\n\x00")
FRAGMENT = st.one_of(st.text(LINE_CHARACTERS, min_size=1, max_size=12), st.sampled_from(HOSTILE))
ENTRY = st.lists(FRAGMENT, min_size=1, max_size=10).map(" ".join)
FEED = st.lists(st.tuples(st.sampled_from(METADATA) | st.none(), ENTRY), min_size=1, max_size=4)

# Every write is fsynced; on a disk that dominates 300 examples, on tmpfs it costs nothing.
MEMORY_BACKED_TEMP = Path("/dev/shm")
ALLOWED_ATTRIBUTES = {"p": set(), "span": {"class", "title"}}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data")


@functools.cache
def taxonomy() -> Taxonomy:
    # Not the session fixture: Hypothesis would print the whole taxonomy with every failure.
    return load_taxonomy(ROOT / "taxonomy.yml")


@functools.cache
def site_markdown() -> markdown.Markdown:
    """Python-Markdown configured exactly as mkdocs.yml configures the site."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as handle:
        config = yaml_load(handle)
    names, options = [], {}
    for item in config["markdown_extensions"]:
        name, settings_ = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        options[name] = settings_ or {}
    return markdown.Markdown(extensions=names, extension_configs=options)


def is_entry_line(text: str) -> bool:
    """Whether the parser takes a (stripped) line as an excerpt, by its own rules."""
    return bool(text) and text not in HEADER_LINES and not is_date_line(text) and not is_category_line(text)


def visible(text: str) -> str:
    """What a reader should see of an excerpt, whitespace and control characters aside."""
    shown = PLACEHOLDER.sub(lambda match: PLACEHOLDER_LABELS[PLACEHOLDERS[match.group()]], text)
    return "".join(char for char in shown if not char.isspace() and unicodedata.category(char) != "Cc")


def assert_inert(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(True):
        assert tag.name != "script"
        assert not [name for name in tag.attrs if name.lower().startswith("on")], tag
        for name in URL_ATTRIBUTES:
            value = "".join(str(tag.get(name, "")).split()).lower()
            assert not value.startswith("javascript:"), tag
        # Stronger than the three above: nothing but the paragraph and the placeholder markers.
        assert tag.name in ALLOWED_ATTRIBUTES, tag
        assert set(tag.attrs) <= ALLOWED_ATTRIBUTES[tag.name], tag
        if tag.name == "span":
            assert tag["class"] == ["kb-dropped"] and tag.get_text() in PLACEHOLDER_LABELS.values(), tag


def write_feed_lines(path: Path, feed: list[tuple[str | None, str]]) -> dict[int, str]:
    """Write the dump; return ``{line number: excerpt}`` of the lines the parser must take as entries."""
    lines = HEADER.splitlines()
    for metadata, entry in feed:
        lines += [entry] if metadata is None else [metadata, entry]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The parser turns control characters and line separators inside a line into spaces first.
    stripped = {number: one_line(line).strip() for number, line in enumerate(lines, start=1)}
    return {
        number: text for number, text in stripped.items() if number > len(HEADER.splitlines()) and is_entry_line(text)
    }


# 300 generated feeds through the whole ingest: `make test-slow` (CI runs it too).
@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feed=FEED)
def test_hostile_excerpts_are_written_safely_and_shown_verbatim(feed):
    converter = site_markdown()
    with tempfile.TemporaryDirectory(dir=MEMORY_BACKED_TEMP if MEMORY_BACKED_TEMP.is_dir() else None) as temp:
        folder = Path(temp)
        feed_path = folder / "hostile.txt"
        entries = write_feed_lines(feed_path, feed)
        report = run_ingest([feed_path], folder / "docs", taxonomy(), folder / "no-titles.yml")
        assert_accounting(report)
        name = feed_path.as_posix()

        # The titles the tag-and-title stage gives these articles (they depend on the whole corpus).
        articles = dedupe(*read_entries([feed_path], IngestReport()))
        tag_and_title(articles, taxonomy(), {}, IngestReport())
        titles = {article.id: article.title for article in articles}

        accounted = {problem.line for problem in report.rejected}
        for line in accounted:
            assert not skeleton(entries[line]), "only entries without any letter may be rejected here"
        for path in sorted((folder / "docs" / "articles").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            # (1) front matter + body, read the same way by python-frontmatter and by MkDocs.
            post = frontmatter.loads(text)
            mkdocs_body, mkdocs_data = mkdocs_meta.get_data(text)
            assert mkdocs_data == post.metadata
            assert mkdocs_body.strip() == post.content.strip()
            sources = post["sources"]
            assert sources and all(source.rsplit(":", 1)[0] == name for source in sources)
            lines = [int(source.rsplit(":", 1)[1]) for source in sources]
            assert not accounted & set(lines), "an entry is in two articles, or rejected and written"
            accounted |= set(lines)
            assert post["tags"] and all(isinstance(tag, str) for tag in post["tags"])
            assert post["generated"] is True

            # (2) nothing runs: only the paragraph and the placeholder markers.
            converter.reset()
            soup = BeautifulSoup(converter.convert(post.content), "html.parser")
            assert_inert(soup)

            # (3) the text shown is one of the article's copies, verbatim; the title is its own, as written.
            shown = visible(soup.get_text())
            chosen = [entries[line] for line in lines if visible(entries[line]) == shown]
            assert chosen, (shown, [entries[line] for line in lines])
            assert post["title"] == titles[str(post["id"])]
            assert all(value.splitlines() == [value] for value in [post["title"], *sources]), "one line each"
            assert post["truncated"] == is_truncated(chosen[0])
        assert accounted == set(entries), "every entry is written or rejected"
