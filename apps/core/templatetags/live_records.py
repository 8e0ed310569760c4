"""{{ object|live_key }}: the record's live key ("insurance.policy.12") for data-live-record and the
edit guard; {{ rows|live_keys }}: the keys of a list's rows, space-separated (data-live-records)."""
from django import template

from apps.core.edit_conflicts import live_key_of

register = template.Library()


@register.filter
def live_key(obj) -> str:
    return live_key_of(obj) if obj is not None and getattr(obj, "pk", None) else ""


def row_keys(objects) -> str:
    """The live keys of the rows a list page shows (its views put them in the context as live_keys)."""
    return " ".join(live_key_of(obj) for obj in objects)


register.filter("live_keys", row_keys)
