import markdown
import yaml
from bs4 import BeautifulSoup

from ingest.shared.taxonomy import Section, Taxonomy, Topic
from ingest.site.library import LibraryArticle
from ingest.site.maintainer import uncategorized_articles, uncategorized_page


def taxonomy() -> Taxonomy:
    topics = [
        Topic("optimizers", "优化器", "Optimizers", "basics", ("Adam",), "."),
        Topic("uncategorized", "待分类", "Uncategorized", "other", (), "."),
    ]
    return Taxonomy("taxonomy.yml", [Section("basics", "基础", "Basics"), Section("other", "其他", "Other")], topics)


def article(name: str, title: str, body: str, *topics: str) -> LibraryArticle:
    return LibraryArticle(path=f"articles/{name}.md", id=f"id-{name}", title=title, topics=list(topics), body=body)


LIBRARY = [
    article("pork", "红烧肉的做法", "红烧肉先焯水，再炒糖色，加老抽和冰糖小火慢炖，收汁时大火。", "uncategorized"),
    article(
        "chair",
        "<img src=x onerror=alert(1)> chairs",
        "An ergonomic chair: seat depth, lumbar support, armrests; seat depth matters most.",
        "uncategorized",
    ),
    article("adam", "Adam", "Adam 优化器结合动量与自适应学习率。", "optimizers"),
]


def rendered(page: str) -> BeautifulSoup:
    return BeautifulSoup(markdown.markdown(page.split("---", 2)[2], extensions=["md_in_html"]), "html.parser")


def test_every_uncategorized_article_is_listed_with_its_key_terms_and_the_hint():
    page = uncategorized_page(taxonomy(), LIBRARY)
    assert yaml.safe_load(page.split("---", 2)[1]) == {"title": "待分类文章（维护者）", "search": {"exclude": True}}
    soup = rendered(page)
    items = soup.find("h2").find_next("ul").find_all("li", recursive=False)
    assert [item.find("a")["href"] for item in items] == ["../articles/chair.md", "../articles/pork.md"]
    assert "id-pork" in items[1].get_text()
    pork_terms = items[1].get_text().split("关键词：")[1]
    assert "红烧肉" in pork_terms or "糖色" in pork_terms
    assert "seat depth" in items[0].get_text()
    assert "python -m ingest suggest-topics" in soup.get_text()
    # a scraped title stays text
    assert soup.find("img") is None and "<img src=x" in items[0].find("a").get_text()
    assert uncategorized_articles(LIBRARY) == [LIBRARY[1], LIBRARY[0]]


def test_with_nothing_uncategorized_the_page_says_so():
    soup = rendered(uncategorized_page(taxonomy(), LIBRARY[2:]))
    assert "目前没有待分类的文章" in soup.get_text() and soup.find("h2") is None
