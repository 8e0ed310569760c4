import csv

import pytest

from apps.accounting.choices import ChartKind
from apps.accounting.errors import AccountingError
from apps.accounting.models import Account, AccountingSettings
from apps.accounting.services import account_create, party_subaccount
from apps.accounting.services.chart import chart_rows

# Codes and names as the BOE publishes them (RD 1514/2007 and RD 1515/2007).
OFFICIAL = {
    "100": "Capital social", "129": "Resultado del ejercicio", "170": "Deudas a largo plazo con entidades de crédito",
    "260": "Fianzas constituidas a largo plazo", "430": "Clientes", "4300": "Clientes (euros)",
    "472": "Hacienda Pública, IVA soportado", "4750": "Hacienda Pública, acreedora por IVA",
    "572": "Bancos e instituciones de crédito c/c vista, euros", "626": "Servicios bancarios y similares",
    "640": "Sueldos y salarios", "705": "Prestaciones de servicios",
    "775": "Beneficios por operaciones con obligaciones propias",
    "2915": "Deterioro de valor de otras instalaciones",
}
NORMAL_ONLY = {
    "830": "Impuesto sobre beneficios", "94": "Ingresos por subvenciones, donaciones y legados",
    "838": "Ajustes positivos en la imposición sobre beneficios",
    "1110": "Patrimonio neto por emisión de instrumentos financieros compuestos",
}


@pytest.mark.parametrize("chart", [ChartKind.PGC_NORMAL, ChartKind.PGC_PYMES])
def test_chart_files_hold_official_codes_and_names(chart):
    rows = {row["code"]: row for row in chart_rows(chart)}
    expected = dict(OFFICIAL) | (NORMAL_ONLY if chart == ChartKind.PGC_NORMAL else {})
    for code, name in expected.items():
        assert rows[code]["name"] == name, code
    groups = {code for code in rows if len(code) == 1}
    assert groups == ({"1", "2", "3", "4", "5", "6", "7", "8", "9"} if chart == ChartKind.PGC_NORMAL
                      else {"1", "2", "3", "4", "5", "6", "7"})
    leaves = sum(1 for row in rows.values() if row["leaf"] == "1")
    assert 600 <= leaves <= 730
    for row in rows.values():
        if row["parent"]:
            assert row["code"].startswith(row["parent"]) and row["parent"] in rows, row
    assert "2600" not in rows and "Ingresoss" not in str(rows)


def test_tenant_holds_the_chart_it_chose(tenant_a):
    assert AccountingSettings.objects.get().chart == ChartKind.PGC_PYMES
    rows = chart_rows(ChartKind.PGC_PYMES)
    assert Account.objects.filter(is_official=True).count() == len(rows)
    assert Account.objects.get(code="4300").parent.code == "430"
    assert Account.objects.get(code="430").is_postable is False
    assert not Account.objects.filter(code__startswith="8").exists()


def test_account_below_an_official_one_makes_the_parent_a_heading(tenant_a, admin_a):
    account = account_create(actor=admin_a, code="5720001", name="Banco Sabadell c/c")
    assert account.parent.code == "572"
    assert Account.objects.get(code="572").is_postable is False
    with pytest.raises(AccountingError, match="Ya existe"):
        account_create(actor=admin_a, code="5720001", name="Otra")
    with pytest.raises(AccountingError, match="entre 3 y 12"):
        account_create(actor=admin_a, code="57A", name="Mal")


def test_party_subaccount_is_created_once(tenant_a, admin_a):
    from apps.crm.services.parties import party_create

    party = party_create(actor=admin_a, data={"kind": "company", "company_name": "Mapfre España", "tax_id": "A28141935"})
    first = party_subaccount(actor=admin_a, party=party, base_code="4300")
    assert first.code == "4300" + str(party.pk).zfill(6) and first.party == party and first.name == str(party)
    assert party_subaccount(actor=admin_a, party=party, base_code="4300") == first
