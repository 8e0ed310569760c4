"""The machinery behind the annual-accounts layouts (PGC «modelos de cuentas anuales»).

A layout is a list of lines. A line either takes accounts (a formula of account-code prefixes)
or adds up other lines: its children (the deeper lines right below it) or, for the «TOTAL» and
«RESULTADO» lines, the lines named in `total_of`.

Formulas are written as the PGC prints them: ``"20 (280) (290)"``. Every item of a formula
carries the sign of its side of the statement (+1 assets, -1 equity and liabilities, -1 for the
profit and loss account, where income is positive and expenses negative), so the parentheses are
only a reminder that the account has the opposite natural balance and reduces the line: with
signed balances (debit - credit) a contra account reduces its line by itself.

Each account lands in exactly one line: the item with the *longest* prefix of its code wins, so
``"44"`` in «Otros deudores» and ``"4407"`` elsewhere never count the same account twice, and a
group-level catch-all (``"4"``) only takes what no line names. An item may be restricted to
accounts with a debit balance (``"430:D"``) or a credit balance (``"430:C"``): clients with a
credit balance are shown as liabilities, banks with a credit balance (overdrafts) as debts with
credit institutions, and so on. A sided prefix must be given for both sides.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Item:
    prefix: str
    sign: int
    side: str | None = None  # None: any balance; "D": debit balances only; "C": credit balances only


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    level: int
    accounts: tuple[Item, ...] = ()
    total_of: tuple[tuple[str, int], ...] = ()
    is_total: bool = False  # a «TOTAL ...» or «RESULTADO ...» line printed in bold
    key: str = ""  # a stable name other code can look the line up by ("cash", "year_result"...)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    lines: tuple[Line, ...]
    total: str  # code of the line that is the section's total


@dataclass
class Layout:
    """A statement model: its sections and where each account code lands."""

    key: str
    title: str
    sections: tuple[Section, ...]
    # Balance sheet only: the lines that take the profit and loss accounts (groups 6 and 7) not
    # yet regularised to 129: this year's ones and those of earlier years.
    result_line: str | None = None
    prior_result_line: str | None = None
    _index: dict = field(default_factory=dict, repr=False)
    _lines: dict = field(default_factory=dict, repr=False)
    _children: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for section in self.sections:
            stack: list[Line] = []
            for line in section.lines:
                if line.code in self._lines:
                    raise ValueError(f"{self.key}: línea repetida {line.code}")
                self._lines[line.code] = line
                self._children[line.code] = []
                while stack and stack[-1].level >= line.level:
                    stack.pop()
                if stack and not line.total_of:
                    if stack[-1].accounts:
                        raise ValueError(f"{self.key}: {stack[-1].code} tiene cuentas y líneas debajo")
                    self._children[stack[-1].code].append(line.code)
                if not line.total_of:
                    stack.append(line)
                for item in line.accounts:
                    self._index.setdefault(item.prefix, []).append((item, line.code))
                if line.accounts and line.key == "year_result" and self.result_line is None:
                    self.result_line = line.code
                if line.accounts and line.key == "prior_results" and self.prior_result_line is None:
                    self.prior_result_line = line.code
        self._validate()

    def _validate(self) -> None:
        for prefix, items in self._index.items():
            sides = {item.side for item, _code in items}
            if None in sides and len(items) > 1:
                raise ValueError(f"{self.key}: la cuenta {prefix} está en más de una línea")
            if sides - {None} and sides != {"D", "C"}:
                raise ValueError(f"{self.key}: la cuenta {prefix} necesita una línea para cada saldo")
        for line in self._lines.values():
            for code, _sign in line.total_of:
                if code not in self._lines:
                    raise ValueError(f"{self.key}: {line.code} suma una línea que no existe ({code})")
        for code in (self.result_line, self.prior_result_line):
            if code and code not in self._lines:
                raise ValueError(f"{self.key}: no existe la línea {code}")

    # --- reading -------------------------------------------------------------------------------

    def line(self, code: str) -> Line:
        return self._lines[code]

    def by_key(self, key: str) -> Line:
        for line in self._lines.values():
            if line.key == key:
                return line
        raise KeyError(key)

    def children(self, code: str) -> list[str]:
        return self._children[code]

    def lines(self):
        for section in self.sections:
            yield from section.lines

    def prefixes(self) -> set[str]:
        return set(self._index)

    def assign(self, code: str, balance: Decimal = ZERO) -> tuple[str, int, str] | None:
        """(line code, sign, matched prefix) for an account code with this balance, or None."""
        for length in range(len(code), 0, -1):
            items = self._index.get(code[:length])
            if items:
                side = "C" if balance < 0 else "D"
                for item, line_code in items:
                    if item.side is None or item.side == side:
                        return line_code, item.sign, item.prefix
                item, line_code = items[0]
                return line_code, item.sign, item.prefix
        return None


# --- writing layouts -----------------------------------------------------------------------------

def parse(formula: str, sign: int) -> tuple[Item, ...]:
    """``"430:D 431 (490)"`` -> Items with the side's sign (see the module docstring)."""
    items = []
    for token in formula.replace(",", " ").split():
        token = token.strip("()")
        prefix, _colon, side = token.partition(":")
        if not prefix.isdigit() or side not in ("", "D", "C"):
            raise ValueError(f"elemento de fórmula no válido: {token!r}")
        items.append(Item(prefix=prefix, sign=sign, side=side or None))
    return tuple(items)


def section(key: str, title: str, sign: int, rows: list[tuple], total: str) -> Section:
    """rows: (code, label, level[, spec[, key]]).

    spec is a formula (a string of account prefixes), a list of line codes to add up (a «TOTAL»
    or «RESULTADO» line; a code prefixed with "-" is subtracted) or None (a heading that adds up
    the lines below it, or a line no account feeds).
    """
    lines = []
    for row in rows:
        code, label, level, *rest = row
        spec = rest[0] if rest else None
        line_key = rest[1] if len(rest) > 1 else ""
        if isinstance(spec, str):
            lines.append(Line(code, label, level, accounts=parse(spec, sign), key=line_key))
        elif isinstance(spec, (list, tuple)):
            total_of = tuple((c[1:], -1) if c.startswith("-") else (c, 1) for c in spec)
            lines.append(Line(code, label, level, total_of=total_of, is_total=True, key=line_key))
        else:
            lines.append(Line(code, label, level, key=line_key))
    return Section(key=key, title=title, lines=tuple(lines), total=total)
