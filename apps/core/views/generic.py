"""Generic staff pages driven by a Resource (apps.core.resources)."""
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, F, Func, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.views import View

from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.exports import csv_response, xlsx_response
from apps.core.forms import add_service_errors
from apps.core.permissions import visible_to
from apps.core.tables import columns_for, display_value


TRIGRAM = 3  # pg_trgm indexes serve LIKE '%…%' from three characters on


def _matching_ids(model, name: str, query: str):
    """The pks of the records whose `name` contains `query`: through a reverse foreign key, the
    related table alone (its own index, no join)."""
    first, _sep, rest = name.partition("__")
    field = model._meta.get_field(first)
    if rest and field.one_to_many and not _crosses_to_many(field.related_model, rest):
        related = field.related_model._base_manager.filter(**{f"{rest}__icontains": query})
        return related.order_by().values(field.field.attname)
    return model._base_manager.filter(**{f"{name}__icontains": query}).order_by().values("pk")


def _crosses_to_many(model, path: str) -> bool:
    """Whether following `path` from `model` goes through a relation that can repeat the row."""
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup or transform, not a relation
        if not field.is_relation:
            return False
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False


def search_condition(model, fields, query: str) -> Q:
    """The list pages' ?q=: any of the search fields contains the text (case-insensitive), each
    record once.

    Through a to-many relation (a party's phones and e-mails) an OR over a join would scan both
    tables and need DISTINCT. Instead the matching pks are collected first, each field on its own
    (trigram) index, `pk = ANY(ARRAY(ids of field 1 UNION ids of field 2 …))`; a query shorter
    than a trigram cannot use those indexes, so it stays a plain OR with one `IN` per to-many field.
    """
    to_many = [_crosses_to_many(model, name) for name in fields]
    if not any(to_many) or len(query) < TRIGRAM:
        condition = Q()
        for name, many in zip(fields, to_many, strict=True):
            condition |= Q(pk__in=_matching_ids(model, name, query)) if many else Q(**{f"{name}__icontains": query})
        return condition
    arms = [_matching_ids(model, name, query) for name in fields]
    ids = arms[0].union(*arms[1:]) if len(arms) > 1 else arms[0]
    # Found first (an InitPlan): a page of a few matches never walks the sort index of the whole
    # table looking for them, as `pk IN (…)` lets the planner do when it misjudges the matches.
    return Q(_PkAmong(F("pk"), Subquery(ids)))


class _PkAmong(Func):
    """`pk = ANY(ARRAY(subquery))`, a condition for filter()."""

    output_field = BooleanField()
    conditional = True

    def as_sql(self, compiler, connection, **extra_context):
        pk, ids = self.get_source_expressions()
        pk_sql, pk_params = compiler.compile(pk)
        ids_sql, ids_params = compiler.compile(ids)
        return f"{pk_sql} = ANY(ARRAY{ids_sql})", (*pk_params, *ids_params)


class ResourceView(LoginRequiredMixin, View):
    resource = None
    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.resource.perm(self.action)):
            raise PermissionDenied(_("Su rol no permite esta operación."))
        return super().dispatch(request, *args, **kwargs)

    def queryset(self):
        return visible_to(self.resource.base_queryset(), self.request.user, self.resource.owner_field)

    def get_object(self):
        try:
            return self.queryset().get(pk=self.kwargs["pk"])
        except self.resource.model.DoesNotExist as exc:
            raise Http404(_("No existe o no tiene acceso a este registro.")) from exc

    def base_context(self, **extra):
        r = self.resource
        return {
            "resource": r,
            "list_url": reverse(r.url_name("list")),
            "create_url": reverse(r.create_url_name) if r.create_url_name else (
                reverse(r.url_name("create")) if r.can_create else ""),
            "title": capfirst(r.verbose_name_plural),
            "can_create": (r.can_create or bool(r.create_url_name)) and self.request.user.has_perm(r.perm("add")),
            "can_edit": (r.can_edit or bool(r.update_url_name)) and self.request.user.has_perm(r.perm("change")),
            "can_delete": r.can_delete and self.request.user.has_perm(r.perm("delete")),
            **extra,
        }


