"""Pages of the accounting area «chart»: the chart of accounts as a tree, account detail, adding an
account below another, taking it out of use, the account of each posting role; plus the fiscal
years and periods pages (apps.accounting.views.periods). MENU entries are registered by
apps.accounting.navigation."""
from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from aitcore.registry import MenuEntry
from apps.accounting.forms.chart import AccountCreateForm, mapping_rows
from apps.accounting.models import Account, AccountMapping, EntryLine
from apps.accounting.services.accounts import account_set_active
from apps.accounting.services.chart import account_create
from apps.accounting.services.setup import ACCOUNT_ROLES, account_mapping_set
from apps.accounting.views import periods
from apps.accounting.views.guards import confirm_page, needs
from apps.audit.selectors import history_for
from apps.core.errors import DomainError
from apps.core.forms import add_service_errors

ACCOUNTING = _l("Contabilidad")
SEARCH_PAGE = 100
CHILDREN_SHOWN = 100


def ledger_url(code: str) -> str:
    """The Libro Mayor of an account (built by the books area)."""
    try:
        base = reverse("accounting:ledger")
    except NoReverseMatch:
        base = "/contabilidad/mayor/"
    return f"{base}?account={code}"


def account_url(account) -> str:
    return reverse("accounting:account-detail", args=[account.code])


def balances_by_code() -> dict[str, Decimal]:
    """Posted balance (debit - credit) of every account with postings, keyed by code: one query."""
    rows = (EntryLine.objects.filter(is_posted=True).values("account__code")
            .annotate(d=Sum("debit"), c=Sum("credit")).order_by())
    return {row["account__code"]: (row["d"] or 0) - (row["c"] or 0) for row in rows}


def rolled_up(codes, balances: dict) -> dict[str, Decimal]:
    """Balance of each of `codes` including its subaccounts (the hierarchy follows the code prefix)."""
    wanted = set(codes)
    totals = dict.fromkeys(wanted, Decimal("0.00"))
    for code, balance in balances.items():
        for length in range(1, len(code) + 1):
            if code[:length] in wanted:
                totals[code[:length]] += balance
    return totals


def _tree(accounts, party_counts: dict, balances: dict | None) -> list[dict]:
    """Groups (1 digit) > subgroups (2 digits) > the accounts below, flattened depth-first."""
    children: dict = {}
    for account in accounts:
        children.setdefault(account.parent_id, []).append(account)
    totals = rolled_up([a.code for a in accounts], balances) if balances is not None else {}

    def node(account, depth):
        return {"account": account, "depth": depth, "indent": min(max(depth - 2, 0), 2), "url": account_url(account),
                "balance": totals.get(account.code), "parties": party_counts.get(account.pk, 0)}

    def flatten(account, depth, out):
        out.append(node(account, depth))
        for child in children.get(account.pk, []):
            flatten(child, depth + 1, out)
        return out

    groups = []
    for group in children.get(None, []):
        item = node(group, 0)
        item["subgroups"] = []
        for sub in children.get(group.pk, []):
            entry = node(sub, 1)
            entry["rows"] = [row for child in children.get(sub.pk, []) for row in flatten(child, 2, [])]
            item["subgroups"].append(entry)
        groups.append(item)
    return groups


@needs("accounting.view_account")
@require_GET
def chart_view(request):
    query = request.GET.get("q", "").strip()
    show_balances = request.GET.get("saldos") == "1"
    balances = balances_by_code() if show_balances else None
    context = {"title": _("Plan de cuentas"), "query": query, "show_balances": show_balances,
               "open_all": request.GET.get("abrir") == "todo",
               "can_add": request.user.has_perm("accounting.add_account"),
               "create_url": reverse("accounting:account-create")}
    if query:
        condition = Q(code__startswith=query) if query.isdigit() else Q(name__icontains=query) | Q(code__startswith=query)
        matches = Account.objects.filter(condition).select_related("party").order_by("code")
        page = Paginator(matches, SEARCH_PAGE).get_page(request.GET.get("page"))
        totals = rolled_up([a.code for a in page.object_list], balances) if balances is not None else {}
        context["results"] = [{"account": a, "url": account_url(a), "balance": totals.get(a.code)}
                              for a in page.object_list]
        context["page"] = page
        params = request.GET.copy()
        params.pop("page", None)
        context["querystring"] = params.urlencode()
    else:
        accounts = list(Account.objects.filter(party__isnull=True).only(
            "pk", "code", "name", "parent_id", "is_postable", "is_active", "is_official").order_by("code"))
        party_counts = dict(Account.objects.filter(party__isnull=False).values("parent_id")
                            .annotate(n=Count("pk")).order_by().values_list("parent_id", "n"))
        context["groups"] = _tree(accounts, party_counts, balances)
    return render(request, "accounting/chart/tree.html", context)


def _account_or_404(code) -> Account:
    account = Account.objects.select_related("parent", "party").filter(code=code).first()
    if account is None:
        raise Http404(_("No existe la cuenta %s.") % code)
    return account


