"""Every advertised RSS and Atom feed of the demo through the W3C Feed Validation Service's own code
(../shared/tools/feedvalidator, run from there), and every JSON Feed against JSON Feed 1.1's rules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hodie.almanac.models import Collection, Person, Tag

VALIDATOR = Path(__file__).resolve().parents[3] / "shared" / "tools" / "feedvalidator" / "validate.py"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not VALIDATOR.is_file(), reason=f"{VALIDATOR} is absent: the W3C feed validator"),
]
SUMMARY = re.compile(r"^(?P<file>\S+): (?P<errors>\d+) error\(s\)", re.M)


def validate(paths: list[Path]) -> tuple[dict[str, int], str]:
    """Errors per file as the validator counts them, and its whole output."""
    done = subprocess.run(
        [sys.executable, str(VALIDATOR), *map(str, paths)],
        capture_output=True, text=True, timeout=900, cwd=VALIDATOR.parent,
    )  # fmt: skip
    counts = {Path(m["file"]).name: int(m["errors"]) for m in SUMMARY.finditer(done.stdout)}
    assert len(counts) == len(paths), done.stdout[-2000:] + done.stderr[-2000:]
    assert done.returncode == (1 if any(counts.values()) else 0)
    return counts, done.stdout


def advertised_feeds() -> list[str]:
    """The feeds pages advertise (hodie.almanac.discovery): the site's, each collection's and its
    "today", each tag's and each person's."""
    paths = ["/feed.{}"]
    for slug in Collection.objects.values_list("slug", flat=True):
        paths += [f"/{slug}/feed.{{}}", f"/{slug}/today.{{}}"]
    paths += [f"/tags/{slug}/feed.{{}}" for slug in Tag.objects.values_list("slug", flat=True)]
    paths += [f"/people/{slug}/feed.{{}}" for slug in Person.objects.values_list("slug", flat=True)]
    return paths


def test_every_advertised_feed_passes_the_w3c_validator(client, demo, tmp_path):
    files = []
    for number, path in enumerate(advertised_feeds()):
        for fmt in ("atom", "rss"):
            response = client.get(path.format(fmt))
            assert response.status_code == 200, path.format(fmt)
            target = tmp_path / f"{number:04d}-{fmt}.xml"
            target.write_bytes(response.content)
            files.append(target)
    assert len(files) > 100
    counts, output = validate(files)
    failing = {name: n for name, n in counts.items() if n}
    assert failing == {}, f"{len(failing)} of {len(files)} feeds fail, {sum(failing.values())} errors:\n{output[:4000]}"
    # A warning, but a real one: readers take entries with one atom:updated for one change.
    assert "Two entries with the same value for atom:updated" not in output


def test_the_validator_rejects_an_atom_feed_without_an_author(tmp_path):
    """Proof the check can fail: RFC 4287 §4.1.1 wants an atom:author on the feed or every entry."""
    feed = tmp_path / "no-author.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>t</title><id>https://example.org/feed</id><updated>2026-01-01T00:00:00Z</updated>"
        '<link href="https://example.org/"/><entry><title>e</title><id>https://example.org/1</id>'
        '<link href="https://example.org/1"/><updated>2026-01-01T00:00:00Z</updated><summary>s</summary>'
        "</entry></feed>",
        encoding="utf-8",
    )
    counts, output = validate([feed])
    assert counts["no-author.xml"] >= 1
    assert "author" in output.lower()
