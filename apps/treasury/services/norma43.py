"""Norma 43 (AEB/CSB43) statement import.

Own parser of the fixed 80-character records (11 header, 22 movement, 23 extra concepts, 24 currency
equivalence, 33 account totals, 88 end of file): the checks the import needs (balance, counts, the line
of a truncated record) are clearer here than around csb43's reader. Banks send ISO-8859-1; UTF-8 is
tried strictly first.
"""
import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.core.money import format_eur
from apps.treasury.errors import TreasuryError
from apps.treasury.models import BankAccount, Statement, StatementLine

RECORD_LENGTH = 80
CENT = Decimal("0.01")


class Norma43Error(TreasuryError):
    code = "treasury_n43"


@dataclass
class ParsedLine:
    operation_date: datetime.date
    value_date: datetime.date
    amount: Decimal
    common_concept: str
    own_concept: str
    document_number: str
    reference1: str
    reference2: str
    concepts: list = field(default_factory=list)

    @property
    def description(self) -> str:
        return " ".join(c for c in self.concepts if c)[:400]


@dataclass
class ParsedAccount:
    bank: str
    branch: str
    number: str
    start_date: datetime.date
    end_date: datetime.date
    opening_balance: Decimal
    closing_balance: Decimal = Decimal("0")
    lines: list = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    statements: list
    created: int
    skipped: int
    duplicate: bool = False


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _date(text: str, lineno: int) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%y%m%d").date()
    except ValueError:
        raise Norma43Error(_("Línea %(line)d: fecha «%(text)s» no válida.") % {"line": lineno, "text": text},
                           code="treasury_n43_date", field="file") from None


def _amount(sign: str, digits: str, lineno: int) -> Decimal:
    if sign not in ("1", "2") or not digits.isdigit():
        raise Norma43Error(_("Línea %d: importe o signo no válido.") % lineno, code="treasury_n43_amount",
                           field="file")
    value = (Decimal(digits) / 100).quantize(CENT)
    return -value if sign == "1" else value


def _count(text: str, lineno: int) -> int:
    if not text.isdigit():
        raise Norma43Error(_("Línea %d: número de apuntes no válido.") % lineno, code="treasury_n43_count",
                           field="file")
    return int(text)


def _refuse(message: str, code: str):
    raise Norma43Error(message, code=code, field="file")


def _close_account(account: ParsedAccount, rec: str, lineno: int):
    n_debits, n_credits = _count(rec[20:25], lineno), _count(rec[39:44], lineno)
    debits = -_amount("1", rec[25:39], lineno)
    credits = _amount("2", rec[44:58], lineno)
    account.closing_balance = _amount(rec[58], rec[59:73], lineno)
    found_debits = [ln.amount for ln in account.lines if ln.amount < 0]
    found_credits = [ln.amount for ln in account.lines if ln.amount >= 0]
    if (len(found_debits), len(found_credits)) != (n_debits, n_credits):
        _refuse(_("Línea %(line)d: el registro de totales declara %(d)d cargos y %(c)d abonos, y el fichero trae "
                  "%(fd)d y %(fc)d.") % {"line": lineno, "d": n_debits, "c": n_credits, "fd": len(found_debits),
                                         "fc": len(found_credits)}, "treasury_n43_counts")
    if -sum(found_debits, Decimal("0")) != debits or sum(found_credits, Decimal("0")) != credits:
        _refuse(_("Línea %d: los totales de cargos y abonos no cuadran con los movimientos.") % lineno,
                "treasury_n43_totals")
    expected = account.opening_balance + credits - debits
    if expected != account.closing_balance:
        _refuse(_("El saldo final no cuadra: saldo inicial %(open)s + abonos %(cr)s − cargos %(db)s = %(exp)s, "
                  "pero el fichero declara %(close)s (diferencia %(diff)s).") % {
                    "open": format_eur(account.opening_balance), "cr": format_eur(credits),
                    "db": format_eur(debits), "exp": format_eur(expected),
                    "close": format_eur(account.closing_balance),
                    "diff": format_eur(account.closing_balance - expected)}, "treasury_n43_balance")


