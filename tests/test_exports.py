"""List exports (CSV, XLSX) are restricted and cannot smuggle formulas into a spreadsheet."""

import io

import openpyxl
from django.urls import reverse

from hmis_gov.exports import safe_cell


def test_safe_cell_neutralises_formulas_and_keeps_numbers():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+1+2") == "'+1+2"
    assert safe_cell("-2") == "'-2"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("Harbor Light") == "Harbor Light"
    assert safe_cell(-2) == -2


def test_a_formula_in_an_agency_name_is_exported_as_text(demo, web_as):
    demo.agency_a.name = '=cmd|"/c calc"!A1'
    demo.agency_a.save()
    client = web_as("cocadmin")

    csv = client.get(reverse("agencies:agency_list"), {"_export": "csv"}).content.decode()
    assert "'=cmd|" in csv
    assert "\n=cmd" not in csv and ",=cmd" not in csv

    xlsx = client.get(reverse("agencies:agency_list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=cmd|"/c calc"!A1' in names
    assert all(not str(name).startswith("=") for name in names)
