"""Norma 43 import (issue 7 item 5): latin-1 and UTF-8 read, the balance and the records checked,
a repeated file or overlapping movements add nothing.

Sample files in tests/treasury/files/ (account 2100 0418 0200051332 = the bank_account fixture's IBAN),
opening balance 10.000,00 €, January 2026:
  n43_latin1.n43         +1.500,00 (remittance REM-T4-0001), −2.345,67 (settlement LIQ-T4-0001),
                         +321,09 «TRANSFERENCIA DE JOSÉ MUÑOZ PEÑA» -> closing 9.475,42 €
  n43_utf8.n43           the first two of those and a −12,50 «COMISIÓN MANTENIMIENTO» -> closing 9.141,83 €
  n43_wrong_balance.n43  as latin1 but declares a closing balance of 9.999,99 € (524,57 € too much)
  n43_truncated.n43      line 4 (the second movement) cut to 61 characters
"""
import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from apps.audit.models import AuditEvent
from apps.treasury.choices import StatementLineState
from apps.treasury.models import BankAccount, Statement, StatementLine
from apps.treasury.services.norma43 import Norma43Error, statement_import

FILES = Path(__file__).parent / "files"
D = Decimal


def read(name: str) -> bytes:
    return (FILES / name).read_bytes()


def test_latin1_file_is_imported_with_its_accents(bank_account, admin_a):
    result = statement_import(actor=admin_a, data=read("n43_latin1.n43"), file_name="n43_latin1.n43")

    statement, = result.statements
    assert (result.created, result.skipped, result.duplicate) == (3, 0, False)
    assert statement.bank_account == bank_account
    assert (statement.start_date, statement.end_date) == (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    assert (statement.opening_balance, statement.closing_balance) == (D("10000.00"), D("9475.42"))
    lines = list(statement.lines.order_by("operation_date"))
    assert [ln.amount for ln in lines] == [D("1500.00"), D("-2345.67"), D("321.09")]
    assert lines[2].description == "TRANSFERENCIA DE JOSÉ MUÑOZ PEÑA PAGO AÑO SEÑAL"
    assert lines[1].description == "TRANSFERENCIA A VIDA COLECTIVA SEGURO LIQUIDACIÓN LIQ-T4-0001"
    assert (lines[0].reference1, lines[0].reference2) == ("REMT40001", "MSG-T4-0001")
    assert {ln.state for ln in lines} == {StatementLineState.PENDING}
    assert AuditEvent.objects.filter(verb="statement_import").count() == 1


def test_utf8_file_is_read_and_overlapping_movements_are_not_repeated(bank_account, admin_a):
    statement_import(actor=admin_a, data=read("n43_latin1.n43"))

    result = statement_import(actor=admin_a, data=read("n43_utf8.n43"), file_name="n43_utf8.n43")

    assert (result.created, result.skipped) == (1, 2)
    new, = result.statements[0].lines.all()
    assert (new.amount, new.description) == (D("-12.50"), "COMISIÓN MANTENIMIENTO")
    assert StatementLine.objects.count() == 4


def test_the_same_file_twice_adds_nothing(bank_account, admin_a):
    statement_import(actor=admin_a, data=read("n43_latin1.n43"))

    again = statement_import(actor=admin_a, data=read("n43_latin1.n43"))

    assert again.duplicate and again.created == 0
    assert (Statement.objects.count(), StatementLine.objects.count()) == (1, 3)


def test_wrong_closing_balance_is_refused_with_the_difference(bank_account, admin_a):
    with pytest.raises(Norma43Error) as refused:
        statement_import(actor=admin_a, data=read("n43_wrong_balance.n43"))

    assert refused.value.code == "treasury_n43_balance"
    assert "9475,42" in refused.value.message.replace(".", "")
    assert "524,57" in refused.value.message
    assert not Statement.objects.exists() and not StatementLine.objects.exists()


def test_truncated_record_is_refused_with_its_line(bank_account, admin_a):
    with pytest.raises(Norma43Error) as refused:
        statement_import(actor=admin_a, data=read("n43_truncated.n43"))

    assert refused.value.code == "treasury_n43_truncated"
    assert refused.value.message.startswith("Línea 4:")
    assert not Statement.objects.exists()


def test_an_account_that_is_not_the_brokerage_s_is_refused(bank_account, admin_a):
    BankAccount.objects.filter(pk=bank_account.pk).update(iban="ES7620770024003102575766")

    with pytest.raises(Norma43Error) as refused:
        statement_import(actor=admin_a, data=read("n43_latin1.n43"))

    assert refused.value.code == "treasury_n43_account"
    assert "2100 0418 0200051332" in refused.value.message
