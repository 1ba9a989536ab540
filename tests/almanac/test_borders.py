"""The almanac does not depend on the social app: partners, authors and comments build on the
almanac's entries and articles, never the other way round (pages get their comment block from
the social app's context processor)."""

import ast
from pathlib import Path

import pytest

HODIE = Path(__file__).resolve().parents[2] / "hodie"


def imported_modules(path: Path, source: str) -> list[str]:
    """Every module ``source`` (the file at ``path`` under hodie/) imports, relative ones resolved."""
    package = list(path.relative_to(HODIE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return found


def social_imports(path: Path, source: str) -> list[str]:
    return [m for m in imported_modules(path, source) if m == "hodie.social" or m.startswith("hodie.social.")]


@pytest.mark.parametrize(
    "source",
    ["from hodie.social import comments", "from ..social.models import Comment", "import hodie.social.models",
     "from hodie import social", "def f():\n    from hodie.social.signals import quiet"],
    ids=["absolute", "relative", "plain import", "the package by name", "inside a function"],
)  # fmt: skip
def test_the_check_finds_an_import_of_social(source):
    assert social_imports(HODIE / "almanac" / "views.py", source)


def test_the_check_lets_the_almanacs_own_modules_pass():
    assert not social_imports(HODIE / "almanac" / "views.py", "from . import days\nfrom ..dates import filing")


def test_no_almanac_module_imports_social():
    modules = [p for p in (HODIE / "almanac").rglob("*.py") if "migrations" not in p.parts]
    assert len(modules) > 10
    offenders = {
        str(p.relative_to(HODIE)): found for p in modules if (found := social_imports(p, p.read_text(encoding="utf-8")))
    }
    assert offenders == {}
