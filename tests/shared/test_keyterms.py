from ingest.shared.keyterms import KeyTermExtractor, is_mostly_chinese, latin_terms, plain_text, term_key

LIBRARY = [
    "知识图谱用三元组表示事实：头实体、关系、尾实体。TransE 把关系看作实体向量之间的平移。",
    "训练一个网络需要数据、模型和优化器，训练时模型在数据上迭代。",
    "训练 Transformer 模型时，数据并行把数据分到多张卡上。",
    "A restricted Boltzmann machine has visible units and hidden units; Gibbs sampling alternates between "
    "the visible units and the hidden units.",
    "Training a model on data with an optimizer: the model sees the data many times during training.",
]


def texts(terms):
    return [term.text for term in terms]


def test_chinese_terms_come_from_jieba_and_skip_what_every_article_says():
    extractor = KeyTermExtractor(LIBRARY)
    terms = texts(extractor.key_terms(LIBRARY[0], limit=6))
    assert "三元组" in terms and "实体" in terms and "TransE" in terms
    assert "训练" not in texts(extractor.key_terms(LIBRARY[2], limit=3))


def test_english_terms_are_words_and_repeated_phrases_ranked_by_library_statistics():
    extractor = KeyTermExtractor(LIBRARY)
    terms = texts(extractor.key_terms(LIBRARY[3], limit=5))
    assert "hidden units" in terms and "visible units" in terms  # repeated: phrases
    assert "restricted Boltzmann" not in terms  # said once, in no other article: two neighbouring words
    assert "Boltzmann" in " ".join(terms)
    assert not {"the", "has", "between"} & {term.casefold() for term in terms}
    generic = texts(extractor.key_terms(LIBRARY[4], limit=5))
    assert not {"model", "data", "training"} & {term.casefold() for term in generic}


def test_a_vocabulary_keeps_taxonomy_terms_whole():
    text = "梯度检查点用重计算换显存，梯度检查点在大模型训练里很常见。"
    without = texts(KeyTermExtractor([text]).key_terms(text))
    with_vocabulary = texts(KeyTermExtractor([text], vocabulary=["梯度检查点"]).key_terms(text))
    assert "梯度检查点" in with_vocabulary and "梯度检查点" not in without


def test_plain_text_undoes_the_ingests_escapes_and_markers():
    body = 'a\\*b &lt;script&gt; &#36;5 <span class="kb-dropped" title="x">⚠ 公式缺失</span> \\_x'
    assert plain_text(body) == "a*b <script> $5  ⚠ 公式缺失  _x"


def test_latin_terms_leave_out_tex_commands_possessives_and_stop_words():
    assert latin_terms("\\hat{y} Megatron-LM's layer of the") == [
        ("Megatron-LM",),
        ("Megatron-LM", "layer"),
        ("layer",),
    ]


def test_helpers():
    assert is_mostly_chinese("知识图谱 TransE") and not is_mostly_chinese("A Boltzmann machine 机")
    assert term_key(" Hidden   Units ") == "hidden units"
    assert KeyTermExtractor([]).key_terms("") == []
