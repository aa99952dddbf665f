import pytest

from ingest.shared.taxonomy import FALLBACK_TOPIC_ID, TaxonomyError, load_taxonomy

VALID = """\
sections:
  - {id: training, zh: 训练, en: Training}
  - {id: other, zh: 其他, en: Other}
topics:
  - id: optimizers
    zh: 优化器
    en: Optimizers
    section: training
    aliases: [AdamW, 权重衰减]
    description: 优化器。
    formulas:
      - {name: SGD, tex: 'w \\leftarrow w - \\eta g'}
  - id: uncategorized
    zh: 待分类
    en: Uncategorized
    section: other
    aliases: []
    description: 未分类。
"""


def write(tmp_path, text):
    path = tmp_path / "taxonomy.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_taxonomy_covers_the_required_topics(taxonomy):
    ids = {topic.id for topic in taxonomy.topics}
    assert FALLBACK_TOPIC_ID in ids
    assert len(ids) >= 25
    for topic in taxonomy.topics:
        assert topic.zh and topic.en and topic.description
        assert topic.aliases or topic.id == FALLBACK_TOPIC_ID


def test_lookup_by_id_and_names_and_suggestions(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, VALID))
    assert taxonomy.lookup("优化器").id == "optimizers"
    assert taxonomy.lookup("OPTIMIZERS").id == "optimizers"
    assert taxonomy.lookup("nope") is None
    assert taxonomy.suggest("optimiser") == ["优化器"]
    assert taxonomy.topic("optimizers").formulas[0].tex == "w \\leftarrow w - \\eta g"


def test_unknown_section_and_duplicate_id_are_reported_with_lines(tmp_path):
    broken = VALID.replace("section: training", "section: trainin") + VALID[VALID.index("  - id: optimizers") :]
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, broken))
    messages = [str(problem) for problem in caught.value.problems]
    assert any(":5: topic 'optimizers': unknown section 'trainin'" in message for message in messages)
    assert any("duplicate topic id 'optimizers'" in message for message in messages)


def test_invalid_yaml_names_the_line(tmp_path):
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, VALID.replace("aliases: [AdamW, 权重衰减]", "aliases: [AdamW, 权重衰减")))
    [problem] = caught.value.problems
    assert problem.line > 1 and "invalid YAML" in problem.reason


def test_missing_keys_and_fallback_topic_are_reported(tmp_path):
    text = VALID.replace("    description: 优化器。\n", "").replace("id: uncategorized", "id: misc")
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, text))
    reasons = " | ".join(problem.reason for problem in caught.value.problems)
    assert "lacks description" in reasons and "fallback topic" in reasons


CHILD = """\
  - id: adam
    zh: Adam
    en: Adam
    section: {section}
    parent: {parent}
    former_names: [Adam 优化器]
    aliases: [Adam]
    description: Adam。
"""


def with_child(parent: str, section: str = "training") -> str:
    head, tail = VALID.split("  - id: uncategorized")
    return head + CHILD.format(parent=parent, section=section) + "  - id: uncategorized" + tail


def test_a_child_topic_knows_its_parent_and_its_former_names(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, with_child("optimizers")))
    assert taxonomy.topic("adam").parent == "optimizers"
    assert [topic.id for topic in taxonomy.children("optimizers")] == ["adam"]
    assert taxonomy.lookup("adam 优化器").id == "adam"


@pytest.mark.parametrize(
    ("parent", "section", "message"),
    [
        ("missing", "training", "unknown parent 'missing'"),
        ("adam", "training", "cannot be its own parent"),
        ("optimizers", "other", "but its parent 'optimizers' is in 'training'"),
        ("uncategorized", "other", None),
    ],
)
def test_parents_must_exist_and_share_the_section(tmp_path, parent, section, message):
    text = with_child(parent, section)
    if message is None:
        assert load_taxonomy(write(tmp_path, text)).topic("adam").parent == parent
        return
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(write(tmp_path, text))
    assert message in str(error.value)
    assert "taxonomy.yml:" in str(error.value.problems[0])


def test_topics_nest_one_level_only(tmp_path):
    text = with_child("optimizers").replace(
        "  - id: uncategorized",
        "  - id: adamw\n    zh: AdamW\n    en: AdamW\n    section: training\n    parent: adam\n"
        "    aliases: [AdamW]\n    description: x\n  - id: uncategorized",
    )
    with pytest.raises(TaxonomyError, match="topics nest one level only"):
        load_taxonomy(write(tmp_path, text))


def with_former_ids(former_ids: str, topic: str = "optimizers") -> str:
    return VALID.replace(f"  - id: {topic}\n", f"  - id: {topic}\n    former_ids: {former_ids}\n")


def test_a_former_id_resolves_as_a_tag_but_never_shadows_a_current_name(tmp_path):
    taxonomy = load_taxonomy(write(tmp_path, with_former_ids("[optimisers, training-tricks]")))
    assert taxonomy.topic("optimizers").former_ids == ("optimisers", "training-tricks")
    assert taxonomy.lookup("Optimisers").id == "optimizers"
    assert {former: topic.id for former, topic in taxonomy.former_id_targets().items()} == {
        "optimisers": "optimizers",
        "training-tricks": "optimizers",
    }


@pytest.mark.parametrize(
    ("former_ids", "topic", "message"),
    [
        ("[Old_Id]", "optimizers", "former id 'Old_Id' is not a kebab-case topic id"),
        ("[uncategorized]", "optimizers", "former id 'uncategorized' is the id of a current topic"),
        ("old-id", "optimizers", "'former_ids' must be a list of topic ids"),
    ],
)
def test_former_ids_must_be_free_kebab_case_ids(tmp_path, former_ids, topic, message):
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, with_former_ids(former_ids, topic)))
    [problem] = caught.value.problems
    assert message in problem.reason and problem.line == VALID.splitlines().index(f"  - id: {topic}") + 1


def test_a_former_id_belongs_to_one_topic(tmp_path):
    text = with_former_ids("[old-id]").replace(
        "  - id: uncategorized\n", "  - id: uncategorized\n    former_ids: [old-id]\n"
    )
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, text))
    assert [problem.reason for problem in caught.value.problems] == [
        "topic 'uncategorized': former id 'old-id' already belongs to 'optimizers'; an old URL can redirect to one topic only"
    ]


def test_the_bundled_taxonomy_covers_the_field(taxonomy):
    assert len(taxonomy.topics) >= 150
    assert len(taxonomy.sections) >= 10
    # The 27 topics published before the taxonomy grew keep their ids (and so their URLs).
    published = [
        "perceptron-and-bias",
        "activation-functions",
        "rnn",
        "transformer",
        "attention",
        "state-space-models",
        "mixture-of-experts",
        "vision-language-models",
        "receptive-field",
        "spatial-pyramid-pooling",
        "upsampling",
        "detr-object-detection",
        "face-recognition",
        "softmax-margin-losses",
        "optimizers",
        "discrete-metric-losses",
        "distributed-data-parallel",
        "gradient-checkpointing",
        "mixed-precision",
        "rl-basics",
        "stochastic-approximation",
        "monte-carlo-methods",
        "rlhf-dpo",
        "pytorch-autograd",
        "pytorch-nn-vs-functional",
        "pytorch-common-errors",
        "tensorflow-internals",
        "uncategorized",
    ]
    ids = {topic.id for topic in taxonomy.topics}
    assert set(published) <= ids
    assert taxonomy.lookup("注意力机制与 FlashAttention").id == "attention"
