"""home.exports: the formula guard and the two formats, without a database."""

import csv
import io

import openpyxl
import pytest

from home.exports import safe_cell, spreadsheet_response


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+39 02 1234", "'+39 02 1234"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Anna", "Anna"),
        (None, ""),
        (3, "3"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_spreadsheet_response_in_both_formats():
    rows = [["Anna", "=2*3", 4]]
    response = spreadsheet_response(["Name", "Note", "N"], rows, file_format="csv", name="x")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="x-')
    text = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["Name", "Note", "N"], ["Anna", "'=2*3", "4"]]
    response = spreadsheet_response(["Name", "Note", "N"], rows, file_format="xlsx", name="x")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]] == ["Anna", "'=2*3", "4"]
    with pytest.raises(ValueError):
        spreadsheet_response([], [], file_format="pdf", name="x")
