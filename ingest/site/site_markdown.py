"""Pages rendered the way the site build renders them, for the checks that need HTML outside MkDocs.

``check`` must judge formulas (KaTeX) and ``#anchors`` exactly as the strict build does, without
running the build. It renders a page's Markdown as the build would see it (``build_markdown``:
the article footer the plugin appends included) with Python-Markdown configured from
``mkdocs.yml`` by MkDocs' own option class (so MkDocs' built-in ``toc``, ``tables`` and
``fenced_code`` come first, as in the build), then reads the HTML with the same functions the
build uses.

Only the ``markdown_extensions`` option is read: loading the whole configuration would import
every plugin (two seconds, on every pre-commit run).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
from mkdocs.config import base
from mkdocs.config import config_options as options
from mkdocs.utils import yaml_load

from ingest.shared.model import Problem

MKDOCS_BUILTIN_EXTENSIONS = ["toc", "tables", "fenced_code"]  # what MkDocs adds to every site


class MarkdownOnlyConfig(base.Config):
    markdown_extensions = options.MarkdownExtensions(builtins=MKDOCS_BUILTIN_EXTENSIONS, configkey="mdx_configs")
    mdx_configs = options.Private()


class SiteMarkdown:
    """Python-Markdown set up as ``mkdocs.yml`` sets up the site."""

    def __init__(self, config_file: Path):
        self.config_file = config_file
        with config_file.open(encoding="utf-8") as handle:
            data = yaml_load(handle) or {}
        config = MarkdownOnlyConfig(config_file_path=str(config_file))
        config.load_dict({"markdown_extensions": data.get("markdown_extensions", [])})
        failed, warnings = config.validate()
        if failed:
            raise ValueError("; ".join(f"{key}: {error}" for key, error in failed))
        self.converter = markdown.Markdown(
            extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {}
        )

    def html(self, text: str) -> str:
        self.converter.reset()
        return self.converter.convert(text)


def load_site_markdown(config_file: Path) -> tuple[SiteMarkdown | None, Problem | None]:
    try:
        return SiteMarkdown(config_file), None
    except FileNotFoundError:
        return None, Problem(config_file.as_posix(), 0, "not found: formulas and anchors cannot be checked")
    except Exception as error:  # a YAML or extension error: name it, never a traceback
        return None, Problem(config_file.as_posix(), 1, f"cannot set up the site's Markdown: {error}")


class AnchorCollector(HTMLParser):
    """Every ``id`` in a page, and the ``name`` of every ``<a>``: what a ``#fragment`` may point at
    (the same as MkDocs' ``Page.present_anchor_ids``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.anchors.add(value)

    handle_startendtag = handle_starttag


def anchor_ids(page_html: str) -> set[str]:
    collector = AnchorCollector()
    collector.feed(page_html)
    collector.close()
    return collector.anchors
