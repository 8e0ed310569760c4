from apps.accounting.services.chart import account_create, chart_load, party_subaccount
from apps.accounting.services.periods import (
    fiscal_year_create, fiscal_year_for_calendar_year, fiscal_year_set_state, period_for_date, period_set_state,
)
from apps.accounting.services.posting import (
    LineSpec, entry_draft_create, entry_draft_delete, entry_draft_update, entry_post, entry_post_draft, entry_reverse,
)
from apps.accounting.services.setup import accounting_setup, account_mapping_set, mapped_account

__all__ = [
    "LineSpec", "account_create", "account_mapping_set", "accounting_setup", "chart_load", "entry_draft_create",
    "entry_draft_delete", "entry_draft_update", "entry_post", "entry_post_draft", "entry_reverse",
    "fiscal_year_create", "fiscal_year_for_calendar_year", "fiscal_year_set_state", "mapped_account",
    "party_subaccount", "period_for_date", "period_set_state",
]
