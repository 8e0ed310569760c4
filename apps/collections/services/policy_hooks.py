"""Receipts and commissions follow the policy inside its own transaction (see
apps.insurance.services.hooks): a policy is never issued, cancelled, reactivated or endorsed
without its receipts, and a refusal here rolls the policy change back."""
from apps.insurance.services.hooks import policy_hook_register


def on_issue(*, actor, policy, **_kwargs) -> None:
    from apps.collections.services.receipts_generate import receipts_for_policy_issue

    receipts_for_policy_issue(actor=actor, policy=policy)


def on_cancel(**kwargs) -> None:
    from apps.collections.services.receipts_policy import receipts_on_policy_cancel

    receipts_on_policy_cancel(**kwargs)


def on_reactivate(**kwargs) -> None:
    from apps.collections.services.receipts_policy import receipts_on_policy_reactivate

    receipts_on_policy_reactivate(**kwargs)


def on_endorse(**kwargs) -> None:
    from apps.collections.services.receipts_policy import receipts_on_policy_endorse

    receipts_on_policy_endorse(**kwargs)


def register_policy_hooks() -> None:
    policy_hook_register("policy_issue", on_issue)
    policy_hook_register("policy_cancel", on_cancel)
    policy_hook_register("policy_reactivate", on_reactivate)
    policy_hook_register("policy_endorse", on_endorse)
