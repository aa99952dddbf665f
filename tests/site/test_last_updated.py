"""Each page's "最后更新" date from one history, and the articles' part of it for 最近更新."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from ingest.site.history import Commit, within
from ingest.site.last_updated import LastUpdated, date_html, last_changed

BEIJING = timezone(timedelta(hours=8))
HISTORY = [  # newest first, as read_history returns it
    Commit("c3", datetime(2026, 3, 1, 7, 0, tzinfo=BEIJING), modified=("about.md",)),
    Commit("c2", datetime(2026, 2, 3, 8, 30, tzinfo=UTC), added=("articles/b.md",), modified=("articles/a.md",)),
    Commit("c1", datetime(2026, 1, 2, 10, 0, tzinfo=UTC), added=("articles/a.md", "about.md", "index.md")),
]


def test_the_newest_commit_that_added_or_changed_a_path_is_its_date_in_utc():
    assert last_changed(HISTORY) == {
        "about.md": date(2026, 2, 28),  # 07:00 in Beijing is the evening before in UTC
        "articles/a.md": date(2026, 2, 3),
        "articles/b.md": date(2026, 2, 3),
        "index.md": date(2026, 1, 2),
    }
    assert last_changed(None) == {}


def test_the_date_is_written_in_the_sites_language_inside_a_machine_readable_time():
    assert (
        date_html(date(2025, 1, 2), "zh") == '<time class="kb-last-updated" datetime="2025-01-02">2025年1月2日</time>'
    )
    assert ">January 2, 2025<" in date_html(date(2025, 1, 2), "en")
    assert ">2025-01-02<" in date_html(date(2025, 1, 2), "xx")


def test_pages_git_has_not_seen_and_generated_pages_get_the_build_date():
    dates = LastUpdated(HISTORY, datetime(2026, 4, 5, 23, 30, tzinfo=timezone(timedelta(hours=-5))), "zh")
    assert 'datetime="2026-02-03"' in dates.for_page("articles/a.md")
    assert 'datetime="2026-04-06"' in dates.for_page("articles/new.md")  # the build day in UTC
    assert 'datetime="2026-04-06"' in dates.for_page("index.md", generated=True)
    assert 'datetime="2026-04-06"' in LastUpdated(None, datetime(2026, 4, 6, tzinfo=UTC), "zh").for_page("index.md")


def test_within_keeps_the_commits_and_paths_under_a_folder():
    articles = within(HISTORY, "articles")
    assert [(commit.sha, commit.added, commit.modified) for commit in articles] == [
        ("c2", ("articles/b.md",), ("articles/a.md",)),
        ("c1", ("articles/a.md",), ()),
    ]
    assert within(HISTORY, "topics") is None
    assert within(None, "articles") is None
