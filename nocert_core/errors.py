"""Domain errors. Each carries a message id (English gettext msgid) and parameters so a channel can
translate it for the user; `str()` gives the English text for logs and the CLI.

Convention: a `field` parameter names a field by its label msgid (marked with N_, e.g. N_("Phone")); channels
translate it along with the message (handlers/dispatch/dispatcher.py), so nobody reads a raw attribute
name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nocert_core.i18n import N_


class DomainError(Exception):
    msgid: str = "That cannot be done."
    # A message with a number in it has a plural msgid too; `params["count"]` picks the form (ngettext).
    msgid_plural: str | None = None

    def __init__(self, msgid: str | None = None, **params: Any) -> None:
        self.msgid = msgid or self.msgid
        self.params = params
        english = self.msgid
        if self.msgid_plural is not None and params.get("count") != 1:
            english = self.msgid_plural
        super().__init__(english.format(**params) if params else english)


class IllegalTransition(DomainError):
    msgid = "Not possible while the complaint is “{status}” (step: {action})."


class NotFound(DomainError):
    msgid = "Not found."


class PermissionDenied(DomainError):
    msgid = "You are not allowed to do that."


class ValidationFailed(DomainError):
    msgid = "The input is not valid."


class Problem(str):
    """One problem of a refused import: its English text (it *is* that str), plus the msgid and parameters
    a channel needs to say it in the reader's language."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, **params: Any) -> Problem:
        problem = super().__new__(cls, msgid.format(**params) if params else msgid)
        problem.msgid = msgid
        problem.params = params
        return problem


class ImportFailed(DomainError):
    """A file import was refused as a whole; `problems` lists (line number, message); line 0 = the file."""

    msgid = "The import was refused: {count} problem found, nothing was imported."
    msgid_plural = "The import was refused: {count} problems found, nothing was imported."

    def __init__(self, problems: Sequence[tuple[int, str]]) -> None:
        self.problems = list(problems)
        super().__init__(count=len(problems))

    def __str__(self) -> str:
        lines = [super().__str__()]
        lines += [f"line {line}: {message}" if line > 0 else message for line, message in self.problems]
        return "\n".join(lines)


class ImportNeedsConfirmation(DomainError):
    """An import would remove or replace more than a small share of what exists: refused, nothing written,
    unless the operator repeats it with the flag named in `flag` (after looking at `--dry-run`)."""

    msgid = N_(
        "Refused: this import would remove or replace {affected} of {existing} existing {what}. "
        "Nothing was changed. Check the file, look at the differences with --dry-run, and repeat with "
        "{flag} if that is really intended."
    )
