"""requirements/*.txt: hash-locked, complete, and in step with pyproject.toml's ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)(?:\s*;\s*([^\\]+?))?\s*\\?$")
# The Python the project's CI and developers use; markers in the lock are evaluated for it.
ENVIRONMENT = {**default_environment(), "python_version": "3.11", "python_full_version": "3.11.7"}


def pins(name: str) -> dict[str, str]:
    """Package -> version, for the lines whose marker holds in ENVIRONMENT."""
    found = {}
    for line in (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if not match:
            continue
        package, version, marker = match.groups()
        if marker and not Requirement(f"x; {marker}").marker.evaluate(ENVIRONMENT):
            continue
        found[canonicalize_name(package)] = version
    return found


def requirements(*, extras: tuple[str, ...] = ()) -> list[Requirement]:
    listed = PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"]
    for extra in extras:
        listed += PYPROJECT["project"]["optional-dependencies"][extra]
    return [Requirement(text) for text in listed]


def assert_satisfied(lock: str, wanted: list[Requirement]) -> None:
    pinned = pins(lock)
    for requirement in wanted:
        if requirement.marker and not requirement.marker.evaluate(ENVIRONMENT):
            continue
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement} is not in requirements/{lock}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"requirements/{lock} pins {name}=={pinned[name]}, outside {requirement}: run `make lock`"
        )


def test_site_lock_satisfies_the_runtime_dependencies_and_holds_no_test_tools():
    assert_satisfied("site.txt", requirements())
    site = pins("site.txt")
    for tool in ("pytest", "playwright", "hypothesis", "ruff", "uv"):
        assert tool not in site


def test_dev_lock_satisfies_runtime_and_test_dependencies():
    assert_satisfied("dev.txt", requirements(extras=("test",)))


def test_the_shared_packages_have_the_same_version_in_both_locks():
    site, dev = pins("site.txt"), pins("dev.txt")
    assert {name: site[name] for name in site} == {name: dev[name] for name in site}


def test_every_pin_has_a_hash_so_pip_can_require_them():
    for name in ("site.txt", "dev.txt"):
        text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        entries = [entry for entry in entries if PIN.match(entry.splitlines()[0])]
        assert entries
        for entry in entries:
            assert "--hash=sha256:" in entry, entry.splitlines()[0]
