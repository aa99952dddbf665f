"""Build-time KaTeX: arithmatex output in, KaTeX HTML out, problems named by page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ingest.site.math_render import (
    Formula,
    FormulaProblem,
    KatexRenderer,
    MathSetupError,
    Rendered,
    find_katex,
    formula_from_arithmatex,
    katex_site_files,
    render_math,
    with_font_preloads,
)
from tests.sitebuild import ROOT, make_project


@pytest.fixture(scope="module")
def katex():
    with KatexRenderer(find_katex(ROOT)) as renderer:
        yield renderer


def fake_render(formula: Formula) -> Rendered:
    if "bad" in formula.tex:
        return Rendered(error="KaTeX parse error: nope")
    return Rendered(html=f"<b data-display='{formula.display}'>{formula.tex}</b>")


def test_arithmatex_wrappers_are_removed_and_html_unescaped():
    assert formula_from_arithmatex("span", r"\(a &lt; b &amp;&amp; c\)") == Formula("a < b && c", display=False)
    display = formula_from_arithmatex("div", "\\[\n\\begin{aligned} x &amp;= 1 \\end{aligned}\n\\]")
    assert display == Formula(r"\begin{aligned} x &= 1 \end{aligned}", display=True)


def test_render_math_replaces_only_arithmatex_elements():
    page = (
        '<p>价格 $5 <span class="arithmatex">\\(x^2\\)</span> <span class="other">\\(y\\)</span></p>\n'
        '<div class="arithmatex">\\[\nE = mc^2\n\\]</div>'
    )
    html, problems = render_math(page, fake_render)
    assert problems == []
    assert "<span class=\"arithmatex\"><b data-display='False'>x^2</b></span>" in html
    assert "<div class=\"arithmatex\"><b data-display='True'>E = mc^2</b></div>" in html
    assert '<span class="other">\\(y\\)</span>' in html and "价格 $5" in html


def test_a_failing_formula_keeps_its_source_and_is_reported():
    page = '<span class="arithmatex">\\(\\bad{\\)</span> <span class="arithmatex">\\(ok\\)</span>'
    html, problems = render_math(page, fake_render)
    assert html.startswith('<span class="arithmatex">\\(\\bad{\\)</span>')
    assert [str(problem) for problem in problems] == ["formula '\\bad{': KaTeX parse error: nope"]


def test_long_formulas_are_shortened_in_messages():
    message = str(FormulaProblem(Formula("x + " * 40, display=True), "boom"))
    assert len(message) < 100 and message.endswith("…': boom")


def test_pages_with_math_preload_the_main_fonts_and_others_do_not():
    page = '<html><head><title>t</title></head><body><span class="katex">x</span></body></html>'
    preloaded = with_font_preloads(page, "../../assets/katex/fonts/")
    head = preloaded.split("</head>")[0]
    assert head.count('rel="preload"') == 2
    assert 'href="../../assets/katex/fonts/KaTeX_Main-Regular.woff2" as="font"' in head
    plain = "<html><head></head><body>$5</body></html>"
    assert with_font_preloads(plain, "assets/katex/fonts/") == plain


def test_katex_renders_inline_and_display_math(katex):
    inline = katex.render(Formula(r"\frac{a}{b}", display=False))
    display = katex.render(Formula(r"\sum_{i=1}^n x_i", display=True))
    assert inline.error is None and 'class="katex"' in inline.html and "katex-display" not in inline.html
    assert display.error is None and 'class="katex-display"' in display.html
    assert '<annotation encoding="application/x-tex">\\frac{a}{b}</annotation>' in inline.html


def test_katex_reports_parse_errors(katex):
    result = katex.render(Formula(r"\frac{", display=False))
    assert result.html is None
    assert result.error.startswith("KaTeX parse error")


def test_links_inside_math_stay_inert(katex):
    result = katex.render(Formula(r"\href{javascript:alert(1)}{x}", display=False))
    assert result.error is None
    assert "<a " not in result.html and 'href="' not in result.html


def test_one_process_serves_many_formulas(katex):
    process = katex.process
    results = [katex.render(Formula(f"x_{{{i}}}", display=False)) for i in range(200)]
    assert all(result.error is None for result in results)
    assert katex.process is process and process.poll() is None


def test_site_files_are_the_stylesheet_and_its_fonts():
    files = dict(katex_site_files(find_katex(ROOT)))
    assert "katex.min.css" in files
    stylesheet = files["katex.min.css"].read_text(encoding="utf-8")
    for name in ("KaTeX_Main-Regular.woff2", "KaTeX_Math-Italic.woff2"):
        assert f"fonts/{name}" in files and f"fonts/{name}" in stylesheet


def test_missing_katex_says_to_run_make_setup(tmp_path):
    with pytest.raises(MathSetupError, match="make setup"):
        find_katex(tmp_path)


def test_missing_node_or_broken_katex_says_to_run_make_setup(tmp_path):
    with pytest.raises(MathSetupError, match="make setup"):
        KatexRenderer(find_katex(ROOT), node=str(tmp_path / "no-node")).start()
    broken = KatexRenderer(tmp_path)  # not a KaTeX package: Node fails to import it
    with pytest.raises(MathSetupError, match="make setup"):
        broken.start()
    broken.close()


def mkdocs_build(project):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
    )


def test_strict_build_fails_naming_the_page_and_formula(tmp_path):
    project = make_project(tmp_path / "project", with_bundled_docs=False)
    articles = project / "docs" / "articles"
    articles.mkdir()
    (articles / "foo.md").write_text(
        "---\ntitle: Foo\ntags: [优化器]\n---\n\n坏公式 $\\frac{$ 在此。\n", encoding="utf-8"
    )
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "docs/articles/foo.md:6: formula '\\frac{': KaTeX parse error" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_without_katex_fails_with_a_setup_hint(tmp_path):
    project = make_project(tmp_path / "project", with_bundled_docs=False)
    (project / "node_modules").unlink()
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "KaTeX is not installed" in result.stderr and "make setup" in result.stderr
    assert "Traceback" not in result.stderr
