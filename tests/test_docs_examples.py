"""The example requests in docs/outputs.md answer 200 on the demo content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "outputs.md"
EXAMPLES = re.findall(r"^GET (\S+)$", DOC.read_text(encoding="utf-8"), re.M)


def test_the_document_has_examples():
    assert len(EXAMPLES) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("url", EXAMPLES)
def test_example_answers(demo, client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.getvalue() if response.streaming else response.content
    assert len(body) > 50
