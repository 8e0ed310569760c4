"""Who may see and attach documents of a record. A record is named by its live-record key
("<app_label>.<model>.<pk>", apps.notifications.realtime): whoever may open its page (`can_view_record`,
registered by the app that owns it) sees its documents, and whoever may also change it (the model's
"change_<model>" permission) uploads and deletes them. Some kinds are narrower (an employee's record: HR
only; the employee's own private files are HR's own feature in apps.hr).

Lists need the same rule in SQL: each kind's visible records come from the search source that indexes the
kind (apps/<app>/search.py declares `visible(user)`, the list pages' rule) or from a scope registered here.
A kind with neither is left out of the lists (its panel still works: it checks one record)."""
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.documents.errors import DocumentError
from apps.notifications.realtime import RECORD_KEY, _record_viewers, can_view_record

_narrower_rules: dict[str, Callable] = {}
_scopes: dict[str, Callable] = {}


def register_documents_rule(kind: str, rule: Callable) -> None:
    """rule(user, pk) -> bool, on top of viewing the record (both for reading and for attaching)."""
    _narrower_rules[kind] = rule


def register_documents_scope(kind: str, scope: Callable) -> None:
    """scope(user) -> queryset of the kind's records whose documents `user` may see, or None (none)."""
    _scopes[kind] = scope


def split_key(key) -> tuple[str, int] | None:
    match = RECORD_KEY.match(str(key or ""))
    return (match["kind"], int(match["pk"])) if match else None


def record_key_of(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}.{obj.pk}"


def passes_narrower_rule(user, key: str) -> bool:
    """The kind's narrower rule alone (for a record page that has already checked the user may view it)."""
    parts = split_key(key)
    rule = _narrower_rules.get(parts[0]) if parts else None
    return parts is not None and (rule is None or bool(rule(user, parts[1])))


def may_view_record(user, key: str) -> bool:
    return can_view_record(user, key) and passes_narrower_rule(user, key)


def may_edit_record(user, key: str) -> bool:
    parts = split_key(key)
    if parts is None:
        return False
    app_label, model = parts[0].split(".")
    return user.has_perm(f"{app_label}.change_{model}") and may_view_record(user, key)


def not_found() -> DocumentError:
    return DocumentError(_("No existe el registro o el documento, o no tiene acceso a él."),
                         code="documents_not_found", status=404)


def record_for(user, key: str, *, edit: bool = False) -> tuple[ContentType, int]:
    """The content type and pk of `key` if `user` may view it (else 404, which does not tell whether it
    exists) and, with `edit`, also change it (else 403)."""
    parts = split_key(key)
    if parts is None or not may_view_record(user, key):
        raise not_found()
    app_label, model = parts[0].split(".")
    if edit and not user.has_perm(f"{app_label}.change_{model}"):
        raise DocumentError(_("Puede ver este registro pero no modificarlo: no puede adjuntar ni eliminar "
                              "documentos."), code="documents_read_only", status=403)
    try:
        return ContentType.objects.get_by_natural_key(app_label, model), parts[1]
    except ContentType.DoesNotExist:
        raise not_found() from None


# --- the same rule in SQL -------------------------------------------------------------------------------

def record_kinds() -> list[str]:
    """Every kind whose records have a page that says who may view it (the live-record registry has no
    public listing: its dict is read, never changed)."""
    return sorted(_record_viewers)


def _scope(kind: str) -> Callable | None:
    if kind in _scopes:
        return _scopes[kind]
    from apps.search.sources import sources

    for source in sources():
        if source.model._meta.label_lower == kind:
            return source.visible_queryset
    return None


def visible_record_condition(user) -> Q | None:
    """A Q over Document of the records `user` may view, or None (none). The kind is matched through a join
    on the content type (no query here: the tenant middleware empties Django's content type cache)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    condition = None
    for kind in record_kinds():
        scope = _scope(kind)
        records = scope(user) if scope is not None else None
        if records is None:
            continue
        app_label, model = kind.split(".")
        part = Q(content_type__app_label=app_label, content_type__model=model, object_id__in=records.values("pk"))
        condition = part if condition is None else condition | part
    return condition


def visible_documents(user):
    """The (not deleted) documents on records `user` may view, in one SQL query."""
    from apps.documents.models import Document

    condition = visible_record_condition(user)
    return Document.objects.none() if condition is None else Document.objects.filter(condition)


# --- the kinds whose rule is not a search source's -----------------------------------------------------

def _hr_only(user, pk=None) -> bool:
    from apps.hr.access import is_hr_staff

    return is_hr_staff(user)


def _employees(user):
    from apps.hr.models import Employee

    return Employee.objects.all() if _hr_only(user) else None


def _quotes(user):
    from apps.insurance.selectors_quotes import quotes_for

    return quotes_for(user) if user.has_perm("insurance.view_quote") else None


def _remittances(user):
    from apps.treasury.models import Remittance

    return Remittance.objects.all() if user.has_perm("treasury.view_remittance") else None


register_documents_rule("hr.employee", _hr_only)
register_documents_scope("hr.employee", _employees)
register_documents_scope("insurance.quote", _quotes)
register_documents_scope("treasury.remittance", _remittances)