@needs("accounting.view_account")
@require_GET
def account_detail_view(request, code):
    account = _account_or_404(code)
    children = Account.objects.filter(parent=account).select_related("party").order_by("code")
    totals = EntryLine.objects.filter(account__code__startswith=account.code, is_posted=True).aggregate(
        debit=Sum("debit"), credit=Sum("credit"), lines=Count("pk"))
    debit, credit = totals["debit"] or Decimal("0.00"), totals["credit"] or Decimal("0.00")
    roles = [str(ACCOUNT_ROLES.get(m.role, (None, m.role))[1]) for m in AccountMapping.objects.filter(account=account)]
    user = request.user
    return render(request, "accounting/chart/detail.html", {
        "title": _("Plan de cuentas"), "object": account, "chart_url": reverse("accounting:chart"),
        "children": list(children[:CHILDREN_SHOWN]), "children_count": children.count(),
        "children_search_url": reverse("accounting:chart") + f"?q={account.code}",
        "debit": debit, "credit": credit, "balance": debit - credit, "line_count": totals["lines"],
        "roles": roles, "ledger_url": ledger_url(account.code), "history": history_for(account),
        "can_add": user.has_perm("accounting.add_account"),
        "can_change": user.has_perm("accounting.change_account"),
        "add_below_url": reverse("accounting:account-create") + f"?parent={account.code}",
        "active_url": reverse("accounting:account-active", args=[account.code]),
        "entries_url": reverse("accounting:entry-list") + f"?account={account.code}",
    })


@needs("accounting.add_account")
@require_http_methods(["GET", "POST"])
def account_create_view(request):
    parent = Account.objects.filter(code=request.GET.get("parent", "")).first()
    if request.method == "POST":
        form = AccountCreateForm(request.POST)
        if form.is_valid():
            try:
                account = account_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Cuenta %(code)s «%(name)s» creada.") % {"code": account.code,
                                                                                    "name": account.name})
                return redirect(account_url(account))
    else:
        form = AccountCreateForm(initial={"code": parent.code if parent else ""})
    return render(request, "accounting/chart/create.html", {
        "title": _("Plan de cuentas"), "form": form, "parent": parent, "chart_url": reverse("accounting:chart"),
        "cancel_url": account_url(parent) if parent else reverse("accounting:chart"),
    }, status=400 if form.errors else 200)


@needs("accounting.change_account")
@require_http_methods(["GET", "POST"])
def account_active_view(request, code):
    account = _account_or_404(code)
    activate = not account.is_active
    if request.method == "POST":
        try:
            account_set_active(actor=request.user, account=account, active=activate)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, (_("Cuenta %s dada de alta de nuevo.") if activate
                                       else _("Cuenta %s dada de baja: ya no admite apuntes.")) % account.code)
        return redirect(account_url(account))
    return confirm_page(
        request, title=_("Plan de cuentas"), cancel_url=account_url(account),
        breadcrumbs=[(reverse("accounting:chart"), _("Plan de cuentas")), (account_url(account), str(account))],
        heading=_("Reactivar la cuenta") if activate else _("Dar de baja la cuenta"),
        message=(_("La cuenta %s volverá a admitir apuntes.") if activate else
                 _("La cuenta %s dejará de admitir apuntes; los que ya tiene no cambian.")) % account,
        button=_("Sí, reactivar") if activate else _("Sí, dar de baja"), danger=not activate,
        icon="bi-toggle-on" if activate else "bi-toggle-off")


@needs("accounting.view_accountmapping")
@require_http_methods(["GET", "POST"])
def mappings_view(request):
    can_change = request.user.has_perm("accounting.change_accountmapping")
    mappings = {m.role: m.account for m in AccountMapping.objects.select_related("account")}
    status = 200
    if request.method == "POST":
        if not can_change:
            return redirect("accounting:mappings")
        rows, changed = mapping_rows(mappings, ACCOUNT_ROLES, data=request.POST)
        if any(row["error"] for row in rows):
            status = 400
        else:
            try:
                with transaction.atomic():
                    for role, account in changed.items():
                        account_mapping_set(actor=request.user, role=role, account=account)
            except DomainError as exc:
                messages.error(request, exc.message)
                status = 400
            else:
                messages.success(request, _("Cuentas por función guardadas (%d cambios).") % len(changed))
                return redirect("accounting:mappings")
    else:
        rows, _changed = mapping_rows(mappings, ACCOUNT_ROLES)
    return render(request, "accounting/chart/mappings.html", {
        "title": _("Cuentas por función"), "rows": rows, "can_change": can_change,
    }, status=status)


MENU = [
    MenuEntry(ACCOUNTING, _l("Plan de cuentas"), "accounting:chart", "bi-diagram-3", "accounting.view_account", 10),
    *periods.MENU,
    MenuEntry(ACCOUNTING, _l("Cuentas por función"), "accounting:mappings", "bi-signpost-split",
              "accounting.view_accountmapping", 13),
]
urlpatterns = [
    path("plan-de-cuentas/", chart_view, name="chart"),
    path("plan-de-cuentas/nueva/", account_create_view, name="account-create"),
    path("plan-de-cuentas/<str:code>/", account_detail_view, name="account-detail"),
    path("plan-de-cuentas/<str:code>/baja/", account_active_view, name="account-active"),
    path("cuentas-por-funcion/", mappings_view, name="mappings"),
    *periods.urlpatterns,
]
