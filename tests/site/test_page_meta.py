import pytest

from ingest.site.page_meta import ARTICLE, PageMeta, meta_tags


def as_dict(tags):
    return {key: content for _, key, content in tags}


def test_article_gets_open_graph_article_tags():
    meta = PageMeta("Adam 与 AdamW", "一段  描述", ARTICLE, "https://x.org/a/", "2026-01-11", ("优化器",))
    tags = meta_tags(meta, "知识库")
    values = as_dict(tags)
    assert values["og:type"] == "article" and values["og:title"] == "Adam 与 AdamW"
    assert values["description"] == values["og:description"] == "一段 描述"
    assert values["og:url"] == "https://x.org/a/" and values["article:tag"] == "优化器"
    assert values["article:published_time"] == "2026-01-11"
    assert {attribute for attribute, _, _ in tags} == {"name", "property"}
    assert not any(key == "og:image" for _, key, _ in tags)


def test_other_pages_are_websites_and_fall_back_to_the_site_name():
    values = as_dict(meta_tags(PageMeta("  ", ""), "知识库"))
    assert values["og:type"] == "website" and values["og:title"] == "知识库"
    assert "og:description" not in values and "og:url" not in values


def test_markup_passes_through_as_plain_text_for_the_template_to_escape():
    values = as_dict(meta_tags(PageMeta('"><script>x</script>', "a & b"), "s"))
    assert values["og:title"] == '"><script>x</script>' and values["description"] == "a & b"


def test_unknown_type_is_refused():
    with pytest.raises(ValueError):
        meta_tags(PageMeta("t", "d", kind="video"), "s")
