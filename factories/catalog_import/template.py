"""The blank files a factory downloads: the header row in the person's language (both languages
are accepted back), an explanation of every column and the category names to use."""

import csv
import io

from django.utils.translation import gettext as _

from factories.models import Category

from .columns import COLUMNS


def _column_notes() -> list[tuple[str, str, str]]:
    notes = {
        "title": _("Product title, at most 120 characters."),
        "category": _("A sub-category name from the category sheet, e.g. 面膜."),
        "factory_price": _("Ex-works price per unit in CNY, e.g. 12.50."),
        "moq": _("Minimum order quantity, a whole number."),
        "lead_time_days": _("Days from order to shipping, 1–365."),
        "customizable": _("是 or 否 (yes or no)."),
        "trial_eligible": _("是 or 否; empty follows your factory's trial setting."),
        "description": _("Free text, at most 5,000 characters."),
        "attributes": _("name=value pairs separated by semicolons, e.g. 产地=义乌；材质=棉."),
    }
    return [(c.header, _("required") if c.required else _("optional"), notes[c.key]) for c in COLUMNS]


def template_csv() -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([c.header for c in COLUMNS])
    # The BOM makes Excel open the file as UTF-8 instead of mangling the Chinese headers.
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Products")
    sheet.append([c.header for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Columns"))
    notes.append([_("Column"), _("Required"), _("What to write")])
    for row in _column_notes():
        notes.append(list(row))
    categories = workbook.create_sheet(_("Categories"))
    categories.append([_("Category"), _("Sub-category"), _("Write in the Category column")])
    parents = {c.pk: c for c in Category.objects.filter(parent=None)}
    for category in Category.objects.exclude(parent=None).order_by("parent__position", "position"):
        parent = parents.get(category.parent_id) if category.parent_id is not None else None
        categories.append(
            [parent.display_name if parent else "", category.display_name, category.display_name]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
