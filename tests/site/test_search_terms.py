from pathlib import Path

import jieba
import material

from ingest.shared.taxonomy import Section, Taxonomy, Topic
from ingest.site.search_terms import (
    DEFAULT_FIELD_BOOSTS,
    IDENTIFIERS_FIELD,
    KEYWORDS_FIELD,
    SEARCH_WORKER,
    add_search_fields,
    fix_query_segmentation,
    identifier_suffixes,
    jieba_user_dictionary,
    jieba_words,
    topic_keywords,
)


def topic(topic_id, zh, en, *aliases):
    return Topic(id=topic_id, zh=zh, en=en, section="training", aliases=aliases, description="")


OPTIMIZERS = topic("optimizers", "优化器", "Optimizers", "AdamW", "权重衰减", "weight decay", "Weight Decay")
CHECKPOINTING = topic("gradient-checkpointing", "梯度检查点", "Gradient checkpointing", "激活检查点", "梯度检查点")
TRANSFORMER = topic("transformer", "Transformer", "Transformer", "编码器-解码器", "RM算法", "注意力机制与 Flash", "门")


def taxonomy(*topics):
    return Taxonomy("taxonomy.yml", [Section("training", "训练", "Training")], list(topics))


def test_jieba_words_are_the_names_written_wholly_in_chinese():
    words = jieba_words(taxonomy(OPTIMIZERS, TRANSFORMER))
    assert words == ["优化器", "权重衰减", "编码器", "解码器"]


def test_jieba_words_are_listed_once_in_taxonomy_order():
    assert jieba_words(taxonomy(CHECKPOINTING, OPTIMIZERS)) == ["梯度检查点", "激活检查点", "优化器", "权重衰减"]


def test_the_user_dictionary_keeps_taxonomy_terms_whole(tmp_path):
    sentence = "梯度检查点和权重衰减"
    tokenizer = jieba.Tokenizer()
    assert "梯度检查点" not in tokenizer.lcut(sentence)
    path = tmp_path / "user-dict.txt"
    path.write_text(jieba_user_dictionary(taxonomy(CHECKPOINTING, OPTIMIZERS)), encoding="utf-8")
    tokenizer.load_userdict(str(path))
    assert tokenizer.lcut(sentence) == ["梯度检查点", "和", "权重衰减"]


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


def search_index():
    return {
        "config": {"lang": ["zh"], "fields": {"title": {"boost": 1000.0}, KEYWORDS_FIELD: {"boost": 7.0}}},
        "docs": [
            {"location": "articles/optimizers/", "title": "Adam", "text": "<p>用 torch.optim.AdamW</p>"},
            {"location": "articles/optimizers/#_1", "title": "更多", "text": "<p>nn.functional.dropout</p>"},
            {"location": "topics/optimizers/", "title": "优化器", "text": "<p>简介</p>"},
        ],
    }


def test_keywords_go_on_the_page_entry_only():
    index = add_search_fields(search_index(), {"articles/optimizers/": ["权重衰减", "weight decay"]})
    page, section, other = index["docs"]
    assert page[KEYWORDS_FIELD] == "权重衰减 weight decay"
    assert KEYWORDS_FIELD not in section
    assert KEYWORDS_FIELD not in other


def test_identifier_parts_go_on_every_entry_that_has_them():
    page, section, other = add_search_fields(search_index(), {})["docs"]
    assert page[IDENTIFIERS_FIELD] == "optim.AdamW AdamW"
    assert section[IDENTIFIERS_FIELD] == "functional.dropout dropout"
    assert IDENTIFIERS_FIELD not in other


def test_configured_field_boosts_win_over_the_defaults():
    fields = add_search_fields(search_index(), {})["config"]["fields"]
    assert fields[KEYWORDS_FIELD] == {"boost": 7.0}
    assert fields[IDENTIFIERS_FIELD] == {"boost": DEFAULT_FIELD_BOOSTS[IDENTIFIERS_FIELD]}
    assert fields["title"] == {"boost": 1000.0}


# The worker's segmenter as another minifier might name it.
SEGMENTER = "function q(a,b){let c=new Set,d=new Uint16Array(a.length);for(let f=0;f<a.length;f++)" + (
    "for(let g=f+1;g<a.length;g++)a.slice(f,g)in b&&(d[f]=g-f);return c}"
)


def test_the_segmenter_may_end_a_word_at_the_end_of_the_query():
    patched = fix_query_segmentation(SEGMENTER)
    assert patched == SEGMENTER.replace("g<a.length;g++", "g<=a.length;g++")


def test_unknown_or_already_fixed_code_is_refused():
    assert fix_query_segmentation("function q(a,b){return new Set([a])}") is None
    assert fix_query_segmentation(fix_query_segmentation(SEGMENTER)) is None


def test_the_fix_applies_to_the_installed_material_worker():
    theme = Path(material.__file__).parent / "templates"
    workers = [
        path
        for path in theme.glob("assets/javascripts/workers/*.js")
        if SEARCH_WORKER.fullmatch(path.relative_to(theme).as_posix())
    ]
    assert len(workers) == 1
    assert fix_query_segmentation(workers[0].read_text(encoding="utf-8")) is not None
