"""API of the accounting area «entries»: journals and asientos. Every write goes through
apps.accounting.services.posting; a posted entry is never changed or deleted (409), it is reversed.
ROUTES are (prefix, viewset, basename), registered by apps.accounting.navigation."""
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.accounting.api.serializers import (
    EntryListSerializer, EntryReverseSerializer, EntrySerializer, EntryWriteSerializer, JournalSerializer,
)
from apps.accounting.choices import EntryState
from apps.accounting.errors import AccountingError, PostedEntryImmutableError
from apps.accounting.filtersets import EntryFilterSet
from apps.accounting.models import Entry, Journal
from apps.accounting.services.posting import (
    entry_draft_delete, entry_draft_update, entry_post, entry_post_draft, entry_reverse,
)
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet


class JournalViewSet(ReadOnlyRecordViewSet):
    queryset = Journal.objects.all()
    serializer_class = JournalSerializer
    filterset_fields = ["code", "kind", "is_active"]
    ordering = ["code"]


def _parties(lines: list[dict]) -> dict:
    from apps.crm.models import Party

    ids = {line[name] for line in lines for name in ("party", "insurer") if line.get(name)}
    found = Party.objects.in_bulk(ids) if ids else {}
    for index, line in enumerate(lines, start=1):
        for name in ("party", "insurer"):
            if line.get(name) and line[name] not in found:
                raise AccountingError(_("Línea %(n)s: el tercero %(id)s no existe.") % {"n": index, "id": line[name]},
                                      field=f"lines.{index}.{name}")
    return found


def line_specs(lines: list[dict]) -> list[dict]:
    """The API's lines as entry_post reads them (parties resolved in one query)."""
    parties = _parties(lines)
    return [{**line, "party": parties.get(line.get("party")), "insurer": parties.get(line.get("insurer")),
             "tax": line.get("tax") or None} for line in lines]


def _immutable(entry) -> PostedEntryImmutableError:
    return PostedEntryImmutableError(
        _("El asiento %s está contabilizado: no se modifica ni se borra, se anula con otro asiento "
          "(POST …/reverse/).") % entry, status=409)


class EntryViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, ReadOnlyRecordViewSet):
    """Asientos with their apuntes. POST creates and posts one (or keeps it as a draft with
    `"draft": true`); .../post/ posts a draft, .../reverse/ posts the mirror of a posted entry.
    PUT/PATCH and DELETE only for drafts: a posted entry answers 409."""

    queryset = Entry.objects.select_related("fiscal_year", "journal", "reversed_by")
    filterset_class = EntryFilterSet
    search_fields = ["description"]
    ordering_fields = ["date", "number", "total", "created_at"]
    ordering = ["-date", "-number", "-pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related("lines__account", "lines__tax")
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return EntryListSerializer
        if self.action in ("create", "update", "partial_update"):
            return EntryWriteSerializer
        return EntrySerializer

    def _detail(self, entry, status_code=status.HTTP_200_OK):
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(EntrySerializer(entry, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=EntryWriteSerializer, responses={201: EntrySerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        params = EntryWriteSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if not data["draft"] and not request.user.has_perm("accounting.change_entry"):
            raise PermissionDenied(_("Su rol no permite contabilizar asientos; envíelo con \"draft\": true."))
        entry = entry_post(actor=request.user, date=data["date"], description=data["description"],
                           lines=line_specs(data["lines"]), journal=data["journal"], kind=data["kind"],
                           source=data["source"], draft=data["draft"])
        return self._detail(entry, status.HTTP_201_CREATED)

    @extend_schema(request=EntryWriteSerializer, responses=EntrySerializer)
    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        if entry.state != EntryState.DRAFT:
            raise _immutable(entry)
        partial = kwargs.get("partial", False)
        params = EntryWriteSerializer(data=request.data, partial=partial)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if "lines" in data:
            lines = line_specs(data["lines"])
        else:
            lines = [{"account": line.account, "party": line.party, "debit": line.debit, "credit": line.credit,
                      "description": line.description, "tax": line.tax, "tax_base": line.tax_base,
                      "line_of_business": line.line_of_business, "insurer": line.insurer, "branch": line.branch}
                     for line in entry.lines.select_related("account", "party", "insurer", "tax")]
        with transaction.atomic():
            entry = entry_draft_update(actor=request.user, entry=entry, date=data.get("date", entry.date),
                                       description=data.get("description", entry.description), lines=lines,
                                       journal=data.get("journal"))
            if "draft" in request.data and not data.get("draft", True):  # posted only when asked
                entry = entry_post_draft(actor=request.user, entry=entry)
        return self._detail(entry)

    def destroy(self, request, *args, **kwargs):
        entry = self.get_object()
        if entry.state != EntryState.DRAFT:
            raise _immutable(entry)
        entry_draft_delete(actor=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=EntrySerializer)
    @action(detail=True, methods=["post"], url_path="post")
    def post_draft(self, request, pk=None):
        if not request.user.has_perm("accounting.change_entry"):
            raise PermissionDenied(_("Su rol no permite contabilizar asientos."))
        entry = self.get_object()
        if entry.state != EntryState.DRAFT:
            raise AccountingError(_("El asiento %s ya está contabilizado.") % entry, status=409)
        return self._detail(entry_post_draft(actor=request.user, entry=entry))

    @extend_schema(request=EntryReverseSerializer, responses={201: EntrySerializer})
    @action(detail=True, methods=["post"], url_path="reverse")
    def reverse_entry(self, request, pk=None):
        params = EntryReverseSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        mirror = entry_reverse(actor=request.user, entry=self.get_object(), date=params.validated_data.get("date"),
                               description=params.validated_data.get("description", ""))
        return self._detail(mirror, status.HTTP_201_CREATED)


ROUTES = [
    ("accounting/journals", JournalViewSet, "accounting-journal"),
    ("accounting/entries", EntryViewSet, "accounting-entry"),
]
