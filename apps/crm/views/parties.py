"""CRM party pages: create and edit (with addresses, phones/e-mails, bank accounts), the live
duplicates panel, merge and relations. Thin: they read forms and call apps.crm.services."""
import re

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.dateparse import parse_date
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from apps.core.edit_conflicts import edit_conflict, edit_guard
from apps.core.errors import DomainError, StaleObjectError
from apps.core.forms import add_service_errors
from apps.core.permissions import visible_to
from apps.core.validators import normalize_tax_id
from apps.crm.choices import ContactKind, PartyKind
from apps.crm.forms.parties import (
    MergeForm, PartyForm, RelationForm, add_row_errors, formset_rows, party_formsets,
)
from apps.crm.models import Party, PartyRelation
from apps.crm.selectors_parties import party_group, party_relations
from apps.crm.services.duplicates import find_duplicates, find_duplicates_of
from apps.crm.services.merge import merge_preview, party_merge
from apps.crm.services.parties import (
    compute_display_name, party_create, party_update, party_validate, relation_add, relation_delete,
)

SEARCH_LIMIT = 20


def party_url(pk) -> str:
    try:
        return reverse("ui:crm-party-detail", args=[pk])
    except NoReverseMatch:  # until the client pages are registered
        return f"/r/crm/party/{pk}/"


def list_url() -> str:
    try:
        return reverse("ui:crm-party-list")
    except NoReverseMatch:
        return "/r/crm/party/"


def visible_parties(user):
    """Every read of a party goes through here: a Comercial only reaches the parties it manages."""
    return visible_to(Party.objects.all(), user, "account_manager")


