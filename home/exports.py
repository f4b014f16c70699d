"""CSV and XLSX exports of the admin's lists (sign-ups, challenge
applications, enquiries, donations): one place for the file names, the
formula guard and the two formats.

- `SpreadsheetExport` completes Wagtail's own export of report and index
  views (`SpreadsheetExportMixin`): the columns are declared once, as
  (field, heading) pairs, the file name carries the date, CSV cells that
  a spreadsheet would run as a formula are made text (Wagtail does this for
  XLSX only), the CSV starts with a byte-order mark like the sign-ups', and
  dates and times are the Academy's local ones (`local_datetime`), yes and
  no in the reader's language (`yes_no`).
- `spreadsheet_response` writes rows a view has already built (the sign-up
  export) as CSV or XLSX with the same guard.
"""

import csv
import datetime
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

CSV = "csv"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Excel reads a CSV without it in the PC's legacy code page: "Opportunità"
# becomes "OpportunitÃ ".
UTF8_BOM = "\ufeff"
XLSX = "xlsx"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def local_datetime(value):
    """An aware `value` as text on the Academy's clock, day first: what the
    staff's Italian spreadsheets read, and the day the accounts count (a
    gift made just after midnight on 1 January is in the new year)."""
    return timezone.localtime(value).strftime(DATETIME_FORMAT)


def yes_no(value):
    """A true/false cell in the reader's language: Wagtail writes "True"
    and "False", English in an Italian file."""
    return gettext("yes") if value else gettext("no")


def safe_cell(value):
    """`value` as text a spreadsheet shows rather than runs ("" for None)."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def dated_filename(name):
    return f"{name}-{datetime.date.today():%Y-%m-%d}"


class SpreadsheetExport:
    """Mix into a Wagtail view that has `SpreadsheetExportMixin` (report
    views, model viewset index views), before it in the bases.

    `export_columns` is a list of (field, heading) pairs: it sets Wagtail's
    `list_export` and `export_headings`. `export_name` names the file."""

    export_columns = ()
    export_name = "export"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "export_columns" in cls.__dict__:
            cls.list_export = [field for field, _heading in cls.export_columns]
            cls.export_headings = dict(cls.export_columns)

    def get_filename(self):
        return dated_filename(self.export_name)

    def preprocess_field_value(self, field, value, export_format):
        # Wagtail writes an aware datetime in UTC: as it is in a CSV, with
        # microseconds, and as UTC's wall clock in an XLSX.
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            if export_format == CSV:
                return local_datetime(value)
            value = timezone.make_naive(value)
        elif isinstance(value, bool):
            value = yes_no(value)
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == CSV and isinstance(value, str):
            return safe_cell(value)
        return value

    def stream_csv(self, queryset):
        yield UTF8_BOM
        yield from super().stream_csv(queryset)

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = CSV_CONTENT_TYPE
        return response


def spreadsheet_response(header, rows, *, file_format, name, sheet_title=""):
    """An attachment with `header` and `rows` (lists of cells) as CSV (UTF-8
    with a byte-order mark, so Excel reads accents) or XLSX; every cell is
    written as text through `safe_cell`."""
    rows = [[safe_cell(cell) for cell in row] for row in rows]
    filename = dated_filename(name)
    if file_format == CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        response = HttpResponse(UTF8_BOM + buffer.getvalue(), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if file_format != XLSX:
        raise ValueError(file_format)
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if sheet_title:
        sheet.title = str(sheet_title)[:31]
    sheet.append([str(cell) for cell in header])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
