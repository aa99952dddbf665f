"""What Material's templates get of a page's metadata: refused keys dropped, the title escaped once."""

from __future__ import annotations

from ingest.site.plain_text import attribute_text, escape_text
from ingest.site.safe_meta import safe_page_meta


def test_refused_keys_from_the_front_matter_are_dropped_but_plugins_keys_stay():
    meta = {"title": "T", "template": "redirect.html", "location": "javascript:x", "git_revision_date_localized": "d"}
    safe = safe_page_meta(meta, ["title", "template", "location"])
    assert safe == {"title": "T", "git_revision_date_localized": "d"}


def test_the_title_is_escaped_and_meta_fields_stay_plain_for_the_override_to_escape():
    safe = safe_page_meta(
        {"title": "<b>T</b>", "description": '"> <script>', "author": "a&b", "category": "<i>"},
        ["title", "description", "author", "category"],
    )
    assert safe == {"title": "&lt;b&gt;T&lt;/b&gt;", "description": '"> <script>', "author": "a&b", "category": "<i>"}


def test_a_plain_text_value_that_is_not_a_string_is_dropped():
    meta = {"title": ["<b>x</b>"], "author": {"a": 1}, "description": 3, "tags": ["x"]}
    assert safe_page_meta(meta, ["title", "author", "description", "tags"]) == {"tags": ["x"]}


def test_attribute_text_folds_whitespace_and_escapes_quotes():
    assert attribute_text(" a\u2028b\n\"c'  ") == "a b &quot;c&#x27;"
    assert escape_text("<&>") == "&lt;&amp;&gt;"
