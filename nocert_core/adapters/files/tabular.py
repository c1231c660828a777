"""One reader for every import (units, catalogue, calendar, lexicon): CSV/TSV text or XLSX → numbered rows.

What staff really produce: UTF-8 with or without BOM, GBK/GB18030 (Excel's "CSV" on Chinese Windows), UTF-16
LE/BE with BOM and tab-separated (Excel's "Unicode text"), and .xlsx workbooks. The encoding is detected, the
delimiter (comma or tab) is sniffed from the first line. A NUL or another control character is refused with
its line number (it is a sign of a binary or damaged file, and it would end up in names shown to citizens).

Limits: at most `max_rows` rows and `max_bytes` of text. For an XLSX file the uncompressed sizes in the
zip directory are added up *before* openpyxl opens it, so a zip bomb is refused without being inflated
(Python's zipfile stops reading an entry at its declared size, so the directory cannot lie its way past
the check); openpyxl then reads in read-only mode, row by row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from nocert_core.errors import ImportFailed, Problem

Row = tuple[int, list[str]]  # (line number in the file, cells)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", "")
MAX_ZIP_ENTRIES = 10_000
# C0 controls except tab, LF, CR; DEL; C1 controls. (U+FEFF only as the first character: the BOM.)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Limits:
    max_rows: int = 50_000
    max_bytes: int = 20 * 1024 * 1024


class Progress(Protocol):
    """What a long import reports to its operator (the CLI draws a bar; everything else ignores it)."""

    def stage(self, label: str, total: int | None) -> None: ...

    def advance(self, count: int = 1) -> None: ...


class NoProgress:
    def stage(self, label: str, total: int | None) -> None:
        return None

    def advance(self, count: int = 1) -> None:
        return None


NO_PROGRESS = NoProgress()


def refuse(msgid: str, line: int = 0, **params: object) -> ImportFailed:
    return ImportFailed([(line, Problem(msgid, **params))])


def read_table(path: Path, limits: Limits | None = None, progress: Progress = NO_PROGRESS) -> list[Row]:
    """All rows of a .csv/.tsv/.txt or .xlsx file as (line number, cells), blank rows included."""
    limits = limits or Limits()
    if not path.exists():
        raise refuse("no such file: {path}", path=str(path))
    if not path.is_file():
        raise refuse("not a file: {path}", path=str(path))
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, limits, progress)
    if suffix not in TEXT_SUFFIXES:
        raise refuse("unsupported file type {suffix}: use .csv, .txt (tab-separated) or .xlsx", suffix=suffix)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise refuse(
            "the file is {size} MB; the limit is {limit} MB", size=_mb(size), limit=_mb(limits.max_bytes)
        )
    return rows_from_text(decode(path.read_bytes()), limits, progress)


def decode(raw: bytes) -> str:
    """Bytes → text: BOM first (UTF-8, UTF-16 LE/BE), then UTF-16 without BOM, UTF-8, GB18030."""
    if raw.startswith(codecs.BOM_UTF8):
        return _decode(raw[len(codecs.BOM_UTF8) :], "utf-8")
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if raw.startswith(bom):
            return _decode(raw[len(bom) :], encoding)
    guessed = _utf16_without_bom(raw)
    if guessed:
        return _decode(raw, guessed)
    for encoding in ("utf-8", "gb18030"):  # GB18030 is a superset of GBK and GB2312
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise refuse("the file is neither UTF-8, GBK/GB18030 nor UTF-16 text (save it as CSV UTF-8)", 1)


def _decode(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n" if "16" not in encoding else "\n".encode(encoding)) + 1
        raise refuse(
            "the file is marked as {encoding} but is not valid {encoding}", line, encoding=encoding.upper()
        ) from error


def _utf16_without_bom(raw: bytes) -> str | None:
    """Mostly-ASCII UTF-16 has a NUL in every other byte; real UTF-8 or GBK text has none."""
    sample = raw[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    high_zero = sample[1::2].count(0) / (len(sample) // 2)
    low_zero = sample[0::2].count(0) / (len(sample) // 2)
    if high_zero > 0.3 and low_zero == 0:
        return "utf-16-le"
    if low_zero > 0.3 and high_zero == 0:
        return "utf-16-be"
    return None


def rows_from_text(text: str, limits: Limits | None = None, progress: Progress = NO_PROGRESS) -> list[Row]:
    """Text → rows. Comma- or tab-separated (sniffed from the first non-blank line)."""
    limits = limits or Limits()
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        found = _CONTROL.search(line)
        if found:
            code = format(ord(found.group()), "04X")
            raise refuse(
                "control character U+{code} in column {column}: the file looks damaged or binary",
                number,
                code=code,
                column=found.start() + 1,
            )
    first = next((line for line in lines if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    progress.stage("read", len(lines) if len(lines) > 1 else None)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            if len(rows) > limits.max_rows:
                raise refuse("more than {limit} rows: split the file", start, limit=limits.max_rows)
            progress.advance(reader.line_num - start + 1)
            start = reader.line_num + 1
    except csv.Error as error:
        raise refuse("not readable as CSV: {error}", start, error=str(error)) from error
    return rows


def _read_xlsx(path: Path, limits: Limits, progress: Progress) -> list[Row]:
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise refuse("not a readable .xlsx file: {error}", error=str(error)) from error
    if len(entries) > MAX_ZIP_ENTRIES:
        raise refuse("not a plausible .xlsx file: {count} parts", count=len(entries))
    inflated = sum(entry.file_size for entry in entries)
    if inflated > limits.max_bytes:
        raise refuse(
            "the workbook unpacks to {size} MB; the limit is {limit} MB (split it, or save it as CSV)",
            size=_mb(inflated),
            limit=_mb(limits.max_bytes),
        )
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken or foreign file
        raise refuse("not a readable .xlsx file: {error}", error=str(error)) from error
    try:
        sheet = workbook.worksheets[0]
        total = sheet.max_row if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None
        progress.stage("read", total)
        return list(_limited(_xlsx_rows(sheet.iter_rows(values_only=True)), limits, progress))
    finally:
        workbook.close()


def _xlsx_rows(values: Iterable[tuple[object, ...]]) -> Iterator[Row]:
    for number, row in enumerate(values, start=1):
        cells = ["" if value is None else str(value) for value in row]
        while cells and not cells[-1].strip():
            cells.pop()  # a sheet "used" to column XFD must not make wide rows
        for cell in cells:
            found = _CONTROL.search(cell)
            if found:
                code = format(ord(found.group()), "04X")
                message = "control character U+{code} in a cell: the file looks damaged"
                raise refuse(message, number, code=code)
        yield number, cells


def _limited(rows: Iterable[Row], limits: Limits, progress: Progress) -> Iterator[Row]:
    count = 0
    for row in rows:
        if any(cell.strip() for cell in row[1]):  # empty rows of a "used range" cost nothing to skip
            count += 1
        if count > limits.max_rows:
            raise refuse("more than {limit} rows: split the file", row[0], limit=limits.max_rows)
        progress.advance()
        yield row


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"
