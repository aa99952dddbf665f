"""A page's description: a short plain-text summary for search engines, link previews and the feed.

An article's description is the opening of its text; a topic's is its taxonomy description.
Both come from Markdown (escaped excerpts, contributors' prose, ``$…$`` math), so the text is
rendered with Python-Markdown and read back as text, which leaves no Markdown, HTML or TeX
behind: formulas, code blocks and the "公式缺失" markers are dropped, links keep their words,
entities become the characters they stand for.

The result is plain text, never HTML: whoever puts it into a page escapes it there (the
theme override ``overrides/main.html`` does, with Jinja's ``|e``; the feed is written by
ElementTree), so a description cannot carry markup whatever the article holds.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import markdown
from bs4 import BeautifulSoup

# About what search engines show for a Chinese page; English text counts half per character,
# so an English description may be about twice as long in characters.
DESCRIPTION_UNITS = 120.0
# Only the opening is needed: render at most this much of the body (a description is at most
# about 240 characters; the rest covers markup, formulas and entities that the text drops).
OPENING_CHARS = 1500
# A sentence end this far into the limit makes a clean cut; nearer the start, the text is cut
# at a word instead, with an ellipsis.
MIN_SENTENCE_SHARE = 0.4
# Stopping before an unshowable formula is worth a description this much shorter than the limit.
MIN_BEFORE_GAP_SHARE = 0.25
SENTENCE_END = re.compile(r"[。！？!?；;](?=\s|$)|[。！？；](?=\S)|(?<![\d.])\.(?=\s|$)")
SOFT_BREAK = re.compile(r"[，、：,:）)」』”’]")
ELLIPSIS = "…"
GAP = "\ufffc"  # where plain_text dropped a formula; never left in what it returns
# Around a heading (a private-use character: str.split() takes U+2029 for whitespace);
# describe() stops at the first one after some text.
SECTION = "\ue000"
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# Dropped entirely (see _dropped).
DROPPED_TAGS = frozenset({"pre", "script", "style", "h1"})
DROPPED_CLASSES = frozenset({"kb-dropped", "headerlink", "footnote"})
DROPPED_ATTRIBUTE = "data-search-exclude"
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
BLOCKS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "tr", "br", "dt", "dd", "table", "ul", "ol")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[，。、；：！？）」』”,.;:!?)])")
MATH_DELIMITERS = re.compile(r"^\\[(\[]|\\[)\]]$")
TEX_COMMAND = re.compile(r"\\([A-Za-z]+)\s*")
TEX_SCRIPT = re.compile(r"([_^])(\{[^{}]*\}|[^{}\s])")
TEX_SYMBOLS = {
    "times": "×",
    "cdot": "·",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "approx": "≈",
    "to": "→",
    "infty": "∞",
    "in": "∈",
    "lambda": "λ",  # Unicode spells it LAMDA
    "Lambda": "Λ",
    "top": "T",
    "prime": "′",
    **{name: name for name in ("max", "min", "log", "exp", "sin", "cos", "tanh", "softmax", "arg")},
    "mathrm": "",
    "text": "",
    "mathbf": "",
    "boldsymbol": "",
    "hat": "",
}
SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
SUPERSCRIPTS = dict(zip("0123456789+-=()abcdeijkmntxT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉⁱʲᵏᵐⁿᵗˣᵀ", strict=True))
EXTENSIONS = ["attr_list", "md_in_html", "pymdownx.superfences", "pymdownx.arithmatex"]
EXTENSION_CONFIGS = {"pymdownx.arithmatex": {"generic": True}}


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    """One converter for every call: loading the extensions costs far more than a conversion."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def text_units(text: str) -> float:
    return sum(1.0 if _is_wide(char) else 0.5 for char in text)


def _join(left: str, right: str) -> str:
    """Two pieces of text from neighbouring blocks: no space between Chinese, one otherwise."""
    if not left:
        return right
    if not right:
        return left
    if _is_wide(left[-1]) or _is_wide(right[0]):
        return left + right
    return left + " " + right


def plain_text(markdown_text: str) -> str:
    """The words a reader sees in ``markdown_text``, as one line of plain text; a formula that
    plain text cannot show (``\\frac``, ``\\sum``) becomes an ellipsis."""
    return _spaced(_text_with_gaps(markdown_text).replace(GAP, ELLIPSIS))


def _spaced(text: str) -> str:
    """A heading set off by spaces from the text around it."""
    return " ".join(text.replace(SECTION, " ").split())


def _text_with_gaps(markdown_text: str) -> str:
    markdown_text = markdown_text.replace(GAP, "").replace(SECTION, "")  # the input's own are plain noise
    markdown_text = HTML_COMMENT.sub("", markdown_text)  # writing hints in hand-written articles
    html = _markdown().reset().convert(markdown_text)
    soup = BeautifulSoup(html, "html.parser")
    # Matched by hand, not by CSS selectors: soupsieve costs more than the rest of the walk.
    for element in soup.find_all(_dropped):
        element.decompose()
    for element in soup.find_all(class_="arithmatex"):
        element.replace_with(math_text(element.get_text()) or GAP)
    for element in soup.find_all(BLOCKS):
        if element.name in HEADINGS:
            element.insert(0, SECTION)
            element.append(SECTION)
        element.append("\n")
    text = ""
    for piece in soup.get_text("").split("\n"):
        text = _join(text, " ".join(piece.split()))
    # A dropped formula leaves a space before punctuation ("阈值 ，"): close it up.
    return SPACE_BEFORE_PUNCTUATION.sub("", text).strip()


