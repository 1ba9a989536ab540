"""What an import run reports: counts by kind, skipped records, and the problems that stop it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from hodie.dates import HodieError
from hodie.importers.records import ImportProblem


class ImportFailed(HodieError):
    def __init__(self, summary: ImportSummary) -> None:
        lines = [f"{p['where']}: {p['reason']}" for p in summary.errors[:50]]
        more = len(summary.errors) - len(lines)
        if more > 0:
            lines.append(f"... and {more} more")
        super().__init__("Nothing was imported:\n" + "\n".join(lines))
        self.summary = summary


@dataclass
class ImportSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: list[dict[str, str]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    dry_run: bool = False
    # Old addresses kept as redirects: made by this run, and already there (kept as an editor left them).
    redirects: Counter[str] = field(default_factory=Counter)
    not_redirected: list[dict[str, str]] = field(default_factory=list)  # old addresses that could not be kept

    def skip(self, where: str, kind: str, reason: str) -> None:
        self.skipped.append({"where": where, "kind": kind, "reason": reason})

    def fail(self, where: str, err: Exception) -> None:
        """Note ``err`` as a problem of the record read at ``where``: the run will store nothing."""
        found = problem(where, err)
        self.errors.append({"where": found.where, "reason": found.reason})

    def count(self, kind: str, is_new: bool, changed: bool = True) -> None:
        (self.created if is_new else self.updated if changed else self.unchanged)[kind] += 1

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "skipped": self.skipped,
            "skipped_by_kind": dict(Counter(s["kind"] for s in self.skipped)),
        }
        if self.redirects or self.not_redirected:
            result["redirects"] = {
                "made": self.redirects["made"],
                "already_there": self.redirects["there"],
                "not_kept": self.not_redirected,
            }
        if self.errors:
            result["errors"] = self.errors
        if self.dry_run:
            result["dry_run"] = True
        return result


def problem(where: str, err: Exception) -> ImportProblem:
    """``err`` as an import problem at ``where``, a model's validation errors named by field."""
    if isinstance(err, ImportProblem):
        return err
    if isinstance(err, ValidationError) and hasattr(err, "error_dict"):  # a model's full_clean: name the fields
        messages = [f"{name}: {' '.join(errors)}" for name, errors in err.message_dict.items()]
        return ImportProblem(where, "; ".join(messages))
    messages = getattr(err, "messages", None) or [str(err)]
    return ImportProblem(where, "; ".join(messages))
