"""Read an uploaded catalog into a header and rows of text, whatever the file: CSV in UTF-8 (with or
without the BOM Excel writes), GBK/GB18030 (Excel's "CSV" on Chinese Windows), UTF-16 text, or
XLSX through openpyxl in read-only mode. Everything is bounded before it is trusted: file size,
unpacked size of an XLSX, number of rows and columns. What cannot be read raises ImportFileError
with a sentence for the person; nothing here ever turns into a server error."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40
# An XLSX is a zip: a small file can unpack to gigabytes of XML (a zip bomb). Refuse before openpyxl opens it.
MAX_XLSX_UNPACKED_BYTES = 80 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong type, empty, too big, no header...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
    kind: str  # "csv" or "xlsx"


def read_table(content: bytes) -> Table:
    if not content or not content.strip():
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if content.startswith(OLE_MAGIC):
        raise ImportFileError(_("Old Excel files (.xls) are not supported; save it as .xlsx or CSV."))
    if content.startswith(ZIP_MAGIC):
        return _table(_xlsx_rows(content), kind="xlsx")
    return _table(_csv_rows(content), kind="csv")


def _table(rows: Iterable[tuple[int, list[str]]], *, kind: str) -> Table:
    header: list[str] | None = None
    data: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if not any(cells):
            continue  # blank lines between blocks of products are common; they are not rows
        if header is None:
            header = cells
            continue
        if len(data) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(n)d product rows; split it into smaller files.") % {"n": MAX_ROWS}
            )
        data.append((number, cells))
    if header is None:
        raise ImportFileError(_("The file is empty."))
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(_("The file has more than %(n)d columns.") % {"n": MAX_COLUMNS})
    return Table(headers=header, rows=data, kind=kind)


def _decode(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16")
    if b"\x00" in content[:8192]:
        raise ImportFileError(_("This is not a CSV or XLSX file. Download the template and fill it in."))
    for encoding in ("utf-8", "gb18030"):  # GB18030 is a superset of GBK, which Excel uses in China
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file's text encoding was not recognised; save it as UTF-8 CSV or XLSX."))


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Rows are counted as records, as Excel numbers them: a quoted cell with line breaks is one row.
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_COLUMNS:
                raise ImportFileError(_("The file has more than %(n)d columns.") % {"n": MAX_COLUMNS})
            yield number, [c.strip() for c in cells]
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file is malformed near line %(line)d.") % {"line": reader.line_num}
        ) from exc


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    # Imported here: only XLSX uploads pay for loading openpyxl.
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(
            _("This is not a CSV or XLSX file. Download the template and fill it in.")
        ) from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, InvalidFileException...) on a bad zip
        raise ImportFileError(
            _("This is not a CSV or XLSX file. Download the template and fill it in.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            cells = [_cell_text(v) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise ImportFileError(_("The file has more than %(n)d columns.") % {"n": MAX_COLUMNS})
            yield number, cells
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise ImportFileError(_("The XLSX file could not be read; save it again from Excel.")) from exc
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """Cells as the person sees them: 100 not 100.0, 19.9 not 19.899999999999999."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value)))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()