class RecordListView(ResourceView):
    def filtered(self):
        r = self.resource
        filterset = r.get_filterset_class()(self.request.GET or None, queryset=self.queryset(), request=self.request)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.queryset()
        query = self.request.GET.get("q", "").strip()
        if query and r.search_fields:
            qs = qs.filter(search_condition(r.model, r.search_fields, query))
        columns = columns_for(r.model, r.list_fields)
        sortable = {c.name for c in columns if c.sortable}
        order = self.request.GET.get("o", "")
        if order.lstrip("-") in sortable:
            qs = qs.order_by(order, "-pk")
        return filterset, qs, columns, query, order

    def get(self, request, *args, **kwargs):
        r = self.resource
        filterset, qs, columns, query, order = self.filtered()
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            filename = slugify(str(r.verbose_name_plural)) or r.key
            return (csv_response if export == "csv" else xlsx_response)(qs, columns, filename)
        page = Paginator(qs, r.paginate_by).get_page(request.GET.get("page"))
        detail = r.url_name("detail")
        rows = [(reverse(detail, args=[obj.pk]), [(display_value(obj, c.name), c.numeric) for c in columns]) for obj in page.object_list]
        params = request.GET.copy()
        params.pop("page", None)
        sort_params = params.copy()
        sort_params.pop("o", None)
        context = self.base_context(
            filterset=filterset, columns=columns, rows=rows, page=page, query=query, order=order,
            querystring=params.urlencode(), sort_querystring=sort_params.urlencode(),
        )
        template = "core/generic/_table.html" if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "record-table" else "core/generic/list.html"
        return render(request, template, context)


class RecordDetailView(ResourceView):
    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        names = self.resource.detail_fields or self.resource.form_fields or self.resource.list_fields
        fields = [(c.label, display_value(obj, c.name)) for c in columns_for(self.resource.model, names)]
        r = self.resource
        context = self.base_context(
            object=obj, fields=fields, history=history_for(obj),
            update_url=reverse(r.update_url_name, args=[obj.pk]) if r.update_url_name else (
                reverse(r.url_name("update"), args=[obj.pk]) if r.can_edit else ""),
            delete_url=reverse(r.url_name("delete"), args=[obj.pk]) if r.can_delete else "",
            **(r.detail_context(obj, request) if r.detail_context else {}),
        )
        return render(request, r.detail_template, context)


class _FormView(ResourceView):
    """Shared POST handling; subclasses define save(form, obj) as create or update."""

    template_name = "core/generic/form.html"

    def render_form(self, form, obj=None, status=200):
        detail_url = reverse(self.resource.url_name("detail"), args=[obj.pk]) if obj else ""
        context = self.base_context(form=form, object=obj, detail_url=detail_url)
        return render(self.request, self.template_name, context, status=status)

    def post(self, request, *args, **kwargs):
        obj = self.get_object() if "pk" in kwargs else None
        form = self.resource.get_form_class()(request.POST, request.FILES, instance=obj)
        if form.is_valid():
            try:
                saved = self.save(form, obj)
            except (ValidationError, DomainError) as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s guardado correctamente.") % {"name": capfirst(self.resource.verbose_name)})
                return redirect(self.resource.url_name("detail"), pk=saved.pk)
        return self.render_form(form, obj, status=422 if request.headers.get("HX-Request") else 200)


class RecordCreateView(_FormView):
    action = "add"

    def get(self, request, *args, **kwargs):
        return self.render_form(self.resource.get_form_class()())

    def save(self, form, obj):
        return self.resource.create(actor=self.request.user, model=self.resource.model, data=form.business_data())


class RecordUpdateView(_FormView):
    action = "change"

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_form(self.resource.get_form_class()(instance=obj), obj)

    def save(self, form, obj):
        return self.resource.update(
            actor=self.request.user, instance=obj, data=form.business_data(),
            expected_version=form.cleaned_data.get("version"),
        )


class RecordDeleteView(ResourceView):
    action = "delete"

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        context = self.base_context(object=obj, detail_url=reverse(self.resource.url_name("detail"), args=[obj.pk]))
        return render(request, "core/generic/confirm_delete.html", context)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        try:
            self.resource.delete(actor=request.user, instance=obj, expected_version=request.POST.get("version") or None)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(self.resource.url_name("detail"), pk=obj.pk)
        messages.success(request, _("Registro eliminado."))
        return redirect(self.resource.url_name("list"))
