"""The output folder: where each URL's file goes, and the manifest of what was written."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from hodie.dates import HodieError

MANIFEST = ".hodie-build.json"
MANIFEST_VERSION = 1


class BuildError(HodieError):
    """A page of the site could not be built."""


@dataclass
class Report:
    """What a build did. ``rendered`` pages were asked of the views; ``written`` files had new bytes."""

    mode: str
    rendered: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    render_seconds: float = 0.0
    reason: str = ""
    written_files: list[str] = field(default_factory=list)
    old_links: str = ""  # what was written for the stored redirects (hodie.publish.oldlinks)

    def summary(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        links = f"; {self.old_links}" if self.old_links else ""
        return (
            f"{self.mode} build{why}: {self.rendered} pages rendered, {self.written} files written, "
            f"{self.unchanged} unchanged, {self.removed} removed in {self.seconds:.3f} s{links}"
        )


def file_for(path: str) -> str:
    """The file a URL path is served from: ``/russia/`` -> ``russia/index.html``."""
    relative = path.lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    if ".." in relative.split("/"):
        raise BuildError(f"{path!r} would be written outside the output folder")
    return relative


def _digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class Output:
    """The output folder and its manifest of content hashes."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / MANIFEST
        self.hashes: dict[str, str] = {}
        self.state: dict[str, Any] = {}

    def load(self) -> bool:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if data.get("version") != MANIFEST_VERSION or data.get("site") != settings.SITE_URL:
            return False
        self.hashes = data["files"]
        self.state = data["state"]
        return True

    def save(self, state: dict[str, Any]) -> None:
        data = {"version": MANIFEST_VERSION, "site": settings.SITE_URL, "state": state, "files": self.hashes}
        partial = self.path.with_name(self.path.name + ".partial")
        partial.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        partial.replace(self.path)

    def put(self, relative: str, body: bytes, report: Report) -> None:
        digest = _digest(body)
        target = self.out / relative
        if self.hashes.get(relative) == digest and target.is_file():
            report.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a reader of the folder never sees half a file.
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(body)
        partial.replace(target)
        self.hashes[relative] = digest
        report.written += 1
        report.written_files.append(relative)

    def remove(self, relative: str, report: Report) -> None:
        self.hashes.pop(relative, None)
        try:
            (self.out / relative).unlink()
            report.removed += 1
        except FileNotFoundError:
            pass


def iter_files(out: Path) -> Iterator[Path]:
    """The files of a built site (the manifest and partial files left out)."""
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name != MANIFEST and not path.name.endswith(".partial"):
            yield path
