"""{% shared_note record_key as note %}: the record's shared note (or None) for the read-only text of
templates/collaboration/_note.html (what a page without JavaScript shows)."""
from django import template

from django.contrib.contenttypes.models import ContentType

from apps.collaboration.errors import CollaborationError
from apps.collaboration.records import key_of
from apps.collaboration.selectors_notes import note_for, note_of

register = template.Library()


@register.simple_tag(takes_context=True)
def shared_note(context, record_key):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not record_key or user is None:
        return None
    record = context.get("record")
    if context.get("collab_checked") and record is not None and key_of(record) == record_key:
        # Inside {% collaboration_panel %}, which has just checked the user may take part: no second check.
        return note_of(ContentType.objects.get_for_model(record), record.pk)
    try:
        return note_for(user, record_key)
    except CollaborationError:
        return None
