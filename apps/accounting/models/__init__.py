from apps.accounting.models.accounts import Account, AccountingSettings, AccountMapping
from apps.accounting.models.entries import Entry, EntryLine, Tax
from apps.accounting.models.invoices import Invoice, InvoiceCounter, InvoiceLine, InvoiceSeries
from apps.accounting.models.periods import FiscalYear, Journal, Period

__all__ = [
    "Account", "AccountingSettings", "AccountMapping", "Entry", "EntryLine", "FiscalYear", "Invoice",
    "InvoiceCounter", "InvoiceLine", "InvoiceSeries", "Journal", "Period", "Tax",
]
