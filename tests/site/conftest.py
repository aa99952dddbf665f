"""Fixtures of the site tests."""

from __future__ import annotations

import pytest

from ingest.site.second_process import FROM_PAGES, SecondProcess


@pytest.fixture
def second_process():
    """A build's second process, as a build of FROM_PAGES pages starts it; closed after the test."""
    process = SecondProcess(FROM_PAGES)
    yield process
    process.close()
