"""Receipts and commissions follow the policy inside its own transaction (see
apps.insurance.services.hooks): filled by the receipts work."""


def register_policy_hooks() -> None:
    pass
