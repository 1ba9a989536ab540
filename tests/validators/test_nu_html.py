"""Every page the sitemap lists, in both interface languages, through the W3C Nu Html Checker
(npm ``vnu-jar``, run with java). The checker is installed once into .venv/vnu from npm."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("java") and shutil.which("npm")), reason="the Nu checker needs java and npm"),
]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="session")
def vnu() -> Path:
    if not VNU.is_file():
        subprocess.run(["npm", "install", "--prefix", str(VNU.parents[4]), "vnu-jar"], check=True, timeout=600)
    return VNU


def check(vnu: Path, folder: Path) -> list[dict]:
    """The checker's errors (not warnings) for every .html file under ``folder``."""
    done = subprocess.run(
        ["java", "-Xss4m", "-jar", str(vnu), "--errors-only", "--format", "json", "--skip-non-html", str(folder)],
        capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    messages = json.loads(done.stderr or done.stdout)["messages"]
    return [m for m in messages if m.get("type") == "error"]


def sitemap_paths(client) -> list[str]:
    tree = ElementTree.fromstring(client.get("/sitemap.xml").content)
    return [urlsplit(loc.text).path for loc in tree.iter(f"{SITEMAP_NS}loc")]


def test_every_sitemap_page_in_both_languages_passes_the_nu_checker(vnu, client, demo, tmp_path):
    paths = sitemap_paths(client)
    assert len(paths) > 300  # 419 on the demo: the empty days are left out
    written = 0
    for language in ("en", "ru"):
        for number, path in enumerate(paths):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, path
            (tmp_path / f"{language}-{number:05d}.html").write_bytes(response.content)
            written += 1
    errors = check(vnu, tmp_path)
    pages = {Path(urlsplit(e["url"]).path).name for e in errors}
    summary = [f"{Path(urlsplit(e['url']).path).name}:{e.get('lastLine')}: {e['message']}" for e in errors[:20]]
    assert errors == [], f"{len(pages)} of {written} pages invalid, {len(errors)} errors:\n" + "\n".join(summary)


def test_the_nu_checker_rejects_a_time_without_datetime(vnu, tmp_path):
    """Proof the check can fail: the entry pages' old ``<time>`` held text that is no valid date
    and had no ``datetime`` attribute."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        "<body><p><time>7 September [O.S. 26 August] 1812</time></p></body></html>",
        encoding="utf-8",
    )
    errors = check(vnu, tmp_path)
    assert len(errors) == 1
    assert "time" in errors[0]["message"]
