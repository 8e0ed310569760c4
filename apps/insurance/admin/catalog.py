"""Admin of the catalog. Insurers (with contacts), products (with coverages) and lines save
through the catalog services, so the admin validates and audits exactly like the pages and the
API; the service's checks run in the forms' clean() so errors show beside the fields. Tariffs and
commission agreements are dated history: the admin shows them (tariff factors inline) and adds
agreements through agreement_create; editing a tariff happens on the staff page, which opens a
new dated version instead of overwriting one already used."""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.insurance.models import (
    CommissionAgreement, Coverage, Insurer, InsurerContact, Line, Product, Tariff, TariffFactor,
)
from apps.insurance.services.agreements import AGREEMENT_FIELDS, agreement_create, agreement_validate
from apps.insurance.services.catalog import (
    CONTACT_FIELDS, COVERAGE_FIELDS, INSURER_FIELDS, LINE_FIELDS, PRODUCT_FIELDS, clean_cif, clean_coverages,
    clean_dgsfp_code, insurer_create, insurer_update, line_update, product_create, product_update,
)


def _inline_rows(formset, fields) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append({name: data.get(name) for name in fields if name in data})
    return rows


def _data(form, fields) -> dict:
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


def _adopt(obj, saved) -> None:
    """The admin keeps working with `obj` (its inlines point at it): give it the saved state."""
    obj.pk = saved.pk
    obj.refresh_from_db()


class ServiceSavedAdmin(admin.ModelAdmin):
    """save_model/save_related call the service with the main form's data and the inline rows."""

    def save_model(self, request, obj, form, change):
        pass  # saved in save_related, together with the inline rows, by one service call

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        rows = _inline_rows(formsets[0], self.inline_fields) if formsets else None
        self.save_with_service(request, obj, form, change, rows)
        for formset in formsets:  # the admin's change message reads these (the service replaced the set)
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def save_with_service(self, request, obj, form, change, rows):  # pragma: no cover - abstract
        raise NotImplementedError


# --- Insurer --------------------------------------------------------------------------------------

class InsurerAdminForm(forms.ModelForm):
    class Meta:
        model = Insurer
        fields = "__all__"

    def clean_tax_id(self):
        try:
            return clean_cif(self.cleaned_data.get("tax_id"))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["tax_id"]) from None

    def clean_dgsfp_code(self):
        try:
            return clean_dgsfp_code(self.cleaned_data.get("dgsfp_code"))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["dgsfp_code"]) from None


class InsurerContactInline(admin.TabularInline):
    model = InsurerContact
    fields = CONTACT_FIELDS
    extra = 0


@admin.register(Insurer)
class InsurerAdmin(ServiceSavedAdmin):
    form = InsurerAdminForm
    inlines = [InsurerContactInline]
    inline_fields = CONTACT_FIELDS
    list_display = ["name", "tax_id", "dgsfp_code", "eiac_supported", "is_active"]
    list_filter = ["is_active", "eiac_supported"]
    search_fields = ["name", "legal_name", "tax_id", "dgsfp_code"]
    autocomplete_fields = ["party"]
    fields = list(INSURER_FIELDS)

    def save_with_service(self, request, obj, form, change, rows):
        data = _data(form, INSURER_FIELDS)
        if change:
            saved = insurer_update(actor=request.user, insurer=Insurer.objects.get(pk=obj.pk), data=data, contacts=rows)
        else:
            saved = insurer_create(actor=request.user, data=data, contacts=rows or None)
        _adopt(obj, saved)


# --- Line -----------------------------------------------------------------------------------------

@admin.register(Line)
class LineAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "dgsfp_class", "ips_applies", "clea_applies", "consorcio_basis", "consorcio_rate",
                    "is_active"]
    list_filter = ["is_life", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["code", "dgsfp_class", "is_life"]
    fields = ["code", "dgsfp_class", "is_life", *LINE_FIELDS]

    def has_add_permission(self, request):
        return False  # lines come from the line apps (apps/lines/<code>)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = line_update(actor=request.user, line=Line.objects.get(pk=obj.pk), data=_data(form, LINE_FIELDS))
        _adopt(obj, saved)


# --- Product --------------------------------------------------------------------------------------

class CoverageInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            clean_coverages(_inline_rows(self, COVERAGE_FIELDS))
        except ValidationError as exc:
            raise ValidationError([message for messages in exc.message_dict.values() for message in messages]) \
                from None


class CoverageInline(admin.TabularInline):
    model = Coverage
    formset = CoverageInlineFormSet
    fields = COVERAGE_FIELDS
    extra = 0


@admin.register(Product)
class ProductAdmin(ServiceSavedAdmin):
    inlines = [CoverageInline]
    inline_fields = COVERAGE_FIELDS
    list_display = ["name", "code", "insurer", "line", "is_active"]
    list_filter = ["is_active", "line", "insurer"]
    search_fields = ["name", "code", "insurer__name"]
    list_select_related = ["insurer", "line"]
    fields = list(PRODUCT_FIELDS)

    def save_with_service(self, request, obj, form, change, rows):
        data = _data(form, PRODUCT_FIELDS)
        if change:
            saved = product_update(actor=request.user, product=Product.objects.get(pk=obj.pk), data=data,
                                   coverages=rows)
        else:
            saved = product_create(actor=request.user, data=data, coverages=rows or None)
        _adopt(obj, saved)


# --- Tariff (read-only: versions are opened and edited on the staff page) ---------------------------

class TariffFactorInline(admin.TabularInline):
    model = TariffFactor
    fields = ["factor", "key", "band_from", "band_to", "value"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    inlines = [TariffFactorInline]
    list_display = ["product", "valid_from", "base_premium", "minimum_premium", "edit_link"]
    list_filter = ["product__insurer", "product__line"]
    search_fields = ["product__name", "product__code", "product__insurer__name"]
    list_select_related = ["product__insurer"]
    fields = ["product", "valid_from", "base_premium", "minimum_premium", "parameters", "notes", "edit_link"]
    readonly_fields = fields

    @admin.display(description=_("editar"))
    def edit_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("insurance:tariff-edit", args=[obj.pk]),
                           _("Editar o crear versión en la página de tarifas"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Commission agreements (added through the service, never changed) ------------------------------

@admin.register(CommissionAgreement)
class CommissionAgreementAdmin(admin.ModelAdmin):
    list_display = ["insurer", "product", "valid_from", "new_business_pct", "renewal_pct", "earned_on", "clawback_rule"]
    list_filter = ["insurer", "earned_on"]
    search_fields = ["insurer__name", "product__name"]
    list_select_related = ["insurer", "product"]
    date_hierarchy = "valid_from"
    fields = list(AGREEMENT_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def has_change_permission(self, request, obj=None):
        # The change page is a read-only view: a change is a new dated agreement.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = agreement_create(actor=request.user, data=_data(form, AGREEMENT_FIELDS))
        _adopt(obj, saved)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ServiceCheckedForm(form):
            def _post_clean(self):
                pass

            def clean(self):
                data = super().clean()
                if not self.errors:
                    try:
                        agreement_validate({k: data.get(k) for k in AGREEMENT_FIELDS if k in data})
                    except ValidationError as exc:
                        for field, messages in exc.message_dict.items():
                            for message in messages:
                                self.add_error(field if field in self.fields else None, message)
                return data

        return form
