"""The same feeds give a byte-identical ``docs/`` (and report) however they are presented.

Varied one at a time against a baseline run: the order of ``--feeds`` arguments (folders and
files, one repeated), the order in which the same files were created in their folders,
``PYTHONHASHSEED`` and the locale (C, C.UTF-8, zh_CN.UTF-8 and the non-UTF-8 zh_CN.GB18030,
compiled with ``localedef`` into a private LOCPATH when the system lacks them).

The corpus is the bundled dumps plus copies of one article spread over several files as
punctuation variants of equal length, with different dates and categories: which copy is
shown and which metadata wins must not depend on the order files are read in.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.accounting import ROOT, run_cli

BUNDLED = sorted((ROOT / "feeds").glob("*.txt"))
HEADER = "INCOMING TRANSMISSION\n\nLATEST UPDATES\n"
VARIANTS = {  # relative path -> lines; a/ and b/ hold copies of the same article
    "a/late.txt": ["Python", "2026-03-01", "优化器 AdamW 把权重衰减从梯度更新中解耦, 是大模型训练的默认选择..."],
    "b/early.txt": ["深度学习", "2025-12-31", "优化器 AdamW 把权重衰减从梯度更新中解耦，是大模型训练的默认选择..."],
    "b/spaced.txt": ["2026-01-15", "优化器 AdamW 把权重衰减从梯度更新中解耦 ,是大模型训练的默认选择..."],
}
SEEDS = ["0", "1", "12345"]
LOCALE_CACHE = ROOT / "build" / "test-locales"  # compiled locales, kept between runs (build/ is ignored)


def layout(feeds: Path, reverse: bool) -> list[Path]:
    """Write the corpus under ``feeds``; ``reverse`` creates folders and files in the opposite order."""
    files = {f"bundled/{path.name}": path.read_text(encoding="utf-8") for path in BUNDLED}
    files.update({name: HEADER + "\n".join(lines) + "\n" for name, lines in VARIANTS.items()})
    order = sorted(files, reverse=reverse)
    for name in order:
        (feeds / name).parent.mkdir(parents=True, exist_ok=True)
        (feeds / name).write_text(files[name], encoding="utf-8")
    return [feeds / name for name in order]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def locale_env(name: str, charmap: str) -> dict[str, str] | None:
    """Environment selecting locale ``name`` (e.g. zh_CN.UTF-8), compiling it if needed; None if impossible."""
    available = (
        subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout if shutil.which("locale") else ""
    )
    env = {"LC_ALL": name}
    if name.lower().replace("-", "") not in {entry.lower().replace("-", "") for entry in available.split()}:
        if not compiled_locale(name, charmap):
            return None
        env["LOCPATH"] = str(LOCALE_CACHE)
    probe = subprocess.run(
        [sys.executable, "-c", "import locale; print(locale.getpreferredencoding(False))"],
        capture_output=True,
        text=True,
        env={**clean_env(), **env},
    )
    return env if probe.stdout.strip().replace("-", "").upper() == charmap.replace("-", "").upper() else None


def compiled_locale(name: str, charmap: str) -> bool:
    """Compile ``name`` into LOCALE_CACHE once (GB18030 takes seconds); safe against concurrent runs."""
    if (LOCALE_CACHE / name).is_dir():
        return True
    if not shutil.which("localedef"):
        return False
    LOCALE_CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=LOCALE_CACHE) as scratch:
        built = Path(scratch) / name
        subprocess.run(["localedef", "-i", name.split(".")[0], "-f", charmap, str(built)], capture_output=True)
        if built.is_dir():
            with contextlib.suppress(OSError):  # another run got there first
                built.rename(LOCALE_CACHE / name)
    return (LOCALE_CACHE / name).is_dir()


def clean_env() -> dict[str, str]:
    """The inherited environment without any locale or hash seed setting."""
    drop = {"LANG", "LANGUAGE", "LOCPATH", "PYTHONHASHSEED", "PYTHONUTF8", "PYTHONIOENCODING"}
    return {key: value for key, value in os.environ.items() if key not in drop and not key.startswith("LC_")}


def ingest(project: Path, feeds_args: list[str], env: dict[str, str]) -> tuple[dict[str, bytes], dict]:
    args = [arg for feed in feeds_args for arg in ("--feeds", feed)]
    result, report = run_cli(project, *args, env={**clean_env(), **env})
    assert result.returncode == 0, result.stderr
    return tree(project / "docs"), report


BASE_ENV = {"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    project = tmp_path_factory.mktemp("baseline")
    layout(project / "feeds", reverse=False)
    docs, report = ingest(project, ["feeds"], BASE_ENV)
    assert len([name for name in docs if name.startswith("articles/")]) == report["articles"] > 28
    return docs, report


def assert_same_as_baseline(baseline, docs: dict[str, bytes], report: dict) -> None:
    base_docs, base_report = baseline
    assert sorted(docs) == sorted(base_docs)
    differing = [name for name in base_docs if docs[name] != base_docs[name]]
    assert not differing, f"differs from the baseline: {differing[:5]}"
    assert report == base_report


@pytest.mark.parametrize(
    ("reverse", "arguments"),
    [
        (False, lambda files: ["feeds/b", "feeds/bundled", "feeds/a"]),
        (True, lambda files: ["feeds"]),
        (True, lambda files: [file.relative_to(file.parents[2]).as_posix() for file in files] + ["feeds/a/late.txt"]),
    ],
    ids=["folders-reordered", "created-in-reverse", "files-reversed-and-repeated"],
)
def test_order_of_files_does_not_matter(baseline, tmp_path, reverse, arguments):
    files = layout(tmp_path / "feeds", reverse=reverse)
    assert_same_as_baseline(baseline, *ingest(tmp_path, arguments(files), BASE_ENV))


@pytest.mark.parametrize("seed", SEEDS[1:])
def test_hash_seed_does_not_matter(baseline, tmp_path, seed):
    layout(tmp_path / "feeds", reverse=False)
    assert_same_as_baseline(baseline, *ingest(tmp_path, ["feeds"], {**BASE_ENV, "PYTHONHASHSEED": seed}))


@pytest.mark.parametrize(
    ("name", "charmap"),
    [("C", None), ("zh_CN.UTF-8", "UTF-8"), ("zh_CN.GB18030", "GB18030")],
)
def test_locale_does_not_matter(baseline, tmp_path, name, charmap):
    env = {"LC_ALL": name} if charmap is None else locale_env(name, charmap)
    if env is None:
        pytest.skip(f"locale {name} is not available and cannot be compiled here")
    layout(tmp_path / "feeds", reverse=False)
    assert_same_as_baseline(baseline, *ingest(tmp_path, ["feeds"], {"PYTHONHASHSEED": "0", **env}))
