"""Pages of the treasury area «bank accounts»: the list (CSV/XLSX) and the create/edit form.
Thin: changes go through apps.treasury.services.accounts."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.core.errors import DomainError
from apps.insurance.views.quotes import needs
from apps.treasury.forms import BankAccountForm
from apps.treasury.models import BankAccount
from apps.treasury.services.accounts import bank_account_create, bank_account_update, tenant_creditor_id
from apps.treasury.views._pages import SECTION, form_error, list_page, styled

TITLE = _l("Cuentas bancarias")
LIST_FIELDS = ["name", "iban", "bic", "creditor_id", "account", "is_default", "is_active"]
SORTABLE = {"name", "iban"}


def _edit_url(bank_account) -> str:
    return reverse("treasury:bank-account-update", args=[bank_account.pk])


@needs("treasury.view_bankaccount")
@require_GET
def bank_account_list_view(request):
    queryset = BankAccount.objects.select_related("account").order_by("name")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(name__icontains=query) | queryset.filter(iban__icontains=query.replace(" ", ""))
    return list_page(request, queryset, model=BankAccount, fields=LIST_FIELDS, sortable=SORTABLE, title=TITLE,
                     list_url=reverse("treasury:bank-account-list"), row_url=_edit_url,
                     create_url=reverse("treasury:bank-account-create"),
                     can_create=request.user.has_perm("treasury.add_bankaccount"), search_fields=("name", "iban"),
                     wrapper_id="bank-account-list", query=query)


def _form_page(request, form, *, bank_account=None, status=200):
    return render(request, "treasury/accounts/bank_account_form.html", {
        "title": _("Editar cuenta bancaria") if bank_account else _("Nueva cuenta bancaria"), "form": styled(form),
        "object": bank_account, "list_url": reverse("treasury:bank-account-list")}, status=status)


def _values(form) -> dict:
    values = dict(form.cleaned_data)
    if not values.get("creditor_id"):
        values["creditor_id"] = tenant_creditor_id()
    return values


def _save(request, form, save, bank_account=None):
    if not form.is_valid():
        return _form_page(request, form, bank_account=bank_account, status=400)
    try:
        saved = save(_values(form))
    except DomainError as exc:
        return _form_page(request, form, bank_account=bank_account, status=form_error(form, exc))
    messages.success(request, _("Cuenta bancaria %s guardada.") % saved.name)
    return redirect("treasury:bank-account-list")


@needs("treasury.add_bankaccount")
@require_http_methods(["GET", "POST"])
def bank_account_create_view(request):
    if request.method == "GET":
        return _form_page(request, BankAccountForm(initial={"is_active": True}))
    return _save(request, BankAccountForm(request.POST),
                 lambda values: bank_account_create(actor=request.user, **values))


@needs("treasury.change_bankaccount")
@require_http_methods(["GET", "POST"])
def bank_account_update_view(request, pk):
    bank_account = get_object_or_404(BankAccount, pk=pk)
    if request.method == "GET":
        return _form_page(request, BankAccountForm(instance=bank_account), bank_account=bank_account)
    return _save(request, BankAccountForm(request.POST, instance=bank_account),
                 lambda values: bank_account_update(actor=request.user, bank_account=bank_account, **values),
                 bank_account)


MENU = [
    MenuEntry(section=SECTION, label=TITLE, url_name="treasury:bank-account-list", icon="bi-bank",
              permission="treasury.view_bankaccount", order=10),
]

urlpatterns = [
    path("cuentas/", bank_account_list_view, name="bank-account-list"),
    path("cuentas/nueva/", bank_account_create_view, name="bank-account-create"),
    path("cuentas/<int:pk>/editar/", bank_account_update_view, name="bank-account-update"),
]
