"""The Norma 43 writer (services/norma43_writer.py, used by the demo and the bench): what it writes the
import reads back, totals and closing balance computed, 80-character ISO-8859-1 records, long concepts
spread over 23 records, accents dropped as banks do."""
import datetime
from decimal import Decimal

import pytest

from apps.treasury.errors import TreasuryError
from apps.treasury.services.norma43 import decode, parse, statement_import
from apps.treasury.services.norma43_writer import Movement, norma43_write

D = Decimal
JAN = datetime.date(2026, 1, 1)


def _file(iban: str) -> bytes:
    return norma43_write(iban=iban, start_date=JAN, end_date=datetime.date(2026, 1, 31), opening_balance=D("10000.00"),
                         holder="Correduría Levante Seguros", movements=[
                             Movement(datetime.date(2026, 1, 5), D("1500.00"), ("ABONO REMESA ADEUDOS SEPA",),
                                      common_concept="06", reference2="REM-T4-0001"),
                             Movement(datetime.date(2026, 1, 12), D("-2345.67"),
                                      ("TRANSFERENCIA EMITIDA", "LIQ LIQ-T4-0001", "ATLÁNTICA SEGUROS", "ENERO",
                                       "TERCER REGISTRO 23"), common_concept="04"),
                             Movement(datetime.date(2026, 1, 20), D("321.09"), ("TRANSFERENCIA DE JOSÉ MUÑOZ PEÑA",),
                                      value_date=datetime.date(2026, 1, 21), common_concept="02"),
                         ])


def test_what_the_writer_writes_the_import_reads(bank_account, admin_a):
    data = _file(bank_account.iban)
    records = data.decode("latin-1").split("\r\n")[:-1]
    assert all(len(record) == 80 for record in records)
    assert [r[:2] for r in records] == ["11", "22", "23", "22", "23", "23", "23", "22", "23", "33", "88"]
    assert records[-1][20:26] == "000010"  # every record but the 88

    account, = parse(decode(data))
    assert (account.opening_balance, account.closing_balance) == (D("10000.00"), D("9475.42"))
    lines = account.lines
    assert [ln.amount for ln in lines] == [D("1500.00"), D("-2345.67"), D("321.09")]
    assert lines[0].reference2 == "REM-T4-0001" and lines[0].common_concept == "06"
    assert lines[1].description == "TRANSFERENCIA EMITIDA LIQ LIQ-T4-0001 ATLANTICA SEGUROS ENERO TERCER REGISTRO 23"
    assert lines[2].description == "TRANSFERENCIA DE JOSE MUNOZ PENA"
    assert lines[2].value_date == datetime.date(2026, 1, 21)

    result = statement_import(actor=admin_a, data=data, file_name="escrito.n43")
    assert result.created == 3 and result.statements[0].bank_account == bank_account


def test_a_negative_balance_and_a_foreign_account():
    data = norma43_write(iban="ES9121000418450200051332", start_date=JAN, end_date=JAN, opening_balance=D("-50.00"),
                         movements=[Movement(JAN, D("-12.50"), ("COMISION",))])
    account, = parse(decode(data))
    assert (account.opening_balance, account.closing_balance) == (D("-50.00"), D("-62.50"))
    with pytest.raises(TreasuryError):
        norma43_write(iban="DE89370400440532013000", start_date=JAN, end_date=JAN, opening_balance=D("0"), movements=[])