def parse(text: str) -> list[ParsedAccount]:
    """The accounts of a Norma 43 file, checked; raises Norma43Error naming the line that is wrong."""
    accounts, current, records, ended = [], None, 0, False
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    for lineno, raw in enumerate(lines, start=1):
        rec = raw.rstrip("\r\n")
        if len(rec) < RECORD_LENGTH:
            _refuse(_("Línea %(line)d: registro incompleto (%(n)d caracteres de 80).") % {"line": lineno,
                                                                                         "n": len(rec)},
                    "treasury_n43_truncated")
        kind = rec[:2]
        if ended:
            _refuse(_("Línea %d: hay registros después del final de fichero (88).") % lineno, "treasury_n43_after_end")
        if kind == "11":
            if current is not None:
                _refuse(_("Línea %d: cabecera de cuenta sin el registro de totales (33) anterior.") % lineno,
                        "treasury_n43_structure")
            current = ParsedAccount(bank=rec[2:6], branch=rec[6:10], number=rec[10:20],
                                    start_date=_date(rec[20:26], lineno), end_date=_date(rec[26:32], lineno),
                                    opening_balance=_amount(rec[32], rec[33:47], lineno))
        elif kind in ("22", "23", "24") and current is None:
            _refuse(_("Línea %d: movimiento fuera de una cuenta (falta el registro 11).") % lineno,
                    "treasury_n43_structure")
        elif kind == "22":
            current.lines.append(ParsedLine(
                operation_date=_date(rec[10:16], lineno), value_date=_date(rec[16:22], lineno),
                amount=_amount(rec[27], rec[28:42], lineno), common_concept=rec[22:24].strip(),
                own_concept=rec[24:27].strip(), document_number=rec[42:52].strip(),
                reference1=rec[52:64].strip(), reference2=rec[64:80].strip()))
        elif kind == "23":
            if not current.lines:
                _refuse(_("Línea %d: concepto complementario sin movimiento.") % lineno, "treasury_n43_structure")
            current.lines[-1].concepts += [rec[4:42].strip(), rec[42:80].strip()]
        elif kind == "24":
            pass  # currency equivalence: the amount in euros is already on the 22 record
        elif kind == "33":
            if current is None:
                _refuse(_("Línea %d: registro de totales sin cabecera de cuenta.") % lineno, "treasury_n43_structure")
            _close_account(current, rec, lineno)
            accounts.append(current)
            current = None
        elif kind == "88":
            declared = _count(rec[20:26], lineno)
            if declared != records:
                _refuse(_("Línea %(line)d: el final de fichero declara %(d)d registros y hay %(n)d.") % {
                    "line": lineno, "d": declared, "n": records}, "treasury_n43_counts")
            ended = True
            continue
        else:
            _refuse(_("Línea %(line)d: tipo de registro «%(kind)s» desconocido.") % {"line": lineno, "kind": kind},
                    "treasury_n43_record")
        records += 1
    if current is not None or not ended:
        _refuse(_("El fichero está incompleto: falta el registro de totales (33) o el de final (88)."),
                "treasury_n43_truncated")
    if not accounts:
        _refuse(_("El fichero no contiene ninguna cuenta."), "treasury_n43_empty")
    return accounts


def _bank_account(parsed: ParsedAccount) -> BankAccount:
    wanted = (parsed.bank, parsed.branch, parsed.number)
    for account in BankAccount.objects.select_related("account"):
        iban = account.iban.replace(" ", "").upper()
        if iban.startswith("ES") and (iban[4:8], iban[8:12], iban[14:24]) == wanted:
            return account
    raise Norma43Error(_("La cuenta %(b)s %(o)s %(n)s del extracto no es una cuenta bancaria de la correduría.")
                       % {"b": parsed.bank, "o": parsed.branch, "n": parsed.number}, code="treasury_n43_account",
                       field="file")


def line_fingerprint(*, account: BankAccount, line: ParsedLine, ordinal: int) -> str:
    """Same movement in two files -> same fingerprint; `ordinal` tells identical movements of one day apart."""
    parts = [str(account.pk), line.operation_date.isoformat(), line.value_date.isoformat(), str(line.amount),
             line.common_concept, line.own_concept, line.document_number, line.reference1, line.reference2,
             line.description, str(ordinal)]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


@transaction.atomic
def statement_import(*, actor, data: bytes, file_name: str = "") -> ImportResult:
    """Imports a Norma 43 file: one Statement per account, only the movements not imported before."""
    file_hash = hashlib.sha256(data).hexdigest()
    if Statement.objects.filter(file_hash__startswith=file_hash).exists():
        return ImportResult(statements=[], created=0, skipped=0, duplicate=True)
    parsed_accounts = parse(decode(data))
    targets = [(_bank_account(parsed), parsed) for parsed in parsed_accounts]
    statements, created, skipped = [], 0, 0
    for index, (account, parsed) in enumerate(targets):
        statement = Statement.objects.create(
            bank_account=account, start_date=parsed.start_date, end_date=parsed.end_date,
            opening_balance=parsed.opening_balance, closing_balance=parsed.closing_balance,
            file_name=file_name[:200], file_hash=file_hash if index == 0 else f"{file_hash[:60]}{index:04d}",
            imported_by=actor if getattr(actor, "pk", None) else None)
        seen, rows = Counter(), []
        for line in parsed.lines:
            key = (line.operation_date, line.value_date, line.amount, line.common_concept, line.own_concept,
                   line.document_number, line.reference1, line.reference2, line.description)
            seen[key] += 1
            rows.append(StatementLine(
                statement=statement, bank_account=account, operation_date=line.operation_date,
                value_date=line.value_date, amount=line.amount, common_concept=line.common_concept,
                own_concept=line.own_concept, document_number=line.document_number, reference1=line.reference1,
                reference2=line.reference2, description=line.description,
                fingerprint=line_fingerprint(account=account, line=line, ordinal=seen[key])))
        existing = set(StatementLine.objects.filter(fingerprint__in=[r.fingerprint for r in rows])
                       .values_list("fingerprint", flat=True))
        new_rows = [r for r in rows if r.fingerprint not in existing]
        StatementLine.objects.bulk_create(new_rows)
        created, skipped = created + len(new_rows), skipped + len(rows) - len(new_rows)
        statements.append(statement)
        audit_event_record(actor=actor if getattr(actor, "pk", None) else None, action=AuditAction.CREATE,
                           verb="statement_import", obj=statement, changes={
                               "fichero": [None, file_name], "movimientos": [None, len(new_rows)],
                               "repetidos": [None, len(rows) - len(new_rows)]})
        publish("treasury.statement.imported", pk=statement.pk, bank_account=account.pk, lines=len(new_rows))
    return ImportResult(statements=statements, created=created, skipped=skipped)
