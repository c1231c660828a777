"""gettext catalogues: `locales/<locale>/LC_MESSAGES/<domain>.po`, one domain per feature.

The top-level `locales/` folder of the repository is shipped inside the package: setuptools maps it to
`nocert_core.locales` (pyproject.toml, `package-dir`), and it is read with `importlib.resources`, so an
installed wheel finds its catalogues wherever it is installed. A source checkout that is run without being
installed (PYTHONPATH=.) reads the checkout's `locales/`. `NOCERT_LOCALES_DIR` overrides both.

All domains of a locale are merged into one catalogue and compiled in memory (Babel `write_mo`) into a
standard `gettext.GNUTranslations`, so plurals follow each language's own rule (`ngettext`). msgids are the
English text; `en` catalogues are complete so English never depends on a fallback.
"""

from __future__ import annotations

import base64
import gettext as _gettext
import hashlib
import importlib.util
import io
import json
import os
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

DEFAULT_LOCALE = "zh_Hans"
SUPPORTED_LOCALES = ("zh_Hans", "en")
_PACKAGED = "nocert_core.locales"


def locales_root() -> Traversable:
    """Where the catalogues are: the installed package data, else a source checkout's `locales/`."""
    configured = os.environ.get("NOCERT_LOCALES_DIR")
    if configured:
        return Path(configured)
    if importlib.util.find_spec(_PACKAGED) is not None:
        return resources.files(_PACKAGED)
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "locales").is_dir():
        return checkout / "locales"
    raise RuntimeError("nocert's translations are missing: the package was installed without its locales")


def N_(message: str) -> str:  # the conventional gettext marker name
    """Mark a string for extraction without translating it here."""
    return message


def normalise_locale(code: str | None) -> str:
    """Map what Telegram or a user says ("zh-hans", "zh-CN", "en-US") to a supported locale."""
    if not code:
        return DEFAULT_LOCALE
    lowered = code.replace("-", "_").lower()
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


class Translator:
    def __init__(
        self, locale: str, messages: dict[str, str], translations: _gettext.NullTranslations | None = None
    ) -> None:
        self.locale = locale
        self._messages = messages  # singular msgid → translation (also the first form of a plural entry)
        self._translations = translations or _gettext.NullTranslations()

    def gettext(self, msgid: str, **params: Any) -> str:
        text = self._messages.get(msgid) or msgid
        return text.format(**params) if params else text

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        """The form of `singular`/`plural` this language uses for `n`; `n` is also the `{n}` placeholder
        unless `params` name it otherwise."""
        text = self._translations.ngettext(singular, plural, n)
        return text.format(**({"n": n} | params))

    def has(self, msgid: str) -> bool:
        return bool(self._messages.get(msgid))


def _babel_locale(code: str) -> str:
    return code.replace("_Hans", "")


def _read_catalogues(code: str, domain: str | None = None) -> tuple[dict[str, str], _gettext.GNUTranslations]:
    """A locale's catalogues (one domain's, or all merged): compiled from the .po files by Babel, or read
    from the compiled cache when the files have not changed since (`_cached_path`)."""
    folder = locales_root().joinpath(code).joinpath("LC_MESSAGES")
    files = sorted((item for item in folder.iterdir() if item.name.endswith(".po")), key=lambda i: i.name)
    if domain is not None:
        files = [item for item in files if item.name == f"{domain}.po"]
    cached = _cached_path(code, files)
    if cached is not None:
        try:
            stored = json.loads(cached.read_text(encoding="utf-8"))
            compiled = base64.b64decode(stored["mo"])
            return dict(stored["messages"]), _gettext.GNUTranslations(io.BytesIO(compiled))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    messages, compiled = _compile(code, files)
    if cached is not None:
        stored_text = json.dumps({"messages": messages, "mo": base64.b64encode(compiled).decode("ascii")})
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.partial")
            partial.write_text(stored_text, encoding="utf-8")
            os.replace(partial, cached)  # several processes may write it: each write is whole
        except OSError:
            pass
    return messages, _gettext.GNUTranslations(io.BytesIO(compiled))


def _cached_path(code: str, files: list[Traversable]) -> Path | None:
    """Where the compiled catalogues of these .po files are kept: `NOCERT_CACHE_DIR`, else the user's cache
    folder, named after the files' paths, sizes and modification times (a changed file compiles again).
    Parsing the .po files with Babel costs about half of `import typer`, on every command. None when the
    catalogues are not plain files (a zipped install): they are compiled every time."""
    if not all(isinstance(item, Path) for item in files):
        return None
    try:
        stamps = [f"{item}|{item.stat().st_size}|{item.stat().st_mtime_ns}" for item in files]  # type: ignore[attr-defined]
    except OSError:
        return None
    digest = hashlib.sha1("\n".join([_CACHE_FORMAT, code, *stamps]).encode()).hexdigest()[:16]
    configured = os.environ.get("NOCERT_CACHE_DIR")
    if configured:
        folder = Path(configured)
    else:
        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir("nocert"))
    return folder / f"catalogue-{code}-{digest}.json"


_CACHE_FORMAT = "1"


def _compile(code: str, files: list[Traversable]) -> tuple[dict[str, str], bytes]:
    """msgid → translation (the first form of a plural), and the merged catalogue compiled to .mo bytes."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged = Catalog(locale=_babel_locale(code))
    messages: dict[str, str] = {}
    for po_file in files:
        with po_file.open("rb") as handle:
            catalog = read_po(handle, locale=_babel_locale(code))
        for message in catalog:
            if not message.id or not message.string:
                continue
            forms = [message.string] if isinstance(message.string, str) else list(message.string)
            if not all(forms):
                continue
            singular = message.id if isinstance(message.id, str) else message.id[0]
            messages[str(singular)] = str(forms[0])
            merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    return messages, buffer.getvalue()


@lru_cache(maxsize=8)
def domain_translator(domain: str, locale: str | None = None) -> Translator:
    """One domain's catalogue only (`locales/<locale>/LC_MESSAGES/<domain>.po`): for the CLI's help, which
    must stay cheap to print."""
    code = normalise_locale(locale) if locale not in SUPPORTED_LOCALES else locale
    assert code is not None
    messages, translations = _read_catalogues(code, domain)
    return Translator(code, messages, translations)


@lru_cache(maxsize=8)
def translator(locale: str | None = None) -> Translator:
    code = normalise_locale(locale) if locale not in SUPPORTED_LOCALES else locale
    assert code is not None
    messages, translations = _read_catalogues(code)
    return Translator(code, messages, translations)


def gettext(msgid: str, locale: str | None = None, **params: Any) -> str:
    return translator(locale).gettext(msgid, **params)
