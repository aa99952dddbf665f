"""scripts/eval_quality.py: the knowledge-quality figures the README quotes, held as a floor.

The dev split (160 articles written for the evaluation, across the whole field) and the bundled
dumps without ``titles.yml`` must keep primary topics and titles right for at least 90% of their
articles and at least the README's counts, and dedup exact. The holdout split is not used here: it is measured once, by hand, so
that it stays unseen by the tuning these figures drive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scripts.loading import load_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "eval_quality.py"
TARGET = 0.9
# The README's figures ("Knowledge quality, measured"): a change that lowers one fails here.
README_FIGURES = {"dev": {"primary": 151, "titles": 154}, "bundled": {"primary": 26, "titles": 27}}


eval_quality = load_script("eval_quality")


@pytest.fixture(scope="module", params=["dev", "bundled"])
def evaluation(request):
    return eval_quality.evaluate(request.param, use_titles_file=False)


def test_primary_topics_right_for_nine_in_ten(evaluation):
    figures = evaluation.overall
    assert figures.labelled >= 28
    assert figures.primary_right / figures.labelled >= TARGET, evaluation.as_json()["failures"]
    assert figures.primary_right >= README_FIGURES[evaluation.split]["primary"], evaluation.as_json()["failures"]


def test_titles_acceptable_for_nine_in_ten(evaluation):
    figures = evaluation.overall
    assert figures.titles_right / figures.labelled >= TARGET, evaluation.as_json()["failures"]
    assert figures.titles_right >= README_FIGURES[evaluation.split]["titles"], evaluation.as_json()["failures"]


def test_dedup_finds_every_article_once(evaluation):
    assert evaluation.dedup_ok, evaluation.as_json()["dedup"]


def test_few_articles_left_uncategorized(evaluation):
    assert evaluation.uncategorized_share <= 0.1, evaluation.uncategorized


def judged(title: str, topics: list[str]):
    label = eval_quality.Label("a.txt:1", ["lora"], ["lora", "peft"], [["LoRA", "低秩"]])
    article = eval_quality.Written("lora-1.md", "1", title, topics, ["a.txt:1"], "LoRA 冻结预训练权重。")
    return eval_quality.judge(label, article)


def test_a_wrong_primary_topic_or_a_title_without_the_subject_fails():
    assert judged("LoRA 微调的直觉", ["lora", "peft"]).primary_ok
    assert judged("LoRA 微调的直觉", ["lora", "peft"]).title_ok
    assert not judged("LoRA 微调的直觉", ["optimizers", "lora"]).primary_ok
    assert not judged("微调的直觉与实践", ["lora"]).title_ok  # the subject is missing
    assert not judged("目录 1. LoRA", ["lora"]).title_ok  # an editor's rule is broken


def test_short_terms_match_whole_words_only():
    assert eval_quality.term_in_title("GAN", "GANs 的训练技巧")
    assert not eval_quality.term_in_title("GAN", "Organic chemistry")
