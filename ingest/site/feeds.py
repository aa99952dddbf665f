"""The site's Atom feed (``feed.xml``): new and updated articles, newest first.

An entry's ``published`` is when its file was first committed and ``updated`` when it last
changed (``ingest.site.history``); without git history both fall back to the feed dump's
date, then to the build time (``SOURCE_DATE_EPOCH`` when set, for reproducible builds). Its
summary is the article's description (``ingest.site.descriptions``), its categories the
article's topics.

Written with ElementTree, which escapes every text and attribute, so a title holding markup
stays text in any feed reader. Chosen over mkdocs-rss-plugin, which runs git once per page.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "feed.xml"
MAX_ENTRIES = 50
# Characters XML 1.0 forbids even escaped (C0 controls but tab and newlines, lone surrogates,
# U+FFFE/U+FFFF): a scraped title holding one would make the whole feed unreadable.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FeedEntry:
    title: str
    url: str  # absolute; also the entry's id
    published: datetime
    updated: datetime
    summary: str
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def build_time() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)


def feed_date(value: str | None) -> datetime | None:
    """A front-matter ``date`` (``2026-01-11``) as midnight UTC; None when it is not a date."""
    if not value:
        return None
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def newest_entries(entries: list[FeedEntry], limit: int = MAX_ENTRIES) -> list[FeedEntry]:
    return sorted(entries, key=lambda entry: (-entry.updated.timestamp(), entry.title, entry.url))[:limit]


def atom_feed(
    entries: list[FeedEntry],
    *,
    title: str,
    subtitle: str,
    site_url: str,
    feed_url: str,
    updated: datetime,
) -> str:
    """The feed document; ``entries`` as given (use ``newest_entries`` to choose them)."""
    ET.register_namespace("", ATOM)

    def child(parent, tag, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {key: xml_text(value) for key, value in attributes.items()})
        if text is not None:
            element.text = xml_text(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh"})
    child(feed, "id", site_url)
    child(feed, "title", title)
    child(feed, "subtitle", subtitle)
    child(feed, "updated", _timestamp(max([entry.updated for entry in entries], default=updated)))
    child(feed, "link", href=site_url, rel="alternate", type="text/html")
    child(feed, "link", href=feed_url, rel="self", type="application/atom+xml")
    author = child(feed, "author")
    child(author, "name", title)
    child(feed, "generator", "ml-kb")
    for entry in entries:
        element = child(feed, "entry")
        child(element, "id", entry.url)
        child(element, "title", entry.title, type="text")
        child(element, "link", href=entry.url, rel="alternate", type="text/html")
        child(element, "published", _timestamp(entry.published))
        child(element, "updated", _timestamp(entry.updated))
        for term, label in entry.categories:
            child(element, "category", term=term, label=label)
        if entry.summary:
            child(element, "summary", entry.summary, type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
