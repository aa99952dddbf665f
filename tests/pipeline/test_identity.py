"""An existing article keeps its id and URL whatever new articles arrive; a copied id deletes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import frontmatter

from ingest.pipeline.dedupe import ID_PREFIX_CHARS, article_id
from ingest.pipeline.identity import Identities, Known
from ingest.pipeline.manifest import skeleton_fingerprint
from ingest.pipeline.normalize import skeleton
from ingest.shared.model import Article, Entry
from tests.accounting import ROOT, ingest_env, run_cli

HEADER = "INCOMING TRANSMISSION\n\nLATEST UPDATES\n"
OPENING = "注意力机制 attention 的计算方式：先求 Q 与 K 的点积，再做 softmax 归一化得到权重，然后对 V 加权求和，"
EXISTING = OPENING + "最后接一个前馈网络，并加上残差连接与层归一化，这样一层一层堆叠起来就是编码器的主体结构..."
# Opens with the same 48 normalised letters and sorts before it: a fresh run would give it the existing id.
NEWCOMER = OPENING + "多头注意力把这个过程在多个子空间里并行地重复，再把结果拼接起来做一次线性变换得到输出..."


def test_the_fixture_articles_really_collide():
    first, second = skeleton(EXISTING), skeleton(NEWCOMER)
    assert first[:ID_PREFIX_CHARS] == second[:ID_PREFIX_CHARS] and second < first
    assert article_id(first) == article_id(second)


def write(project: Path, *entries: str) -> None:
    (project / "feeds").mkdir(exist_ok=True)
    (project / "feeds" / "a.txt").write_text(HEADER + "".join(entry + "\n" for entry in entries), encoding="utf-8")


def articles(project: Path) -> dict[str, frontmatter.Post]:
    return {path.name: frontmatter.load(path) for path in sorted((project / "docs" / "articles").glob("*.md"))}


def the_one(project: Path) -> tuple[str, frontmatter.Post]:
    [(name, post)] = articles(project).items()
    return name, post


def test_a_new_article_with_the_same_opening_does_not_take_the_existing_ones_id_or_url(tmp_path):
    write(tmp_path, EXISTING)
    run_cli(tmp_path)
    name, before = the_one(tmp_path)
    original = (tmp_path / "docs" / "articles" / name).read_bytes()

    write(tmp_path, EXISTING, NEWCOMER)
    result, report = run_cli(tmp_path)
    assert result.returncode == 0
    after = articles(tmp_path)
    assert (tmp_path / "docs" / "articles" / name).read_bytes() == original, "the existing URL shows another article"
    assert f"articles/{name}" in report["unchanged"] and report["removed"] == []
    [(new_name, newcomer)] = [(other, post) for other, post in after.items() if other != name]
    assert newcomer["id"] != before["id"] and "多头注意力" in newcomer.content

    # And it stays so: later runs change nothing.
    result, report = run_cli(tmp_path)
    assert report["written"] == [] and report["removed"] == []


def test_a_taken_over_article_keeps_its_id_when_a_lookalike_arrives(tmp_path):
    write(tmp_path, EXISTING)
    run_cli(tmp_path)
    name, before = the_one(tmp_path)
    takeover = [sys.executable, "-m", "ingest", "takeover", name.removesuffix(".md")]
    assert subprocess.run(takeover, cwd=tmp_path, env=ingest_env(), capture_output=True).returncode == 0
    run_cli(tmp_path)  # the take-over is recorded

    write(tmp_path, EXISTING, NEWCOMER)
    result, report = run_cli(tmp_path)
    assert report["taken_over"] == [f"{before['id']} -> articles/{name}"]
    generated = [post for other, post in articles(tmp_path).items() if other != name]
    assert len(generated) == 1 and "多头注意力" in generated[0].content, "the newcomer is generated under its own id"


def test_a_copy_that_keeps_a_generated_articles_id_deletes_nothing_and_check_refuses_it(tmp_path):
    write(tmp_path, EXISTING)
    run_cli(tmp_path)
    name, post = the_one(tmp_path)
    original = tmp_path / "docs" / "articles" / name
    copy = tmp_path / "docs" / "articles" / "my-notes.md"
    # A contributor's template: the generated article, its flag removed, a new title and body.
    text = original.read_text(encoding="utf-8").replace("generated: true\n", "")
    copy.write_text(text.replace(post["title"], "我的笔记") + "\n我自己的补充。\n", encoding="utf-8")

    (tmp_path / "feeds" / "b.txt").write_text(HEADER + EXISTING + "\n", encoding="utf-8")  # the original changes
    result, report = run_cli(tmp_path)
    assert result.returncode == 0
    assert original.exists() and f"articles/{name}" in report["written"], "the original is still generated"
    assert report["removed"] == [] and report["taken_over"] == []
    assert "我自己的补充" in copy.read_text(encoding="utf-8")
    id_line = copy.read_text(encoding="utf-8").splitlines().index(f"id: {post['id']}") + 1
    assert f"docs/articles/my-notes.md:{id_line}: warning: id '{post['id']}' is the id of the generated article" in (
        result.stderr
    )

    check = [sys.executable, "-m", "ingest", "--taxonomy", str(ROOT / "taxonomy.yml"), "check", "--titles", "x.yml"]
    checked = subprocess.run(check, cwd=tmp_path, env=ingest_env(), capture_output=True, text=True)
    assert checked.returncode == 1
    assert f"docs/articles/my-notes.md:{id_line}: duplicate id '{post['id']}'" in checked.stderr


# ---------------------------------------------------------------- the rounds, on plain data


def article(text: str) -> Article:
    text_skeleton = skeleton(text)
    return Article(article_id(text_skeleton), text, text_skeleton, False, [Entry("f.txt", 1, text)])


def known(relative: str, text: str, fingerprint: bool = True) -> Known:
    text_skeleton = skeleton(text)
    print_ = tuple(skeleton_fingerprint(text_skeleton)) if fingerprint else None
    return Known(relative, article_id(text_skeleton), text_skeleton[:ID_PREFIX_CHARS], print_)


def test_a_longer_copy_keeps_the_identity_of_the_shorter_one():
    short = known("articles/attention-aaaaaa.md", EXISTING[:40])
    grown = article(EXISTING)
    identities = Identities([short])
    identities.keep_ids([grown])
    assert (grown.id, grown.slug) == (short.id, "attention-aaaaaa")


def test_an_edited_article_alone_with_its_opening_keeps_its_identity():
    """A near-duplicate copy with other words became the best text: same opening, no rival."""
    before = known("articles/attention-aaaaaa.md", EXISTING)
    edited = article(EXISTING.replace("层归一化", "批归一化"))
    Identities([before]).keep_ids([edited])
    assert (edited.id, edited.slug) == (before.id, "attention-aaaaaa")


def test_between_rivals_the_fingerprint_decides_and_the_other_gets_a_fresh_id():
    before = known("articles/attention-aaaaaa.md", EXISTING)
    existing, newcomer = article(EXISTING), article(NEWCOMER)
    newcomer.id = existing.id  # as a fresh run would give them: the same opening
    identities = Identities([before])
    identities.keep_ids([newcomer, existing])
    assert (existing.id, existing.slug) == (before.id, "attention-aaaaaa")
    assert newcomer.id != before.id and not newcomer.slug
    newcomer.topics = ["attention"]
    identities.assign_slugs([newcomer])
    assert newcomer.slug != "attention-aaaaaa"


def test_new_slugs_avoid_every_remembered_slug():
    remembered = known(
        "articles/attention-" + article(NEWCOMER).id[:6] + ".md", "完全不同的一篇文章的开头文字，用来占住这个名字"
    )
    newcomer = article(NEWCOMER)
    newcomer.topics = ["attention"]
    identities = Identities([remembered])
    identities.keep_ids([newcomer])
    identities.assign_slugs([newcomer])
    assert newcomer.slug == f"attention-{newcomer.id}"
