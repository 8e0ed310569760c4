"""Tax books and returns read from the accounting: Libros registro de IVA, modelos 303, 390,
111, 115 and 347. Pure reads (selectors); the VAT settlement entry is a service
(apps.accounting.services.vat_settlement)."""
from apps.accounting.tax_returns.model303 import model_303
from apps.accounting.tax_returns.model347 import model_347
from apps.accounting.tax_returns.model390 import model_390
from apps.accounting.tax_returns.periods import PERIOD_CHOICES, TaxPeriod, default_quarter, default_year, tax_period
from apps.accounting.tax_returns.vat import vat_book
from apps.accounting.tax_returns.withholdings import models_111_115

__all__ = [
    "PERIOD_CHOICES", "TaxPeriod", "default_quarter", "default_year", "model_303", "model_347", "model_390",
    "models_111_115", "tax_period", "vat_book",
]
