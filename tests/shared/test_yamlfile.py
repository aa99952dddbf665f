"""yamlfile: libyaml's parser and the pure-Python one give the same data, lines and refusals."""

from __future__ import annotations

import pytest

from ingest.shared import yamlfile
from tests.conftest import ROOT

CASES = {
    "alias": ("a: &x [1]\nb: *x\n", 2, "alias '*x' is not allowed"),
    "merge": ("base: &b {x: 1}\nother:\n  <<: *b\n", 3, "alias '*b' is not allowed"),
    "bad indent": ("a: 1\n  b: 2\n", 2, "invalid YAML"),
    "tab": ("topics:\n\t- id: x\n", 2, "invalid YAML"),
}


@pytest.fixture(params=["libyaml", "pure Python"])
def parser(request, monkeypatch):
    if request.param == "libyaml":
        if yamlfile.CSafeLoader is None:
            pytest.skip("PyYAML was built without libyaml here")
    else:
        monkeypatch.setattr(yamlfile, "CSafeLoader", None)
    return request.param


def test_the_taxonomy_loads_the_same_with_either_parser(parser, monkeypatch):
    loaded, problem = yamlfile.load_yaml(ROOT / "taxonomy.yml")
    monkeypatch.setattr(yamlfile, "CSafeLoader", None)
    reference, _ = yamlfile.load_yaml(ROOT / "taxonomy.yml")
    assert problem is None and loaded == reference
    assert yamlfile.line_of(loaded["topics"][1]) > yamlfile.line_of(loaded["topics"][0]) > 1


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_yaml_is_refused_at_its_line(parser, case, tmp_path):
    text, line, reason = CASES[case]
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    loaded, problem = yamlfile.load_yaml(path)
    assert loaded is None
    assert (problem.file, problem.line) == (path.as_posix(), line)
    assert reason in problem.reason
