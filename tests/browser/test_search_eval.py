"""Cross-language search on articles the site has never been tuned on: the development evaluation
dumps (``tests/data/eval/dev/``), ingested beside the bundled ones.

Each query names the topic in one language while its article writes it only in the other
(``低秩适配`` for an article that says LoRA, ``distillation`` for one that says 知识蒸馏); the test
checks that first, so a query the article's own text would answer can never count. What finds
the article is the taxonomy: its topics' names and aliases in the search index.

The queries were written before they were measured, one per article, from the topic's usual name.
The eval corpus has several articles on some topics, so a page listed above the expected article
does not count against it when it is itself an answer: an article that writes the query, or one
tagged with the expected article's topic, or that topic's page. Anything else above it does.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingest.shared.frontmatter_io import read_page
from ingest.shared.keyterms import plain_text
from tests.browser.search_suite import TOP, open_search, search_results

# Builds a site of the 160 development articles: `make test-slow` (CI runs it too); the
# bundled hit-rate suite (test_search.py) stays in `make test`.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

# (source of the article in tests/data/eval/dev, query)
CROSS_LANGUAGE = [
    # English articles, Chinese queries
    ("010_3c8e51a94f0d27b6.txt:10", "超分辨率"),
    ("010_3c8e51a94f0d27b6.txt:22", "逻辑回归"),
    ("010_3c8e51a94f0d27b6.txt:33", "词向量"),
    ("011_a7d20f6b93e1c485.txt:11", "标签平滑"),
    ("011_a7d20f6b93e1c485.txt:34", "交叉验证"),
    ("012_5f19b0c7e2d84a63.txt:10", "生成对抗网络"),
    ("012_5f19b0c7e2d84a63.txt:15", "两阶段检测器"),
    ("012_5f19b0c7e2d84a63.txt:35", "长短期记忆网络"),
    ("013_d06e4a2b8f17c9e5.txt:11", "元学习"),
    ("013_d06e4a2b8f17c9e5.txt:39", "图像分割"),
    ("023_c51f27a9d30e8b64.txt:37", "随机梯度下降"),
    ("022_0e9d6b2f84a1c375.txt:15", "模型剪枝"),
    ("020_4f7a1c93e0b25d68.txt:22", "奖励模型"),
    ("021_b83e0d5a17c2f946.txt:7", "蒙特卡洛方法"),
    ("023_c51f27a9d30e8b64.txt:26", "推荐系统"),
    ("023_c51f27a9d30e8b64.txt:23", "线性回归"),
    # Chinese articles that write the term in English (LoRA, BN), Chinese queries
    ("021_b83e0d5a17c2f946.txt:15", "低秩适配"),
    ("013_d06e4a2b8f17c9e5.txt:16", "批量归一化"),
    # Chinese articles, English queries
    ("023_c51f27a9d30e8b64.txt:15", "distillation"),
    ("010_3c8e51a94f0d27b6.txt:15", "principal component analysis"),
    ("010_3c8e51a94f0d27b6.txt:44", "variational autoencoder"),
    ("011_a7d20f6b93e1c485.txt:12", "federated learning"),
    ("013_d06e4a2b8f17c9e5.txt:7", "domain adaptation"),
    ("013_d06e4a2b8f17c9e5.txt:10", "decision tree"),
    ("020_4f7a1c93e0b25d68.txt:29", "policy gradient"),
    ("021_b83e0d5a17c2f946.txt:25", "speech recognition"),
    ("022_0e9d6b2f84a1c375.txt:32", "convex optimization"),
    ("021_b83e0d5a17c2f946.txt:26", "time series forecasting"),
]


def comparable(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def read_article(path: Path) -> tuple[str, list[str], str]:
    """(title, tags, plain text) of a built project's article."""
    page, problem = read_page(path)
    assert problem is None, problem
    return str(page.meta["title"]), [str(tag) for tag in page.meta.get("tags") or []], plain_text(page.body)


def article_for(project: Path, source: str) -> tuple[Path, str]:
    """The article whose sources include the dev dump's ``FILE:LINE``, and its URL path."""
    wanted = f"feeds/{source}"
    for path in sorted((project / "docs" / "articles").glob("*.md")):
        page, _ = read_page(path)
        if wanted in [str(item) for item in page.meta.get("sources") or []]:
            return path, f"articles/{path.stem}/"
    raise AssertionError(f"no article was ingested from {wanted}")


def is_another_answer(project: Path, location: str, query: str, topic: str, taxonomy) -> bool:
    """A result that answers ``query`` in its own right (see the module's docstring)."""
    if location == f"topics/{taxonomy.lookup(topic).id}/":
        return True
    if not location.startswith("articles/"):
        return False
    title, tags, text = read_article(project / "docs" / f"{location.strip('/')}.md")
    return comparable(query) in comparable(f"{title} {text}") or topic in tags


def test_there_are_enough_cross_language_queries():
    assert len(CROSS_LANGUAGE) >= 15
    assert len({source for source, _ in CROSS_LANGUAGE}) == len(CROSS_LANGUAGE)


@pytest.mark.parametrize(("source", "query"), CROSS_LANGUAGE, ids=[query for _, query in CROSS_LANGUAGE])
def test_a_name_in_one_language_finds_the_article_that_writes_the_other(
    page, taxonomy, eval_site, eval_site_url, source, query
):
    path, expected = article_for(eval_site, source)
    title, tags, text = read_article(path)
    # The author's text only: a guessed title may name the subject with the taxonomy's name, which
    # is the taxonomy linking the languages too.
    assert comparable(query) not in comparable(text), f"{source} writes {query!r} itself"
    open_search(page, eval_site_url)
    results = search_results(page, eval_site_url, query)
    assert expected in results, f"{query!r}: {expected} ({title}) is not among the results {results}"
    above = results[: results.index(expected)]
    unrelated = [location for location in above if not is_another_answer(eval_site, location, query, tags[0], taxonomy)]
    assert len(unrelated) < TOP, f"{query!r}: {unrelated} rank above {expected} ({title}); all results: {results}"
