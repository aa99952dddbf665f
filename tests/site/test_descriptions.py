from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.shared.markdown import escape_markdown
from ingest.site.descriptions import (
    DESCRIPTION_UNITS,
    ELLIPSIS,
    GAP,
    OPENING_CHARS,
    SHORT_OPENING_CHARS,
    _opening,
    article_description,
    article_descriptions,
    describe,
    math_text,
    plain_text,
    summarize,
    text_units,
    topic_description,
)

DROPPED = '<span class="kb-dropped" title="抓取时这里的公式丢失了">公式缺失</span>'


def test_plain_text_keeps_the_words_and_drops_markup():
    body = (
        "<!-- 写作提示 -->\n\n## 背景\n\n**AdamW** 把权重衰减从[损失](other.md)中拿出来，"
        "见 `torch.optim.AdamW`。\n\n```python\nx = 1\n```\n\n- 一\n- 二"
    )
    assert plain_text(body) == "背景 AdamW 把权重衰减从损失中拿出来，见 torch.optim.AdamW。一二"


def test_description_is_the_opening_section_when_it_says_enough():
    body = "第一段讲清楚了这个概念的来龙去脉，足够当作摘要来用，不需要后面的内容。\n\n## 细节\n\n后面的细节。"
    assert article_description(body) == "第一段讲清楚了这个概念的来龙去脉，足够当作摘要来用，不需要后面的内容。"
    short = "短。\n\n## 细节\n\n后面的细节。"
    assert article_description(short) == "短。 细节 后面的细节。"


def test_escaped_excerpts_read_as_the_original_characters():
    excerpt = "梯度 g_t 与 <b>x</b> & $5 到 $10 [1]"
    assert plain_text(escape_markdown(excerpt)) == excerpt


def test_dropped_content_markers_and_unshowable_formulas_leave_no_residue():
    text = plain_text(f"给定参数 {DROPPED} 与 $\\frac{{a}}{{b}}$ 之比")
    assert "公式缺失" not in text and "frac" not in text and "$" not in text and GAP not in text
    assert text == f"给定参数 与 {ELLIPSIS} 之比"


def test_simple_formulas_become_unicode_text():
    assert math_text(r"\(\eta_t\)") == "ηₜ"
    assert math_text(r"\(h^{(t-1)}\)") == "h⁽ᵗ⁻¹⁾"
    assert math_text(r"\(O(N^2)\)") == "O(N²)"
    assert math_text(r"\(\mathbf{w}^\top\mathbf{x} + b\)") == "wᵀx + b"
    assert math_text(r"\(\lambda\)") == "λ"
    for unshowable in (r"\(\frac{1}{2}\)", r"\(\sum_{i=1}^{n} x_i\)", r"\(\unknowncommand\)", r"\(x_{ij}^{kl}\)"):
        assert math_text(unshowable) == "", unshowable


def test_summary_stops_at_a_sentence_end_that_fits():
    text = "第一句话讲了一件事情。" * 20
    summary = summarize(text)
    assert summary.endswith("。") and text.startswith(summary)
    assert text_units(summary) <= DESCRIPTION_UNITS


def test_summary_without_sentence_end_cuts_at_a_word_with_an_ellipsis():
    english = " ".join(["gradient"] * 80)
    summary = summarize(english)
    assert summary.endswith(ELLIPSIS)
    assert summary[:-1].split(" ")[-1] == "gradient"  # no word cut in half
    assert text_units(summary) <= DESCRIPTION_UNITS


def test_short_text_is_kept_whole():
    assert summarize("  短短的   一句  ") == "短短的 一句"


def test_description_stops_before_a_formula_it_cannot_show():
    description = (
        "Adam 用梯度的一阶矩和二阶矩的指数滑动平均更新参数，并对两者做偏差修正。"
        "加 L2 正则相当于令 $g_t \\leftarrow g_t + \\lambda\\theta_t$，正则项会被缩放。"
    )
    assert topic_description(description) == "Adam 用梯度的一阶矩和二阶矩的指数滑动平均更新参数，并对两者做偏差修正。"


def test_article_description_reads_only_the_opening():
    body = "开头的一段话。\n\n" + "很长的正文。" * 5000
    assert article_description(body).startswith("开头的一段话。")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_excerpt_gives_a_short_single_line_without_markers(text):
    description = article_description(escape_markdown(text) + f" {DROPPED}")
    assert "\n" not in description and GAP not in description and "公式缺失" not in description
    assert text_units(description) <= DESCRIPTION_UNITS


def opening_of(body: str) -> str:
    """The opening article_description read in one go before it tried a short one first."""
    return _opening(body, OPENING_CHARS)


SENTENCE = "模型在长序列上的表现取决于注意力的近似方法，以及它们各自的复杂度分析与误差界。"
FORMULA = "\n\n$$\n\\frac{a}{b}\n$$\n\n"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                SENTENCE,
                "短句。",
                "没有句号的一长段话，说到一半就换了段落，而且还在继续说下去，说得很长很长很长很长",
                "A sentence in English that runs for a while before it ends.",
                FORMULA,
                " $\\sum_i x_i$ ",
                " $\\eta_t$ ",
                "\n\n## 小节\n\n",
                "\n\n```\ncode\n\nmore\n```\n\n",
                f" {DROPPED} ",
                "\n\n",
            ]
        ),
        max_size=30,
    )
)
def test_reading_a_short_opening_first_gives_what_the_whole_opening_gives(pieces):
    body = "".join(pieces)
    assert article_description(body) == describe(opening_of(body))


def test_a_formula_after_the_short_opening_still_cuts_the_summary_back_to_a_sentence_end():
    # No sentence ends past the limit within the short opening, so the formula further on decides:
    # the summary stops at the sentence before it.
    body = SENTENCE + "没有句号的话，" * (SHORT_OPENING_CHARS // 6) + FORMULA + "后面的话。"
    assert article_description(body) == SENTENCE


def test_the_text_reader_keeps_what_the_rendered_markdown_shows():
    body = (
        "<div markdown>**粗体** 文字</div>\n\n<template><p>模板</p></template>后文\n\n"
        "<ruby>漢<rt>kan</rt></ruby>字 a<br>b\n\n"
        '<span class="arithmatex">\\(a<span data-search-exclude>藏</span>\\)</span> 式\n\n'
        "</p></div>多余的结束标签 <b>未闭合"
    )
    # Chinese pieces join without a space; the formula, raw HTML inside TeX, cannot be shown as text.
    assert plain_text(body) == "粗体 文字后文漢字 a b … 式多余的结束标签 未闭合"


def test_a_batch_for_the_second_process_gives_each_body_its_own_description():
    bodies = ["第一篇的开头。后面还有更多的内容。", "", "# 标题\n\nThe second one opens in English."]
    assert article_descriptions(bodies) == [article_description(body) for body in bodies]
