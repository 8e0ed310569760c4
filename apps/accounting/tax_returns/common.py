"""What every tax return page shows: numbered boxes (casillas) grouped in sections."""
from dataclasses import dataclass, field
from decimal import Decimal

from apps.core.money import format_eur

ZERO = Decimal("0.00")
AMOUNT, RATE, COUNT = "amount", "rate", "count"


@dataclass
class Box:
    """One casilla: its official number, what it holds and its value."""

    number: str
    label: str
    value: Decimal | int = ZERO
    kind: str = AMOUNT
    total: bool = False

    @property
    def display(self) -> str:
        """As the form shows it: 1.234,56 for amounts, «21 %» for rates, 3 for counts."""
        if self.kind == RATE:
            return f"{pct(self.value)} %"
        if self.kind == COUNT:
            return str(int(self.value))
        return format_eur(self.value)[:-2]


@dataclass
class Section:
    title: str
    boxes: list[Box] = field(default_factory=list)
    note: str = ""

    def add(self, number: str, label, value=ZERO, *, kind: str = AMOUNT, total: bool = False) -> Box:
        box = Box(number=number, label=str(label), value=value, kind=kind, total=total)
        self.boxes.append(box)
        return box


def box_values(sections: list[Section]) -> dict:
    return {box.number: box.value for section in sections for box in section.boxes}


def rate_key(rate) -> Decimal:
    return Decimal(rate).quantize(Decimal("0.01"))


def pct(rate) -> str:
    """21 -> «21», 5.2 -> «5,2» (a rate as the forms print it, without trailing zeros)."""
    text = f"{Decimal(rate).normalize():f}"
    return text.replace(".", ",")
