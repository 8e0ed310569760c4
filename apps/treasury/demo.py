"""Demo treasury for the demo brokerage (issue 7 item 9); runs after the collections and claims demos.

1. Bank accounts: «Cuenta de cobros» (Banco Sabadell, the default one, SEPA creditor identifier built from
   the brokerage's NIF) and «Cuenta de pagos» (CaixaBank). Both on the ledger account the books use for the
   bank (mapped role "bank", 572): the accounting demo posts to 572 from its first day, and an account with
   postings cannot get 5720001-style subaccounts (apps.accounting.services.chart.account_create refuses).
2. A SEPA mandate (CORE, recurrent) for every client holding a policy paid by direct debit: the IBAN of the
   client's primary bank account in the CRM (one built with schwifty when there is none), signed a few days
   before the client's first policy started (at most 34 months ago: older clients signed again before their
   mandate expired). A client debited before last month gets that last debit registered
   (mandate_register_use), so the next debit goes RCUR; a new client's first one is FRST, and so is the
   next debit of the ~6 % who changed bank account since their last debit (mandate_amend).
3. Last month's remittance: the direct debits the collections demo left open for it
   (apps.collections.demo.left_for_remittance), created, generated (pain.008 stored, XSD-checked) and charged
   on the first weekday from the 5th; two debits returned through return_record: AM04 (insufficient funds,
   may go again) with a 3,50 € fee, and AC04 (account closed).
4. The Norma 43 statement of the collections account for last month (apps.treasury.demo_statement).

Runs once: each step skips what exists (accounts by IBAN, mandates per client, the remittance and the
statement when one exists)."""
import datetime
import random
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from aitcore.registry import registry
from apps.insurance.choices import PaymentMethod, PolicyState
from apps.treasury.models import BankAccount, Mandate, Remittance

# name, bank code, branch, account number, collections account?
ACCOUNTS = [("Cuenta de cobros · Banco Sabadell", "0081", "0216", "0001387524", True),
            ("Cuenta de pagos · CaixaBank", "2100", "4512", "0200093871", False)]
CRM_BANKS = ["2100", "0049", "0182", "0081", "2080", "0128", "3058", "0075", "2085", "1465"]
SIGNED_WITHIN_MONTHS = 34
AMENDED_SHARE = 0.06  # clients who changed bank account since their last debit (FRST again)
RETURN_FEE = Decimal("3.50")
RETURNS = [("AM04", 3, RETURN_FEE), ("AC04", 4, Decimal("0"))]  # code, weekdays after the charge, fee


def weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def last_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _iban(bank: str, branch: str, number: str) -> str:
    return IBAN.generate("ES", bank_code=bank, branch_code=branch, account_code=number).compact


def _bic(iban: str) -> str:
    try:
        return str(IBAN(iban).bic or "")
    except SchwiftyException:
        return ""


# --- 1. bank accounts ---------------------------------------------------------------------------------------

def _bank_accounts(admin) -> tuple[BankAccount, int]:
    from apps.accounting.services import mapped_account
    from apps.treasury.services.accounts import bank_account_create, tenant_creditor_id

    ledger, made, collections = mapped_account("bank"), 0, None
    for name, bank, branch, number, is_collections in ACCOUNTS:
        iban = _iban(bank, branch, number)
        account = BankAccount.objects.filter(iban=iban).first()
        if account is None:
            account = bank_account_create(actor=admin, name=name, iban=iban, bic=_bic(iban), account=ledger,
                                          creditor_id=tenant_creditor_id() if is_collections else "",
                                          is_default=is_collections)
            made += 1
        if is_collections:
            collections = account
    return collections, made


# --- 2. mandates ----------------------------------------------------------------------------------------------

def _client_iban(rng, party) -> str:
    for account in party.bank_accounts.all():
        try:
            return IBAN(account.iban).compact
        except SchwiftyException:
            continue
    return _random_iban(rng)


def _random_iban(rng) -> str:
    return _iban(rng.choice(CRM_BANKS), f"{rng.randint(1, 9999):04d}", f"{rng.randint(0, 10 ** 10 - 1):010d}")


