from bs4 import BeautifulSoup

from ingest.shared.taxonomy import Section, Taxonomy, Topic
from ingest.site.redirects import redirect_html, redirect_source_path, topic_redirects


def test_every_former_id_redirects_to_its_topic():
    topics = [
        Topic("attention", "注意力机制", "Attention", "models", (), ".", former_ids=("attn", "attention-flash")),
        Topic("uncategorized", "待分类", "Uncategorized", "models", (), "."),
    ]
    redirects = topic_redirects(Taxonomy("t.yml", [Section("models", "模型", "Models")], topics))
    assert [(redirect.former_id, redirect.topic.id) for redirect in redirects] == [
        ("attn", "attention"),
        ("attention-flash", "attention"),
    ]
    assert redirect_source_path("attn", True) == "topics/attn/index.html"
    assert redirect_source_path("attn", False) == "topics/attn.html"


def test_the_redirect_page_refreshes_without_script_keeps_the_anchor_with_it_and_is_not_indexed():
    topic = Topic("attention", '注意力 <b>"机制"</b>', "Attention", "models", (), ".")
    page = redirect_html(topic, "../attention/", "https://example.org/kb/topics/attention/")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../attention/"
    assert soup.find("link", rel="canonical")["href"] == "https://example.org/kb/topics/attention/"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.script.string == 'location.replace("../attention/" + location.hash)'
    assert soup.body["data-pagefind-ignore"] == "all"
    link = soup.body.find("a")
    assert link["href"] == "../attention/" and link.get_text() == '注意力 <b>"机制"</b>'  # a name stays text
    assert soup.find("b") is None
    # without a site_url the canonical link is the relative one
    assert 'rel="canonical" href="../attention/"' in redirect_html(topic, "../attention/", None)
