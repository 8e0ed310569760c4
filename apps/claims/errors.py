"""DomainError codes of the claims domain (stable for integrators)."""
from apps.core.errors import DomainError


class ClaimError(DomainError):
    """A claim rule refused the change. Codes used by the services:
    claim_policy_required, claim_not_covered, claim_policy_not_issued, claim_coverage, claim_dates,
    claim_duplicate (409), claim_invalid_transition (409), claim_reason_required, claim_no_payments (409),
    claim_closed (409), claim_amount, claim_reserve_below_paid (409), claim_payment_state (409),
    claim_over_reserve (409), claim_task_done (409), claim_document_size, claim_document_type."""

    code = "claim_error"