class PartyView(LoginRequiredMixin, View):
    permissions: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not all(request.user.has_perm(p) for p in self.permissions):
            raise PermissionDenied(_("Su rol no permite esta operación."))
        return super().dispatch(request, *args, **kwargs)

    def get_party(self, pk) -> Party:
        try:
            return visible_parties(self.request.user).select_related("account_manager").get(pk=pk)
        except (Party.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404(_("No existe o no tiene acceso a este cliente.")) from exc

    def context(self, **extra) -> dict:
        return {"title": _("Clientes"), "list_url": list_url(), **extra}


# --- Duplicates ---------------------------------------------------------------------------

_CONTACT_VALUE = re.compile(r"^contacts-(\d+)-value$")


def _duplicate_query(data) -> dict:
    """The find_duplicates arguments read from the party form's fields (bound or raw GET/POST data)."""
    kind = data.get("kind") if data.get("kind") in PartyKind.values else PartyKind.PERSON
    names = {k: data.get(k, "") for k in ("first_name", "last_name", "second_last_name", "company_name", "trade_name")}
    try:
        birth_date = django_forms.DateField(required=False).clean(data.get("birth_date")) if kind == PartyKind.PERSON else None
    except ValidationError:
        birth_date = None
    phones, emails = [], []
    for key in data:
        match = _CONTACT_VALUE.match(key)
        if match and data.get(key) and not data.get(f"contacts-{match.group(1)}-DELETE"):
            kind_of = data.get(f"contacts-{match.group(1)}-kind")
            (emails if kind_of == ContactKind.EMAIL else phones).append(data[key])
    return {"tax_id": data.get("tax_id") or None, "display_name": compute_display_name({"kind": kind, **names}),
            "birth_date": birth_date, "phones": phones, "emails": emails}


def _duplicates_context(user, duplicates, query: dict, *, exclude_pk=None, create_anyway=False) -> dict:
    visible = set(visible_parties(user).filter(pk__in=[d.party.pk for d in duplicates]).values_list("pk", flat=True))
    tax_id = normalize_tax_id(query.get("tax_id") or "").upper()
    rows = [{"party": d.party, "reasons": d.reasons, "url": party_url(d.party.pk) if d.party.pk in visible else "",
             "merge_url": (reverse("crm:party-merge", args=[exclude_pk]) + f"?other={d.party.pk}")
             if exclude_pk and d.party.pk in visible else "",
             "blocking": bool(tax_id) and d.party.tax_id == tax_id} for d in duplicates]
    return {"duplicates": rows, "checked": bool(query.get("display_name") or query.get("tax_id")),
            "soft_duplicates": [r for r in rows if not r["blocking"]],
            # On the create page, likely duplicates must be acknowledged before saving.
            "offer_create_anyway": not exclude_pk, "create_anyway": create_anyway}


class PartyDuplicatesCheckView(PartyView):
    """The duplicates panel, refreshed by htmx while the form is being filled in."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.has_perm("crm.add_party") or user.has_perm("crm.change_party")):
            raise PermissionDenied(_("Su rol no permite esta operación."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        query = _duplicate_query(request.GET)
        exclude_pk = request.GET.get("party") if str(request.GET.get("party", "")).isdigit() else None
        duplicates = find_duplicates(**query, exclude_pk=exclude_pk) if (query["display_name"] or query["tax_id"]) else []
        context = _duplicates_context(request.user, duplicates, query, exclude_pk=exclude_pk)
        return render(request, "crm/parties/_duplicates.html", context)


# --- Create and edit ------------------------------------------------------------------------

class _PartyFormView(PartyView):
    template_name = "crm/parties/form.html"

    def render_page(self, form, formsets, party=None, duplicates=None, status=200, conflict=None):
        context = self.context(form=form, formsets=formsets, object=party, duplicates_panel=duplicates,
                               detail_url=party_url(party.pk) if party else "",
                               check_url=reverse("crm:party-duplicates-check"),
                               edit_guard=edit_guard(self.request, party, conflict=conflict, form=form) if party else None)
        return render(self.request, self.template_name, context, status=status)

    def bound(self, party=None):
        form = PartyForm(self.request.POST, instance=party, user=self.request.user)
        formsets = party_formsets(self.request.POST)
        valid = form.is_valid() & all([fs.is_valid() for fs in formsets.values()])
        if valid and form.cleaned_data.get("account_manager") is None and not PartyForm._sees_all_parties(self.request.user):
            form.add_error("account_manager", _("Elija el gestor."))
            valid = False
        rows, row_forms = {}, {}
        if valid:
            for prefix, formset in formsets.items():
                rows[prefix], row_forms[prefix] = formset_rows(formset)
        return form, formsets, valid, rows, row_forms


class PartyCreateView(_PartyFormView):
    permissions = ("crm.add_party",)

    def get(self, request):
        form = PartyForm(user=request.user, initial={"kind": request.GET.get("kind") or PartyKind.PERSON})
        return self.render_page(form, party_formsets(), duplicates={"checked": False, "duplicates": []})

    def post(self, request):
        form, formsets, valid, rows, row_forms = self.bound()
        duplicates = None
        if valid:
            query = _duplicate_query(request.POST)
            duplicates = _duplicates_context(request.user, find_duplicates(**query), query,
                                             create_anyway=form.cleaned_data.get("create_anyway"))
            if duplicates["soft_duplicates"] and not form.cleaned_data.get("create_anyway"):
                form.add_error(None, _("Hay clientes que podrían ser este mismo (ver a la derecha). Si es otro cliente, "
                                       "marque «Crear de todos modos» y guarde de nuevo."))
                try:  # the rest of the errors now, not after the confirmation
                    party_validate(data=form.business_data(), **rows)
                except ValidationError as exc:
                    add_row_errors(exc, form, row_forms)
            else:
                try:
                    party = party_create(actor=request.user, data=form.business_data(), **rows)
                except (ValidationError, DomainError) as exc:
                    add_row_errors(exc, form, row_forms)
                else:
                    messages.success(request, _("Cliente «%(name)s» dado de alta.") % {"name": party})
                    return redirect(party_url(party.pk))
        return self.render_page(form, formsets, duplicates=duplicates or {"checked": False, "duplicates": []})


class PartyUpdateView(_PartyFormView):
    permissions = ("crm.change_party",)

    def get(self, request, pk):
        party = self.get_party(pk)
        duplicates = _duplicates_context(request.user, find_duplicates_of(party), {"tax_id": party.tax_id,
                                         "display_name": party.display_name}, exclude_pk=party.pk)
        return self.render_page(PartyForm(instance=party, user=request.user), party_formsets(party=party), party,
                                duplicates=duplicates)

    def post(self, request, pk):
        party = self.get_party(pk)
        form, formsets, valid, rows, row_forms = self.bound(party)
        # Someone saved the client meanwhile (or «Comparar»): the comparison, nothing saved (addresses,
        # phones and accounts are not compared: the form keeps what the user typed).
        conflict = edit_conflict(request, form=form, instance=party)
        if valid and conflict is None:
            data = form.business_data()
            tags = data.pop("tags")
            try:
                party = party_update(actor=request.user, party=party, data=data, tags=tags,
                                     expected_version=form.cleaned_data.get("version"), **rows)
            except StaleObjectError:
                conflict = edit_conflict(request, form=form, instance=party, stale=True)
            except (ValidationError, DomainError) as exc:
                add_row_errors(exc, form, row_forms)
            else:
                messages.success(request, _("Cliente «%(name)s» guardado.") % {"name": party})
                return redirect(party_url(party.pk))
        return self.render_page(form, formsets, party, duplicates={"checked": False, "duplicates": []},
                                conflict=conflict, status=conflict.status if conflict else 200)


# --- Merge ----------------------------------------------------------------------------------

def _field_rows(pairs: dict, *, shown=False) -> list[tuple]:
    """(label, before, after) of Party fields as people read them; `shown` values are already readable."""
    def readable(f, value):
        if shown or value in (None, "", []):
            return value
        if isinstance(value, list):
            return ", ".join(map(str, value))
        if f is not None and f.is_relation:
            return str(f.related_model._default_manager.filter(pk=value).first() or value)
        if f is not None and f.choices:
            return dict(f.flatchoices).get(value, value)
        parsed = parse_date(value) if isinstance(value, str) and len(value) == 10 else None
        return parsed.strftime("%d/%m/%Y") if parsed else value

    rows = []
    for name, (before, after) in pairs.items():
        try:
            f = Party._meta.get_field(name)
            label = capfirst(f.verbose_name)
        except FieldDoesNotExist:
            f, label = None, name
        rows.append((label, readable(f, before), readable(f, after)))
    return rows


class PartyMergeView(PartyView):
    permissions = ("crm.change_party", "crm.delete_party")
    template_name = "crm/parties/merge.html"

    def get(self, request, pk):
        party = self.get_party(pk)
        return self.render_page(party, request.GET)

    def post(self, request, pk):
        party = self.get_party(pk)
        form = MergeForm(request.POST)
        if form.is_valid():
            other = self.get_party(form.cleaned_data["other"])
            survivor, duplicate = self.pick(party, other, form.cleaned_data["survivor"])
            try:
                result = party_merge(actor=request.user, survivor=survivor, duplicate=duplicate)
            except (ValidationError, DomainError) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("«%(duplicate)s» se ha fusionado en «%(survivor)s»: %(moved)s registros movidos.")
                                 % {"duplicate": result.duplicate_repr, "survivor": survivor, "moved": result.moved_total})
                return redirect(party_url(survivor.pk))
        return self.render_page(party, request.POST, form=form)

    @staticmethod
    def pick(party, other, survivor_pk):
        return (other, party) if str(survivor_pk) == str(other.pk) else (party, other)

    def render_page(self, party, params, form=None):
        user = self.request.user
        context = self.context(party=party, form=form, detail_url=party_url(party.pk))
        other_pk = params.get("other")
        if other_pk:
            other = self.get_party(other_pk)
            survivor, duplicate = self.pick(party, other, params.get("survivor") or party.pk)
            context.update(other=other, survivor=survivor, duplicate=duplicate, pair=[party, other],
                           form=form or MergeForm(initial={"other": other.pk, "survivor": survivor.pk}))
            try:
                preview = merge_preview(survivor=survivor, duplicate=duplicate)
            except DomainError as exc:
                context["preview_error"] = exc.message
            else:
                context.update(preview=preview, filled_rows=_field_rows(preview.filled),
                               conflict_rows=_field_rows(preview.conflicts, shown=True))
        else:
            visible = visible_parties(user)
            candidates = find_duplicates_of(party)
            ids = set(visible.filter(pk__in=[d.party.pk for d in candidates]).values_list("pk", flat=True))
            context["candidates"] = [d for d in candidates if d.party.pk in ids]
            query = (params.get("q") or "").strip()
            if query:
                context["query"] = query
                context["results"] = list(visible.exclude(pk=party.pk).filter(
                    Q(display_name__icontains=query) | Q(tax_id__iexact=query.replace(" ", "").replace("-", "")))
                    .select_related("account_manager").order_by("display_name")[:SEARCH_LIMIT])
        return render(self.request, self.template_name, context)


# --- Relations ------------------------------------------------------------------------------

class PartyRelationAddView(PartyView):
    permissions = ("crm.change_party",)
    template_name = "crm/parties/relations.html"

    def get(self, request, pk):
        return self.render_page(self.get_party(pk), RelationForm())

    def post(self, request, pk):
        party = self.get_party(pk)
        form = RelationForm(request.POST)
        if form.is_valid():
            other = self.get_party(form.cleaned_data["other"])
            from_party, to_party, kind = form.relation(party, other)
            try:
                relation_add(actor=request.user, from_party=from_party, to_party=to_party, kind=kind,
                             notes=form.cleaned_data["notes"])
            except ValidationError as exc:
                # The service names the other party "to_party"; on this page it is the "other" field.
                add_service_errors(form, ValidationError(
                    {("other" if key == "to_party" else key): value for key, value in exc.message_dict.items()}))
            else:
                messages.success(request, _("Relación registrada."))
                return redirect("crm:party-relation-add", pk=party.pk)
        return self.render_page(party, form, other_pk=request.POST.get("other"))

    def render_page(self, party, form, other_pk=None):
        visible = visible_parties(self.request.user)
        query = (self.request.GET.get("q") or self.request.POST.get("q") or "").strip()
        results = []
        if query:
            results = list(visible.exclude(pk=party.pk).filter(
                Q(display_name__icontains=query) | Q(tax_id__iexact=query.replace(" ", "").replace("-", "")))
                .order_by("display_name")[:SEARCH_LIMIT])
        if other_pk and str(other_pk).isdigit() and all(str(p.pk) != str(other_pk) for p in results):
            results = list(visible.filter(pk=other_pk)) + results
        group = party_group(party)
        visible_ids = set(visible.filter(pk__in=[m.party.pk for m in group.members]).values_list("pk", flat=True))
        relations = party_relations(party)
        for item in relations:
            item.url = party_url(item.other.pk) if item.other.pk in visible_ids else ""
        for member in group.members:
            member.url = party_url(member.party.pk) if member.party.pk in visible_ids else ""
        context = self.context(party=party, form=form, query=query, results=results, chosen=str(other_pk or ""),
                               relations=relations, group=group, detail_url=party_url(party.pk))
        return render(self.request, self.template_name, context)


class PartyRelationDeleteView(PartyView):
    permissions = ("crm.change_party",)

    def post(self, request, pk, relation_pk):
        party = self.get_party(pk)
        try:
            relation = PartyRelation.objects.select_related("from_party", "to_party").get(
                Q(from_party=party) | Q(to_party=party), pk=relation_pk)
        except PartyRelation.DoesNotExist as exc:
            raise Http404(_("Esta relación ya no existe.")) from exc
        relation_delete(actor=request.user, relation=relation)
        messages.success(request, _("Relación eliminada."))
        return redirect("crm:party-relation-add", pk=party.pk)


urlpatterns = [
    path("clientes/nuevo/", PartyCreateView.as_view(), name="party-create"),
    path("clientes/duplicados/", PartyDuplicatesCheckView.as_view(), name="party-duplicates-check"),
    path("clientes/<int:pk>/editar/", PartyUpdateView.as_view(), name="party-update"),
    path("clientes/<int:pk>/fusionar/", PartyMergeView.as_view(), name="party-merge"),
    path("clientes/<int:pk>/relaciones/", PartyRelationAddView.as_view(), name="party-relation-add"),
    path("clientes/<int:pk>/relaciones/<int:relation_pk>/quitar/", PartyRelationDeleteView.as_view(),
         name="party-relation-delete"),
]
