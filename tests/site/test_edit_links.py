from ingest.site.edit_links import Repository, edit_link

REPO = Repository("https://github.com/org/kb", "edit/main/docs/")


def test_an_ordinary_page_is_edited_where_it_is():
    assert edit_link(REPO, "articles/mine.md") == "https://github.com/org/kb/edit/main/docs/articles/mine.md"


def test_a_generated_article_points_to_the_takeover_instructions():
    link = edit_link(REPO, "articles/attention-552173.md", generated_article=True)
    assert link == (
        "https://github.com/org/kb/blob/main/CONTRIBUTING.md"
        "#%E6%8E%A5%E6%89%8B%E4%B8%80%E7%AF%87%E8%87%AA%E5%8A%A8%E7%94%9F%E6%88%90%E7%9A%84%E6%96%87%E7%AB%A0"
    )


def test_a_topic_page_points_to_its_entry_in_the_taxonomy_and_other_generated_pages_to_nothing():
    assert edit_link(REPO, "topics/rnn.md", generated_page=True, topic_line=104) == (
        "https://github.com/org/kb/blob/main/taxonomy.yml#L104"
    )
    assert edit_link(REPO, "all-articles.md", generated_page=True) is None


def test_file_names_are_percent_encoded():
    link = edit_link(REPO, 'articles/a"><b>笔记 1.md')
    assert '"' not in link and "<" not in link and " " not in link
    assert link.endswith("/articles/a%22%3E%3Cb%3E%E7%AC%94%E8%AE%B0%201.md")


def test_no_repository_or_an_unusual_edit_uri():
    assert edit_link(None, "index.md") is None
    odd = Repository("https://example.org/r", "src/", "docs")
    assert edit_link(odd, "index.md") == "https://example.org/r/src/index.md"
    assert edit_link(odd, "articles/a.md", generated_article=True) is None
