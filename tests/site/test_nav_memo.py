"""The navigation sidebar is rendered once per folder only for pages the navigation does not list.

That the memo changes no byte of a built site is checked in ``test_build_equivalence.py``.
"""

from __future__ import annotations

from ingest.site.nav_memo import NavMemo


def test_a_page_the_navigation_lists_is_rendered_for_itself():
    memo = NavMemo(["", "topics/attention/", "about/"])
    assert memo.key("topics/attention/") is None
    assert memo.key("") is None


def test_pages_outside_the_navigation_share_the_rendering_of_their_folder():
    memo = NavMemo(["topics/attention/"])
    assert memo.key("articles/flash-attention/") == memo.key("articles/adamw/") == "articles"
    assert memo.key("articles/adamw.html") == "articles"  # use_directory_urls: false
    assert memo.key("articles/optimizers/adamw/") == "articles/optimizers"
    assert memo.key("maintainers/uncategorized/") == "maintainers"
    assert memo.key("404.html") == ""


def test_pages_in_other_folders_never_share_a_rendering():
    # Relative links from articles/x/ and from topics/x/ differ although both are two levels deep.
    memo = NavMemo([])
    assert memo.key("articles/x/") != memo.key("topics/x/")


def test_what_is_put_is_what_is_got_back():
    memo = NavMemo([])
    assert memo.get("articles") is None
    assert memo.put("articles", "<nav>…</nav>") == "<nav>…</nav>"
    assert memo.get("articles") == "<nav>…</nav>"