def _dropped(element) -> bool:
    """Nothing a summary can say in words: code, scripts, the page title, blocks search skips,
    heading anchors, footnotes (formulas are handled by ``math_text``)."""
    if element.name in DROPPED_TAGS or element.has_attr(DROPPED_ATTRIBUTE):
        return True
    return not DROPPED_CLASSES.isdisjoint(element.get("class") or ())


def math_text(tex: str) -> str:
    """A simple formula (``\\eta_t``, ``h_{t-1}``, ``x^2``) as Unicode text (ηₜ, hₜ₋₁, x²); anything
    more (fractions, sums, matrices) as nothing, since no plain-text line can show it."""
    tex = MATH_DELIMITERS.sub("", tex).strip()
    text = TEX_COMMAND.sub(lambda match: _symbol(match.group(1)), tex)
    text = TEX_SCRIPT.sub(_script, text)
    text = text.replace("{", "").replace("}", "").replace("\\,", " ").replace("~", " ")
    if "\x00" in text or "\\" in text or "_" in text or "^" in text or len(text) > 24:
        return ""
    return text


def _symbol(command: str) -> str:
    """``\\theta`` → θ, ``\\Omega`` → Ω, ``\\times`` → ×; NUL (refused) for anything else."""
    if command in TEX_SYMBOLS:
        return TEX_SYMBOLS[command]
    case = "CAPITAL" if command[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {command.removeprefix('var').upper()}")
    except KeyError:
        return "\x00"


def _script(match: re.Match) -> str:
    table = SUBSCRIPTS if match.group(1) == "_" else SUPERSCRIPTS
    body = match.group(2).strip("{}")
    if all(char in table for char in body):
        return "".join(table[char] for char in body)
    return match.group(0)  # left for math_text to refuse


def summarize(text: str, limit: float = DESCRIPTION_UNITS) -> str:
    """``text`` itself when it fits in ``limit``; else cut at the last sentence end that fits
    (when that keeps enough), else after a comma-like mark or a word, with an ellipsis."""
    text = " ".join(text.split())
    if _prefix(text, limit) == text:
        return text
    fitting = _prefix(text, limit - 1)  # room for the ellipsis
    ends = [match.end() for match in SENTENCE_END.finditer(fitting)]
    if ends and text_units(fitting[: ends[-1]]) >= MIN_SENTENCE_SHARE * limit:
        return fitting[: ends[-1]].rstrip()
    cut = _word_cut(fitting)
    return cut.rstrip(" ，、：,:;；.。") + ELLIPSIS


def _prefix(text: str, limit: float) -> str:
    units = 0.0
    for index, char in enumerate(text):
        units += 1.0 if _is_wide(char) else 0.5
        if units > limit:
            return text[:index]
    return text


def _word_cut(fitting: str) -> str:
    """Where to cut ``fitting``: after the last soft break near its end, else at the last space
    between Latin words, else anywhere after a CJK character (every one is a word boundary)."""
    soft = [match.end() for match in SOFT_BREAK.finditer(fitting)]
    if soft and soft[-1] >= 0.7 * len(fitting):
        return fitting[: soft[-1]]
    last = len(fitting)
    if last and not _is_wide(fitting[-1]):
        space = fitting.rfind(" ")
        wide = max((index + 1 for index, char in enumerate(fitting) if _is_wide(char)), default=0)
        boundary = max(space, wide)
        if boundary > 0:
            return fitting[:boundary]
    return fitting


def describe(markdown_text: str, limit: float = DESCRIPTION_UNITS) -> str:
    """A summary of ``markdown_text``: its opening sentences, stopping before the first formula
    that plain text cannot show when enough comes before it (a sentence with a hole in it reads
    worse than a shorter description); otherwise the hole becomes an ellipsis."""
    text = _text_with_gaps(markdown_text)
    # The opening section: up to the first heading that follows some text.
    section = text.find(SECTION, 1)
    while section >= 0 and not text[:section].strip(SECTION + " "):
        section = text.find(SECTION, section + 1)
    if section > 0 and text_units(_spaced(text[:section])) >= MIN_BEFORE_GAP_SHARE * limit:
        text = text[:section]
    gap = text.find(GAP)
    if gap >= 0:
        ends = [match.end() for match in SENTENCE_END.finditer(text, 0, gap)]
        if ends and text_units(text[: ends[-1]]) >= MIN_BEFORE_GAP_SHARE * limit:
            text = text[: ends[-1]]
    return summarize(_spaced(text.replace(GAP, ELLIPSIS)), limit)


def article_description(body: str, limit: float = DESCRIPTION_UNITS) -> str:
    """The opening of an article's Markdown body, as plain text of at most ``limit`` units."""
    return describe(_opening(body), limit)


def topic_description(description: str, limit: float = DESCRIPTION_UNITS) -> str:
    """A taxonomy topic's description (Markdown, may hold ``$…$``), as plain text."""
    return describe(description, limit)


def _opening(body: str) -> str:
    """The first paragraphs of ``body``, enough for a description, cut between blocks."""
    if len(body) <= OPENING_CHARS:
        return body
    cut = body.rfind("\n\n", 0, OPENING_CHARS)
    return body[: cut if cut > 0 else OPENING_CHARS]
