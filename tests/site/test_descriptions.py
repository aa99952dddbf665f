from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.shared.markdown import escape_markdown
from ingest.site.descriptions import (
    DESCRIPTION_UNITS,
    ELLIPSIS,
    GAP,
    article_description,
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
