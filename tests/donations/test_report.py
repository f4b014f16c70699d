"""The donations report: staff only, with filters, totals and exports."""

import csv
import datetime
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup

from django.contrib.auth.models import Group, Permission

from donations.models import Donation
from donations.permissions import ACADEMY_STAFF_GROUP

from .factories import DonationFactory, PaymentFactory

pytestmark = pytest.mark.django_db
REPORT = "/admin/reports/donations/"


@pytest.fixture
def gifts(fund):
    maria = DonationFactory(page=fund, first_name="Maria", last_name="Rossi", status="paid")
    PaymentFactory(donation=maria, amount_cents=5000)
    company = DonationFactory(
        page=fund,
        donor_type="company",
        organisation_name="Officine Segrate Srl",
        tax_code="12345678903",
        frequency="monthly",
        status="active",
    )
    PaymentFactory(donation=company, amount_cents=2000)
    PaymentFactory(donation=company, amount_cents=2000, refunded_cents=2000)
    DonationFactory(page=fund, first_name="Pending", status="pending")
    return maria, company


def _admin_user(django_user_model, username, group_name=None):
    user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    if group_name:
        group, _ = Group.objects.get_or_create(name=group_name)
        user.groups.add(group)
    return user


def test_superusers_see_the_report_with_totals(admin_client, gifts):
    response = admin_client.get(REPORT)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Maria Rossi" in content
    assert "Officine Segrate Srl" in content
    assert "Ricevuti € 90,00 − rimborsati € 20,00 = netti € 70,00, da 2 donazioni" in content


def test_the_report_writes_euros_as_the_admins_language_does(admin_client, fund):
    """The table said 1000.00 under totals saying 1.000,00 in Italian."""
    big = DonationFactory(page=fund, amount_cents=123_450, status="paid")
    PaymentFactory(donation=big, amount_cents=123_450)
    content = admin_client.get(REPORT).content.decode()
    assert ">1.234,50<" in content.replace(" ", "").replace("\n", "")
    assert "1234.50" not in content
    assert "Ricevuti € 1.234,50" in content


def test_academy_staff_see_it_and_filter_it(client, django_user_model, gifts):
    client.force_login(_admin_user(django_user_model, "staff", ACADEMY_STAFF_GROUP))
    response = client.get(REPORT, {"donor_type": "company", "frequency": "monthly"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Officine Segrate Srl" in content
    assert "Maria Rossi" not in content
    assert "Pending" not in client.get(REPORT, {"status": "paid"}).content.decode()
    menu = client.get("/admin/").content.decode()
    assert REPORT in menu


@pytest.mark.parametrize("group", ["Partner: Cooperativa Ripari", None])
def test_partners_and_other_editors_get_403_and_no_menu_entry(
    client, django_user_model, gifts, group
):
    client.force_login(_admin_user(django_user_model, "partner", group))
    assert client.get(REPORT).status_code == 403
    assert client.get(REPORT + "results/").status_code == 403
    assert client.get(REPORT, {"export": "csv"}).status_code == 403
    assert REPORT not in client.get("/admin/").content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, gifts):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_csv_export_for_the_accounts(admin_client, gifts):
    response = admin_client.get(REPORT, {"export": "csv", "status": "active"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    (row,) = rows
    assert row["Donatore"] == "Officine Segrate Srl"
    assert row["Codice fiscale o partita IVA"] == "12345678903"
    assert row["Ricevuto (EUR)"] == "40.00"
    assert row["Rimborsato (EUR)"] == "20.00"
    assert row["Pagamenti"] == "2"


def test_csv_export_tells_excel_it_is_utf8(admin_client, gifts):
    """Excel opens a CSV without a byte-order mark in the PC's legacy code
    page: accented names and headings would read "CittÃ ". The sign-ups'
    export has the mark (home.exports.spreadsheet_response); the reports'
    exports have it too."""
    gifts[0].first_name = "Niccolò"
    gifts[0].save()
    response = admin_client.get(REPORT, {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert next(iter(rows[0])) == "Data"
    assert "Niccolò Rossi" in [row["Donatore"] for row in rows]


def test_exports_date_gifts_on_the_academys_clock(admin_client, gifts):
    """A gift made at half past midnight on New Year's Day, Italian time, is
    in the new year's accounts: the exports wrote UTC's 31 December."""
    maria, _company = gifts
    new_year = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    Donation.objects.filter(pk=maria.pk).update(created_at=new_year)
    response = admin_client.get(REPORT, {"export": "csv", "status": "paid"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(body))
    assert row["Data"] == "01/01/2027 00:30"
    response = admin_client.get(REPORT, {"export": "xlsx", "status": "paid"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == datetime.datetime(2027, 1, 1, 0, 30)


def test_exports_say_yes_and_no_in_the_readers_language(admin_client, gifts):
    """The "Anonymous" column read "True"/"False" in an Italian export."""
    maria, company = gifts
    Donation.objects.filter(pk=maria.pk).update(anonymous=True)
    response = admin_client.get(REPORT, {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    anonymous = {row["Donatore"]: row["Anonima"] for row in csv.DictReader(io.StringIO(body))}
    assert anonymous["Maria Rossi"] == "sì"
    assert anonymous["Officine Segrate Srl"] == "no"
    response = admin_client.get(REPORT, {"export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.values)
    column = rows[0].index("Anonima")
    assert sorted(row[column] for row in rows[1:]) == ["no", "no", "sì"]


def test_xlsx_export(admin_client, gifts):
    response = admin_client.get(REPORT, {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_the_table_fits_the_admin_and_scrolls_rather_than_cut_the_e_mail_off(
    client, django_user_model, gifts
):
    """Wagtail's main column hides what overflows it: at 1280 px the e-mail
    column, the last one, was cut off mid-address and out of reach. Long
    addresses now break anywhere, and a narrower screen scrolls the table."""
    client.force_login(_admin_user(django_user_model, "staff", ACADEMY_STAFF_GROUP))
    for url in (REPORT, REPORT + "results/"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        table = soup.select_one("table.listing")
        assert "w-overflow-x-auto" in table.parent.get("class", []), url
        cells = table.select("td.donation-report__email")
        assert cells and all("@example.org" in cell.get_text() for cell in cells), url
        style = soup.find("style", string=lambda text: text and "donation-report__email" in text)
        assert style is not None and "overflow-wrap: anywhere" in style.string, url
