"""Work other apps do inside a policy's own transaction (receipts on issue, on an endorsement, on
a cancellation...), so a policy never exists without what must go with it and a failure there
rolls the policy change back too. Insurance does not import those apps: they register at ready().

Hook names are the policy service verbs: policy_issue, policy_suspend, policy_resume,
policy_cancel, policy_reactivate, policy_expire, policy_renew (run on the old policy, the new one
gets its own policy_issue first) and policy_endorse. Every hook receives keyword arguments:
actor, policy, effective_date, from_state; policy_endorse also gets version and previous (the
new and the former PolicyVersion).
"""
from collections import defaultdict
from collections.abc import Callable

_hooks: dict[str, list[Callable]] = defaultdict(list)


def policy_hook_register(verb: str, handler: Callable) -> None:
    if handler not in _hooks[verb]:
        _hooks[verb].append(handler)


def policy_hooks_run(verb: str, **kwargs) -> None:
    """Runs every handler for `verb`; a DomainError raised by one aborts the policy change."""
    for handler in list(_hooks[verb]):
        handler(**kwargs)
