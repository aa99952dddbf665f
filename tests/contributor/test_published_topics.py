"""The record of published topic ids: a rename or removal without a redirect fails ``check``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingest.contributor.check import check_project
from ingest.contributor.published_topics import load_published_ids, published_topic_problems, record_topics
from ingest.shared.taxonomy import load_taxonomy
from tests.contrib_fixtures import TAXONOMY, write_project

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems():
    return [str(problem) for problem in check_project([], Path("docs"), Path("taxonomy.yml"), Path("titles.yml"))]


def rename_attention(project: Path, former_ids: str = "") -> None:
    """The 'attention' topic becomes 'attention-mechanisms', optionally with ``former_ids``."""
    text = TAXONOMY.replace("  - id: attention\n", f"  - id: attention-mechanisms\n{former_ids}")
    (project / "taxonomy.yml").write_text(text, encoding="utf-8")


def record_line(project: Path, topic_id: str) -> int:
    lines = (project / "published-topics.txt").read_text(encoding="utf-8").splitlines()
    return lines.index(topic_id) + 1


def test_the_recorded_project_passes(project):
    assert problems() == []


def test_a_renamed_id_without_a_redirect_fails_at_its_record_line(project):
    rename_attention(project)
    line = record_line(project, "attention")
    found = problems()
    assert any(
        problem.startswith(f"published-topics.txt:{line}: published topic id 'attention' is no longer in")
        and "former_ids: [attention]" in problem
        for problem in found
    ), found
    # and the new id must be recorded too, at its line in the taxonomy
    taxonomy_line = TAXONOMY.splitlines().index("  - id: attention") + 1
    assert any(
        problem.startswith(f"taxonomy.yml:{taxonomy_line}: topic 'attention-mechanisms' is not recorded")
        for problem in found
    )


def test_a_renamed_id_with_a_former_id_passes_once_recorded(project):
    rename_attention(project, "    former_ids: [attention]\n")
    assert [problem for problem in problems() if problem.startswith("published-topics.txt:")] == []
    assert record_topics(project / "published-topics.txt", load_taxonomy(project / "taxonomy.yml")) == [
        "attention-mechanisms"
    ]
    assert problems() == []
    assert load_taxonomy(project / "taxonomy.yml").lookup("attention").id == "attention-mechanisms"


def test_a_deleted_topic_fails_until_another_topic_takes_its_id(project):
    text = TAXONOMY.replace(
        "  - id: attention\n    zh: 注意力机制\n    en: Attention\n    section: training\n"
        "    aliases: [注意力, attention]\n    description: 按相关程度加权求和。\n",
        "",
    )
    assert text != TAXONOMY
    (project / "taxonomy.yml").write_text(text, encoding="utf-8")
    assert [problem.split(": ")[0] for problem in problems()] == [
        f"published-topics.txt:{record_line(project, 'attention')}"
    ]
    (project / "taxonomy.yml").write_text(
        text.replace("  - id: optimizers\n", "  - id: optimizers\n    former_ids: [attention]\n"), encoding="utf-8"
    )
    assert problems() == []


def test_record_topics_only_appends_and_keeps_comments(project):
    record = project / "published-topics.txt"
    record.write_text("# ours\noptimizers\n# gone but published\nold-topic\n", encoding="utf-8")
    added = record_topics(record, load_taxonomy(project / "taxonomy.yml"))
    assert added == ["attention", "uncategorized"]
    assert record.read_text(encoding="utf-8") == (
        "# ours\noptimizers\n# gone but published\nold-topic\nattention\nuncategorized\n"
    )
    assert record_topics(record, load_taxonomy(project / "taxonomy.yml")) == []
    # old-topic is still recorded, so check asks for its redirect
    assert any(problem.startswith("published-topics.txt:4: published topic id 'old-topic'") for problem in problems())


def test_a_missing_record_is_created_with_its_header(project):
    record = project / "published-topics.txt"
    record.unlink()
    assert len([problem for problem in problems() if "is not recorded" in problem]) == 3
    record_topics(record, load_taxonomy(project / "taxonomy.yml"))
    assert record.read_text(encoding="utf-8").startswith("# Topic ids the site has published")
    assert load_published_ids(record)[0] == {"optimizers": 5, "attention": 6, "uncategorized": 7}


def test_malformed_record_lines_are_named(project):
    record = project / "published-topics.txt"
    record.write_text("optimizers\nNot An Id\noptimizers  # again\nattention\nuncategorized\n", encoding="utf-8")
    found = [str(problem) for problem in published_topic_problems(record, load_taxonomy(project / "taxonomy.yml"))]
    assert found == [
        "published-topics.txt:2: 'Not An Id' is not a topic id (lowercase ascii kebab-case)",
        "published-topics.txt:3: topic id 'optimizers' is recorded twice (first at line 1)",
    ]


def test_cli_check_fails_and_record_topics_fixes_an_unrecorded_topic(project):
    (project / "taxonomy.yml").write_text(
        TAXONOMY.replace("  - id: uncategorized\n", "  - id: uncategorized\n", 1)
        + "  - id: dropout\n    zh: Dropout\n    en: Dropout\n    section: training\n"
        "    aliases: [dropout]\n    description: 随机丢弃。\n",
        encoding="utf-8",
    )
    env = {"PYTHONPATH": str(ROOT)}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "ingest", *args], cwd=project, capture_output=True, text=True, env=env
        )

    checked = run("check")
    assert checked.returncode == 1
    assert (
        "taxonomy.yml:" in checked.stderr
        and "topic 'dropout' is not recorded in published-topics.txt" in checked.stderr
    )
    recorded = run("record-topics")
    assert recorded.returncode == 0 and "1 topic id(s) added: dropout" in recorded.stderr
    assert run("check").returncode == 0


def test_the_bundled_taxonomy_keeps_every_published_id():
    """The 27 topic ids the site published before the taxonomy grew, and every one since."""
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml")
    recorded, record_problems = load_published_ids(ROOT / "published-topics.txt")
    assert record_problems == []
    assert published_topic_problems(ROOT / "published-topics.txt", taxonomy) == []
    first_published = {
        "perceptron-and-bias", "activation-functions", "rnn", "transformer", "attention", "state-space-models",
        "mixture-of-experts", "vision-language-models", "receptive-field", "spatial-pyramid-pooling", "upsampling",
        "detr-object-detection", "face-recognition", "softmax-margin-losses", "optimizers", "discrete-metric-losses",
        "distributed-data-parallel", "gradient-checkpointing", "mixed-precision", "rl-basics",
        "stochastic-approximation", "monte-carlo-methods", "rlhf-dpo", "pytorch-autograd",
        "pytorch-nn-vs-functional", "pytorch-common-errors", "tensorflow-internals",
    }  # fmt: skip
    assert len(first_published) == 27
    assert first_published <= set(recorded)
    assert {topic.id for topic in taxonomy.topics} <= set(recorded)
