"""Enum values as the CLI prints them: the domain's labels (nocert_core/domain/labels.py) in the CLI's
language (NOCERT_LOCALE, zh_Hans by default), as the chat and the web console show them. `--json` output
keeps the raw values: it is a contract for scripts."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nocert_core.i18n import Translator


class Labels:
    """One command's labeller: the language is looked up once (`labels()`), not once per row."""

    def __init__(self, translate: Translator) -> None:
        self.translate = translate

    def __call__(self, value: StrEnum | None) -> str:
        """The value's label ('' for None)."""
        from nocert_core.domain.labels import label_for

        return label_for(value, self.translate)

    def text(self, msgid: str, **params: object) -> str:
        """A line the CLI prints (locales/*/LC_MESSAGES/cli_output.po)."""
        return self.translate.gettext(msgid, **params)

    def plural(self, singular: str, plural: str, n: int, **params: object) -> str:
        return self.translate.ngettext(singular, plural, n, **params)

    def raw(self, kind: type[StrEnum], raw: str | None) -> str:
        """The label of a stored raw value of `kind` (an audit row's states and action); unknown values
        as they are."""
        from nocert_core.domain.labels import label_of

        return label_of(kind, raw, self.translate)


def labels() -> Labels:
    from bot.cli import help_locale
    from nocert_core.i18n import translator

    return Labels(translator(help_locale()))


def t(msgid: str, **params: object) -> str:
    """One line the CLI prints, in the CLI's language (locales/*/LC_MESSAGES/cli_output.po); a command
    printing many takes `labels()` once and calls its `text`."""
    return labels().text(msgid, **params)


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    return labels().plural(singular, plural, n, **params)
