"""Writes Norma 43 (AEB/CSB43) statement files: the records services/norma43.py reads.

Layout of each 80-character record (positions from 0, as the parser slices them):
  11 header      bank 2-6, branch 6-10, account 10-20, start 20-26 and end 26-32 (YYMMDD), opening balance
                 sign 32 (1 debit, 2 credit) and amount 33-47 in cents, currency 47-50 (978), information
                 mode 50, holder 51-77;
  22 movement    branch of origin 6-10, operation date 10-16, value date 16-22, common concept 22-24, own
                 concept 24-27, sign 27 (1 debit, 2 credit), amount 28-42, document 42-52, reference 1 52-64,
                 reference 2 64-80;
  23 concepts    data code 2-4 (01..05), two concepts of 38 characters, 4-42 and 42-80 (at most five records);
  33 totals      bank, branch, account, number of debits 20-25, their total 25-39, number of credits 39-44,
                 their total 44-58, closing balance sign 58 and amount 59-73, currency 73-76;
  88 end         eighteen 9s, then the number of records 20-26 (every record but the 88).
Used by the demo (apps.treasury.demo) and the bench (bench/treasury_load.py); a bank's own file reads the same.
"""
import datetime
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from apps.treasury.errors import TreasuryError
from apps.treasury.services.accounts import iban_clean

CURRENCY = "978"
INFORMATION_MODE = "3"
CONCEPT_WIDTH = 38
MAX_CONCEPT_RECORDS = 5


@dataclass(frozen=True)
class Movement:
    operation_date: datetime.date
    amount: Decimal  # positive: credit (abono); negative: debit (cargo)
    concepts: tuple = ()
    value_date: datetime.date | None = None
    common_concept: str = "99"
    own_concept: str = "000"
    document_number: str = ""
    reference1: str = ""
    reference2: str = ""


def _text(value: str, width: int) -> str:
    """Upper-case, without accents (banks write plain ISO-8859-1 capitals), cut or padded to `width`."""
    plain = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode("ascii")
    return plain.upper().replace("\n", " ")[:width].ljust(width)


def _digits(value, width: int) -> str:
    text = str(value or "").strip()
    return text.zfill(width)[-width:] if text.isdigit() else text[:width].ljust(width)


def _cents(amount: Decimal) -> str:
    cents = int((abs(Decimal(amount)) * 100).quantize(Decimal("1")))
    if cents >= 10 ** 14:
        raise TreasuryError(_("Importe demasiado grande para un fichero Norma 43: %s.") % amount,
                            code="treasury_n43_write")
    return f"{cents:014d}"


def _sign(amount: Decimal) -> str:
    return "1" if amount < 0 else "2"


def _date(day: datetime.date) -> str:
    return day.strftime("%y%m%d")


def _account_parts(iban: str) -> tuple[str, str, str]:
    iban = iban_clean(iban)
    if not iban.startswith("ES"):
        raise TreasuryError(_("Norma 43 solo describe cuentas españolas (IBAN ES): %s.") % iban,
                            code="treasury_n43_write", field="iban")
    return iban[4:8], iban[8:12], iban[14:24]


def _movement_records(movement: Movement, branch: str) -> list[str]:
    value_date = movement.value_date or movement.operation_date
    records = ["22" + " " * 4 + branch + _date(movement.operation_date) + _date(value_date)
               + _digits(movement.common_concept, 2) + _digits(movement.own_concept, 3) + _sign(movement.amount)
               + _cents(movement.amount) + _digits(movement.document_number, 10) + _text(movement.reference1, 12)
               + _text(movement.reference2, 16)]
    concepts = [c for c in movement.concepts if c][:MAX_CONCEPT_RECORDS * 2]
    for n in range(0, len(concepts), 2):
        pair = concepts[n:n + 2] + [""]
        records.append(f"23{n // 2 + 1:02d}" + _text(pair[0], CONCEPT_WIDTH) + _text(pair[1], CONCEPT_WIDTH))
    return records


def norma43_write(*, iban: str, start_date: datetime.date, end_date: datetime.date, opening_balance: Decimal,
                  movements, holder: str = "") -> bytes:
    """One account's statement as Norma 43 bytes (ISO-8859-1, CRLF): header, movements in the given order,
    totals computed from them (closing = opening + credits - debits) and the end-of-file record."""
    bank, branch, number = _account_parts(iban)
    opening = Decimal(opening_balance).quantize(Decimal("0.01"))
    records = ["11" + bank + branch + number + _date(start_date) + _date(end_date) + _sign(opening)
               + _cents(opening) + CURRENCY + INFORMATION_MODE + _text(holder, 26) + " " * 3]
    debits, credits = [Decimal("0.00"), 0], [Decimal("0.00"), 0]
    for movement in movements:
        amount = Decimal(movement.amount).quantize(Decimal("0.01"))
        side = debits if amount < 0 else credits
        side[0] += abs(amount)
        side[1] += 1
        records += _movement_records(movement, branch)
    closing = opening + credits[0] - debits[0]
    records.append("33" + bank + branch + number + f"{debits[1]:05d}" + _cents(debits[0]) + f"{credits[1]:05d}"
                   + _cents(credits[0]) + _sign(closing) + _cents(closing) + CURRENCY + " " * 4)
    records.append("88" + "9" * 18 + f"{len(records):06d}" + " " * 54)
    return ("\r\n".join(records) + "\r\n").encode("latin-1")
