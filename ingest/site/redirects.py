"""Redirect pages from a renamed topic's old URL to its page: ``topics/<former id>/`` keeps working.

Each former id (``former_ids`` in the taxonomy) gets a small static HTML page where its topic page
used to be: a meta refresh (no JavaScript needed, works offline and under ``mkdocs serve``), a
``location.replace`` that keeps the ``#anchor``, a canonical link to the new address, ``noindex``
for search engines and a plain link for anyone whose browser follows neither.

The build adds them as generated files rather than writing into the site folder afterwards, so
MkDocs knows them like any other file (``mkdocs serve`` serves them, a clash is visible).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from ingest.shared.taxonomy import Taxonomy, Topic


@dataclass(frozen=True)
class Redirect:
    former_id: str
    topic: Topic


def topic_redirects(taxonomy: Taxonomy) -> list[Redirect]:
    return [Redirect(former, topic) for former, topic in taxonomy.former_id_targets().items()]


def redirect_source_path(former_id: str, use_directory_urls: bool) -> str:
    """Where the old topic page was built: ``topics/<id>/index.html`` (or ``topics/<id>.html``)."""
    return f"topics/{former_id}/index.html" if use_directory_urls else f"topics/{former_id}.html"


def redirect_html(topic: Topic, relative_url: str, canonical_url: str | None) -> str:
    """``relative_url`` from the old page to the topic's page; ``canonical_url`` absolute when the
    site has a ``site_url``."""
    href = html.escape(relative_url, quote=True)
    canonical = html.escape(canonical_url or relative_url, quote=True)
    name = html.escape(topic.zh)
    # json.dumps quotes the URL for the script; "<" cannot end the script early once escaped.
    script_url = json.dumps(relative_url).replace("<", "\\u003c")
    return (
        "<!doctype html>\n"
        '<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f"<script>location.replace({script_url} + location.hash)</script>\n"
        "</head>\n"
        '<body data-pagefind-ignore="all">\n'
        f'<p>这个主题的页面已经迁移到 <a href="{href}">{name}</a>。</p>\n'
        "</body>\n</html>\n"
    )
