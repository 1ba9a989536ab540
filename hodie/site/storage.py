"""Static files under hashed names (site.3f2a9c1b7e4d.css), which whitenoise sends as immutable."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    """Whitenoise's manifest storage, except in a process whose HODIE_HOME was never collected
    into (`hodie serve` always collects first; a shell, or a test's subprocess, may not): there the
    pages name the files by their plain names, instead of failing to render over a missing manifest."""

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest at all: collectstatic has not run here
            return name
        return super().stored_name(name)
