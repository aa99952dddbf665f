import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.pipeline.manifest import encode_manifest
from ingest.pipeline.write import Manifest, Planned, apply, atomic_write, sha256


def generated(text, article_id):
    """A file as the ingest writes it: its front matter says it is generated, with its id."""
    return f"---\ntitle: T\nid: {article_id}\ngenerated: true\n---\n\n{text}\n"


def planned(relative, text, article_id="0000aa", key="key1"):
    return Planned(relative, article_id, key, generated(text, article_id).encode())


def test_atomic_write_replaces_content_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "a" / "b.md"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [path.name for path in target.parent.iterdir()] == ["b.md"]


def test_apply_writes_then_is_a_no_op(tmp_path):
    manifest = Manifest()
    result = apply(tmp_path, manifest, [planned("articles/x.md", "hello")])
    assert result.written == ["articles/x.md"]
    mtime = (tmp_path / "articles/x.md").stat().st_mtime_ns
    manifest_bytes = (tmp_path / ".ingest-manifest.json").read_bytes()

    again, _ = Manifest.load(tmp_path)
    result = apply(tmp_path, again, [planned("articles/x.md", "hello")])
    assert result.written == [] and result.unchanged == ["articles/x.md"]
    assert (tmp_path / "articles/x.md").stat().st_mtime_ns == mtime
    assert (tmp_path / ".ingest-manifest.json").read_bytes() == manifest_bytes


def test_stale_generated_files_are_removed_but_edited_ones_are_kept(tmp_path):
    apply(tmp_path, Manifest(), [planned("articles/x.md", "x"), planned("articles/y.md", "y", "0000bb", "key2")])
    (tmp_path / "articles/y.md").write_text("a contributor edited this")
    manifest, _ = Manifest.load(tmp_path)
    result = apply(tmp_path, manifest, [])
    assert result.removed == ["articles/x.md"]
    assert (tmp_path / "articles/y.md").read_text() == "a contributor edited this"


def test_manifest_owns_only_recorded_content(tmp_path):
    apply(tmp_path, Manifest(), [planned("articles/x.md", "x")])
    manifest, problems = Manifest.load(tmp_path)
    assert problems == []
    written = generated("x", "0000aa").encode()
    assert manifest.owns("articles/x.md", written)
    assert not manifest.owns("articles/x.md", b"edited")
    assert not manifest.owns("articles/other.md", written)
    assert manifest.files["articles/x.md"]["sha256"] == [sha256(written)]


def test_corrupt_manifest_is_reported_not_fatal(tmp_path):
    (tmp_path / ".ingest-manifest.json").write_text("{not json")
    manifest, [problem] = Manifest.load(tmp_path)
    assert manifest.files == {}
    assert problem.file.endswith(".ingest-manifest.json") and "not valid JSON" in problem.reason


def test_written_files_get_the_usual_mode_not_mkstemps_0600(tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.md", b"x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o644


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
RECORDS = st.fixed_dictionaries(
    {"id": st.text(), "key": st.text(), "sha256": st.lists(st.text(max_size=8), max_size=3)}
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=12), RECORDS | JSON_VALUES, max_size=5), JSON_VALUES)
def test_the_manifest_encoding_reads_back_as_the_same_data_one_line_per_file(files, version):
    data = {"version": version, "files": files}
    encoded = encode_manifest(data)
    assert json.loads(encoded) == data
    lines = encoded.decode().split("\n")
    for name, record in files.items():
        line = f"  {json.dumps(name, ensure_ascii=False)}: {json.dumps(record, ensure_ascii=False, sort_keys=True)}"
        assert line in lines or line + "," in lines
