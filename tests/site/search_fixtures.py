"""Small taxonomy topics shared by the search tests."""

from ingest.shared.taxonomy import Topic


def topic(topic_id, zh, en, *aliases):
    return Topic(id=topic_id, zh=zh, en=en, section="training", aliases=aliases, description="")


OPTIMIZERS = topic("optimizers", "优化器", "Optimizers", "AdamW", "权重衰减", "weight decay", "Weight Decay")
CHECKPOINTING = topic("gradient-checkpointing", "梯度检查点", "Gradient checkpointing", "激活检查点", "梯度检查点")
