"""Layouts of the annual accounts (balance sheet and profit and loss) as data; see base.py."""
from django.utils.translation import gettext_lazy as _

from apps.accounting.choices import ChartKind
from apps.accounting.data.layouts.balance_normal import BALANCE_NORMAL
from apps.accounting.data.layouts.balance_short import BALANCE_ABREVIADO, BALANCE_PYMES
from apps.accounting.data.layouts.base import Item, Layout, Line, Section
from apps.accounting.data.layouts.pyg import PYG_ABREVIADO, PYG_NORMAL, PYG_PYMES

BALANCE_SHEETS = {"pymes": BALANCE_PYMES, "abreviado": BALANCE_ABREVIADO, "normal": BALANCE_NORMAL}
PROFIT_AND_LOSS = {"pymes": PYG_PYMES, "abreviado": PYG_ABREVIADO, "normal": PYG_NORMAL}
MODEL_LABELS = {"pymes": _("PYMES"), "abreviado": _("Abreviado"), "normal": _("Normal")}
# The models each chart offers, the first one being the default.
MODELS_BY_CHART = {ChartKind.PGC_PYMES: ("pymes", "abreviado"), ChartKind.PGC_NORMAL: ("normal", "abreviado")}

__all__ = [
    "BALANCE_SHEETS", "MODELS_BY_CHART", "MODEL_LABELS", "PROFIT_AND_LOSS", "Item", "Layout", "Line", "Section",
]
