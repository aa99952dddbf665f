"""``python -m ingest suggest-topics``: off-taxonomy articles grouped into proposed entries, nothing written."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ingest.contributor.suggest import find_candidates, passing_mention_score, proposals_yaml, suggest_topics
from ingest.pipeline.tag import Tagger
from ingest.shared.taxonomy import TOPIC_ID, load_taxonomy
from ingest.site.library import scan_articles
from tests.contrib_fixtures import TAXONOMY, ingest, write_project

ROOT = Path(__file__).resolve().parents[2]

# Three Chinese articles on knowledge graphs and two English ones on restricted Boltzmann machines:
# nothing in the tiny taxonomy (optimizers, attention) fits them. One more knowledge-graph
# article mentions 优化器 once, late: weakly tagged. The optimizer article is tagged for real.
FEED = """\
INCOMING TRANSMISSION

LATEST UPDATES
知识图谱用三元组表示事实：头实体、关系、尾实体。TransE 把关系看作实体向量之间的平移，训练时让头实体加关系接近尾实体，知识图谱补全就是预测缺失的三元组...
构建知识图谱的第一步是实体识别与关系抽取：先从文本中找出实体，再判断两个实体之间的关系，最后把得到的三元组写入图数据库，供知识图谱查询...
知识图谱嵌入方法 TransE、TransH 与 RotatE 都把实体和关系映射到向量空间，再用打分函数衡量一个三元组是否成立，负采样时替换头实体或尾实体...
A restricted Boltzmann machine is an energy-based model with one layer of visible units and one layer of hidden units. Training uses Gibbs sampling between the visible and hidden units...
Contrastive divergence trains a restricted Boltzmann machine by running a short Gibbs chain from the data: the visible units are sampled, then the hidden units, and the weights move toward the data statistics...
知识图谱问答分两步：先做实体链接，把问题里提到的实体对应到知识图谱中的节点；再沿着关系在图上走一到两跳，找到能回答问题的三元组。难点在于同名实体的消歧，以及问题里的说法和知识图谱中关系名称的对齐，常用的办法是给每个候选三元组打分后取最高者。实验部分顺带一提，训练时用的优化器参数保持默认...
优化器 Adam 的更新规则结合了动量和自适应学习率，是训练深度网络最常用的优化器之一；本文推导 Adam 优化器的偏差修正项，并与 SGD 优化器比较...
"""


def tree_digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_project(tmp_path)
    (tmp_path / "feeds" / "feed.txt").write_text(FEED, encoding="utf-8")
    report = ingest(tmp_path)
    assert report.articles == 7
    monkeypatch.chdir(tmp_path)
    return tmp_path


def library(project: Path):
    taxonomy = load_taxonomy(project / "taxonomy.yml")
    articles, problems = scan_articles(project / "docs", taxonomy)
    assert problems == []
    return taxonomy, articles


def by_opening(articles, opening: str):
    return next(article for article in articles if opening in article.body)


def test_uncategorized_and_weakly_tagged_articles_are_the_candidates(project):
    taxonomy, articles = library(project)
    tagger = Tagger(taxonomy)
    candidates = {candidate.article.id: candidate.reason for candidate in find_candidates(articles, taxonomy, tagger)}
    weak = by_opening(articles, "知识图谱问答")
    assert weak.topics == ["optimizers"]  # the tagger found its one passing mention
    assert candidates[weak.id] == "weak"
    assert by_opening(articles, "优化器 Adam").id not in candidates
    assert sorted(reason for reason in candidates.values()) == ["uncategorized"] * 5 + ["weak"]
    # the reference is the tagger's own score for one passing mention of the topic's name
    assert passing_mention_score(tagger, taxonomy.topic("optimizers")) > 0


def test_off_taxonomy_articles_are_grouped_by_shared_key_terms(project):
    taxonomy, articles = library(project)
    proposals, ungrouped = suggest_topics(articles, taxonomy)
    groups = {proposal.topic["zh"]: {candidate.article.id for candidate in proposal.articles} for proposal in proposals}
    graph = {article.id for article in articles if "知识图谱" in article.body}
    boltzmann = {article.id for article in articles if "Boltzmann" in article.body}
    assert len(graph) == 4 and len(boltzmann) == 2
    assert sorted(groups.values(), key=len) == [boltzmann, graph]
    graph_proposal = next(proposal for proposal in proposals if {c.article.id for c in proposal.articles} == graph)
    assert graph_proposal.topic["zh"] == "知识图谱"
    assert {"知识图谱", "实体", "三元组"} <= set(graph_proposal.topic["aliases"])
    english = next(proposal for proposal in proposals if {c.article.id for c in proposal.articles} == boltzmann)
    assert "boltzmann" in english.topic["id"]
    assert any("Boltzmann" in alias for alias in english.topic["aliases"])
    assert ungrouped == []


def test_output_is_yaml_with_unused_kebab_case_ids_and_the_articles_that_would_move(project):
    taxonomy, articles = library(project)
    first, _ = suggest_topics(articles, taxonomy)
    # ids already published (or already proposed once) are never proposed again
    taken = {proposal.topic["id"] for proposal in first}
    proposals, ungrouped = suggest_topics(articles, taxonomy, published_ids=taken)
    data = yaml.safe_load(proposals_yaml(proposals, ungrouped, taxonomy))
    ids = [proposal["topic"]["id"] for proposal in data["proposals"]]
    assert len(ids) == len(set(ids)) == 2
    known = {topic.id for topic in taxonomy.topics} | taken
    for proposal in data["proposals"]:
        topic = proposal["topic"]
        assert TOPIC_ID.match(topic["id"]) and topic["id"] not in known
        assert set(topic) >= {"id", "zh", "en", "section", "aliases", "description"}
        assert topic["section"] in {section.id for section in taxonomy.sections}
        for moved in proposal["articles"]:
            article = next(article for article in articles if article.id == moved["id"])
            assert moved["title"] == article.title and moved["path"] == f"docs/{article.path}"
    # each proposed entry is a valid taxonomy entry as it stands
    extended = yaml.safe_load(TAXONOMY)
    extended["topics"] += [proposal["topic"] for proposal in data["proposals"]]
    (project / "extended.yml").write_text(yaml.safe_dump(extended, allow_unicode=True), encoding="utf-8")
    assert len(load_taxonomy(project / "extended.yml").topics) == len(taxonomy.topics) + 2


def test_a_lone_article_is_proposed_only_when_asked(project):
    taxonomy, articles = library(project)
    lone = [by_opening(articles, "A restricted Boltzmann"), by_opening(articles, "优化器 Adam")]
    proposals, ungrouped = suggest_topics(lone, taxonomy)
    assert proposals == [] and [candidate.article.id for candidate in ungrouped] == [lone[0].id]
    assert ungrouped[0].terms  # listed with its key terms
    proposals, ungrouped = suggest_topics(lone, taxonomy, min_articles=1)
    assert [[candidate.article.id for candidate in proposal.articles] for proposal in proposals] == [[lone[0].id]]
    assert ungrouped == []


def test_cli_prints_yaml_and_writes_nothing(project):
    before = tree_digest(project)
    result = subprocess.run(
        [sys.executable, "-m", "ingest", "suggest-topics"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load(result.stdout)
    assert len(data["proposals"]) == 2
    assert "2 proposed topic(s) for 6 article(s)" in result.stderr and "taxonomy.yml not changed" in result.stderr
    assert "Traceback" not in result.stderr and "Building prefix dict" not in result.stderr
    assert tree_digest(project) == before
