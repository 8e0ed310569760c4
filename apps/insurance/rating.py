"""Rating: the tariff a line's rules read, the line's answer, and the taxes and surcharges the
core adds on top (IPS 8 %, Consorcio extraordinary risks, CLEA 0,15 %)."""
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
IPS_RATE = Decimal("0.08")  # Ley 13/1996 art. 12, 8 % since 2021
CLEA_RATE = Decimal("0.0015")  # recargo para liquidación de entidades aseguradoras: 0,15 % de la prima neta


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Declined(Exception):
    """Raised by a line's rating rules (or a tariff lookup) when the product will not take the risk."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TariffTable:
    """Read access to one tariff's base figures and factor tables, loaded once."""

    def __init__(self, tariff, factors=None):
        self.tariff = tariff
        self.base_premium = tariff.base_premium
        self.minimum_premium = tariff.minimum_premium
        self.parameters = tariff.parameters or {}
        rows = factors if factors is not None else list(tariff.factors.all())
        self._bands: dict[str, list] = {}
        self._keys: dict[str, dict[str, Decimal]] = {}
        for row in rows:
            if row.key:
                self._keys.setdefault(row.factor, {})[row.key] = row.value
            else:
                self._bands.setdefault(row.factor, []).append(row)

    def param(self, name: str, default=None) -> Decimal:
        if name in self.parameters:
            return Decimal(str(self.parameters[name]))
        if default is None:
            raise Declined(_("La tarifa no define «%(name)s».") % {"name": name})
        return Decimal(default)

    def factor(self, name: str, value, default=None) -> Decimal:
        """The factor's value for a category (str/bool) or the numeric band holding `value`."""
        if isinstance(value, bool):
            value = "si" if value else "no"
        if isinstance(value, str) and name in self._keys:
            if value in self._keys[name]:
                return self._keys[name][value]
        elif value is not None and name in self._bands:
            number = Decimal(str(value))
            for row in self._bands[name]:
                if (row.band_from is None or number >= row.band_from) and (row.band_to is None or number < row.band_to):
                    return row.value
        if default is not None:
            return Decimal(default)
        raise Declined(_("La tarifa no cubre %(name)s = %(value)s.") % {"name": name, "value": value})

    def has_factor(self, name: str) -> bool:
        return name in self._keys or name in self._bands


@dataclass
class RatingInput:
    risk: dict
    tariff: TariffTable
    effective_date: datetime.date
    product: object  # apps.insurance.models.Product


@dataclass
class LineRating:
    """A line's answer: the annual net premium and how it was reached, step by step."""

    net_premium: Decimal
    # (label, detail) e.g. ("Edad del conductor 23 años", "× 1,80")
    breakdown: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PremiumTaxes:
    ips: Decimal
    consorcio: Decimal
    clea: Decimal

    @property
    def total(self) -> Decimal:
        return self.ips + self.consorcio + self.clea


def premium_taxes(*, line, net_premium: Decimal, sum_insured: Decimal | None) -> PremiumTaxes:
    """Taxes and surcharges on an annual net premium, from the line's settings."""
    from apps.insurance.choices import ConsorcioBasis

    ips = money(net_premium * IPS_RATE) if line.ips_applies else Decimal("0.00")
    clea = money(net_premium * CLEA_RATE) if line.clea_applies else Decimal("0.00")
    rate = Decimal(line.consorcio_rate)
    if line.consorcio_basis == ConsorcioBasis.PER_MILLE_CAPITAL:
        consorcio = money((sum_insured or Decimal("0")) * rate / Decimal("1000"))
    elif line.consorcio_basis == ConsorcioBasis.FIXED:
        consorcio = money(rate)
    elif line.consorcio_basis == ConsorcioBasis.PERCENT_PREMIUM:
        consorcio = money(net_premium * rate / Decimal("100"))
    else:
        consorcio = Decimal("0.00")
    return PremiumTaxes(ips=ips, consorcio=consorcio, clea=clea)
