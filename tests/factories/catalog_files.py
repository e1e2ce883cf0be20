"""Catalog files as factories make them: XLSX from openpyxl, CSV in the encodings Excel writes."""

import csv
import io

from openpyxl import Workbook

HEADERS_ZH = ["标题", "类目", "出厂价", "起订量", "交期(天)", "可定制", "支持五折试销", "描述", "属性"]


def good_row(n: int) -> list:
    return [
        f"桌面收纳盒{n}号",
        "收纳整理",
        "12.50",
        100 + n,
        7,
        "是",
        "否",
        "加厚PP材质",
        "产地=义乌；材质=PP",
    ]


def rows_with_bad(count: int, bad: dict[int, list]) -> list[list]:
    """`count` data rows; `bad` maps a spreadsheet row number (header is row 1) to its row."""
    return [bad.get(n + 2, good_row(n)) for n in range(count)]


def xlsx(rows: list[list], headers=HEADERS_ZH) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], headers=HEADERS_ZH, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
