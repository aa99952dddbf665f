from ingest.site.search_terms import identifier_suffixes, topic_keywords
from tests.site.search_fixtures import CHECKPOINTING, OPTIMIZERS


def test_topic_keywords_name_every_topic_once_ignoring_case():
    keywords = topic_keywords([OPTIMIZERS, CHECKPOINTING])
    assert keywords[:3] == ["优化器", "Optimizers", "AdamW"]
    assert keywords.count("梯度检查点") == 1
    assert [word for word in keywords if word.casefold() == "weight decay"] == ["weight decay"]
    assert "Gradient checkpointing" in keywords


def test_identifier_suffixes_let_a_trailing_name_be_found():
    text = "调用torch.nn.functional.conv2d或nn.Module，再看 .backward() 和 1.5 与 expand_as"
    assert identifier_suffixes(text) == ["nn.functional.conv2d", "functional.conv2d", "conv2d", "Module"]


def test_identifier_suffixes_of_plain_text_are_empty():
    assert identifier_suffixes("没有点号的文字 with words. And a sentence.") == []