def _mandates(admin, rng, today: datetime.date, charge_date: datetime.date) -> dict:
    from apps.collections.choices import CollectionChannel, ReceiptMovementKind
    from apps.collections.models import ReceiptMovement
    from apps.crm.models import Party
    from apps.insurance.models import Policy
    from apps.insurance.services.policy_dates import add_months
    from apps.treasury.services.mandates import mandate_amend, mandate_create, mandate_register_use

    first_start = dict(Policy.objects.filter(payment_method=PaymentMethod.BROKER_SEPA)
                       .exclude(state=PolicyState.DRAFT).values("policyholder_id").annotate(first=Min("start_date"))
                       .values_list("policyholder_id", "first"))
    have = set(Mandate.objects.filter(party_id__in=first_start).values_list("party_id", flat=True))
    wanted = sorted(set(first_start) - have)
    last_debit = dict(ReceiptMovement.objects.filter(
        kind=ReceiptMovementKind.COLLECTION, channel=CollectionChannel.SEPA, date__lt=last_month(today)[0],
        receipt__policyholder_id__in=wanted).values("receipt__policyholder_id").annotate(last=Max("date"))
        .values_list("receipt__policyholder_id", "last"))
    floor = add_months(today, -SIGNED_WITHIN_MONTHS)
    counts = {"mandates": 0, "with_history": 0, "amended": 0}
    for party in Party.objects.filter(pk__in=wanted).prefetch_related("bank_accounts").order_by("pk"):
        signed = max(first_start[party.pk] - datetime.timedelta(days=rng.randint(3, 25)), floor)
        signed = min(signed, charge_date - datetime.timedelta(days=rng.randint(2, 9)), today)
        iban, debit = _client_iban(rng, party), last_debit.get(party.pk)
        amended = bool(debit and debit >= signed and rng.random() < AMENDED_SHARE)
        first_iban = _random_iban(rng) if amended else iban
        mandate = mandate_create(actor=admin, party=party, iban=first_iban, bic=_bic(first_iban), signature_date=signed)
        counts["mandates"] += 1
        if debit and debit >= signed:
            mandate_register_use(actor=admin, mandate=mandate, on_date=debit)
            counts["with_history"] += 1
        if amended:  # the client moved to the account the CRM knows: the next debit is FRST again
            mandate_amend(actor=admin, mandate=mandate, iban=iban, bic=_bic(iban),
                          on_date=min(debit + datetime.timedelta(days=rng.randint(3, 20)), charge_date))
            counts["amended"] += 1
    return counts


# --- 3. last month's remittance and its returns ---------------------------------------------------------------

def _amounts_in_use() -> set:
    from apps.collections.models import Settlement

    return set(Settlement.objects.values_list("amount_due", flat=True))


def _remittance(admin, rng, bank: BankAccount, today: datetime.date, charge_date: datetime.date) -> dict:
    from apps.collections.demo import left_for_remittance
    from apps.treasury.services.remittances import remittance_charge, remittance_create, remittance_generate
    from apps.treasury.services.returns import return_record

    receipts = list(left_for_remittance(today).order_by("due_date", "pk"))
    if not receipts:
        return {}
    remittance = remittance_create(actor=admin, bank_account=bank, collection_date=charge_date, receipts=receipts,
                                   skip_invalid=True)
    remittance_generate(actor=admin, remittance=remittance)
    remittance = remittance_charge(actor=admin, remittance=remittance, date=charge_date)
    taken = _amounts_in_use()  # a return's debit must not look like an insurer settlement's payment
    items = [item for item in remittance.items.select_related("receipt").order_by("pk") if item.amount not in taken]
    chosen = rng.sample(items, len(RETURNS)) if len(items) >= len(RETURNS) else []
    for item, (code, after, fee) in zip(chosen, RETURNS):
        day = charge_date
        for _n in range(after):
            day = weekday_on_or_after(day + datetime.timedelta(days=1))
        return_record(actor=admin, item=item, date=min(day, today), code=code, fee=fee, notify_client=False)
    return {"remittance": remittance.number, "debits": remittance.count, "total": str(remittance.total),
            "left_out": len(receipts) - remittance.count, "returned": len(chosen)}


def _real_tenant() -> None:
    """seed_demo runs inside schema_context, whose tenant is a stand-in without NIF or name: the creditor
    identifier (tenant_creditor_id) and the pain.008's creditor name need the brokerage's own row."""
    from apps.tenancy.models import Tenant

    if not getattr(connection.tenant, "tax_id", ""):
        tenant = Tenant.objects.filter(schema_name=connection.schema_name).first()
        if tenant is not None:
            connection.set_tenant(tenant)


# --- the seeder ---------------------------------------------------------------------------------------------------

def treasury_demo_seed(*, admin, today: datetime.date | None = None) -> dict:
    """The demo's bank accounts, mandates, last month's remittance and statement (see the module doc)."""
    from apps.collections.models import Receipt
    from apps.treasury.demo_statement import statement_seed
    from apps.treasury.models import Statement

    if not Receipt.objects.exists():
        return {}
    _real_tenant()
    today = today or timezone.localdate()
    rng = random.Random(2026_7)
    charge_date = weekday_on_or_after(last_month(today)[0] + datetime.timedelta(days=4))
    done = {}
    with transaction.atomic():
        bank, done["bank_accounts"] = _bank_accounts(admin)
        done.update(_mandates(admin, rng, today, charge_date))
    if not Remittance.objects.exists():
        with transaction.atomic():
            done.update(_remittance(admin, rng, bank, today, charge_date))
    if not Statement.objects.exists():
        with transaction.atomic():
            done["statement"] = statement_seed(admin=admin, bank=bank, today=today)
    return done


registry.register_demo_seeder(treasury_demo_seed)
