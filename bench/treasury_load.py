"""Figure 8 of the bench: treasury (issue 7: "pain.008 for 10,000 debits: generation plus XSD validation
time; Norma 43 with 50,000 movements: import plus auto-reconciliation time and the share reconciled
automatically").

One brokerage of our own (cloned, bench_<pid>_tr) with figure 6's catalog and users, figure 6's policy
seeding (SQL) for `--tr-debits` direct-debit policies plus the policies behind the statement's receipt
lines, one receipt per policy due last month (SQL), one active mandate per client (bulk_create: 4 in 5 used
before, so RCUR, the rest FRST), and the collections bank account through bank_account_create. Then:

a) pain.008: remittance_create over the `--tr-debits` receipts, then remittance_generate (mandates checked
   again, XML built, validated against pain.008.001.02, stored). The XML build and the XSD validation are
   also timed apart: remittance_xml (build + validation, as the service runs it) and xml_validate alone on
   the stored file (3 runs); build = the first minus the second. Seconds, queries and file size.
b) Norma 43: a statement of `--tr-movements` movements written with apps.treasury.services.norma43_writer:
   80 % match something the books expect: 200 charged remittances (the one of a) marked charged in SQL
   plus 199 bulk-created), 200 insurer settlements (bulk-created, their payment on the statement with the
   settlement number), 5 % transfers of an open receipt's exact amount without its number (the amount rule
   proposes them) and the rest client transfers quoting the number of a receipt already collected by
   transfer (so the reconciliation links, and posts nothing: posting a collection is receipt_collect's cost,
   measured with the collections); 20 % match nothing (rent, suppliers, fees, taxes: debits). Timed:
   statement_import, then reconcile_auto over every pending line (seconds, queries, and how many lines
   ended reconciled, proposed and pending).

Every part records its own error and the others still run; the brokerage is dropped at the end.
"""
from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from bench.common import drop_tenant, error_text, figure_done, median, run_part, say, section_ran, step

REMITTANCES = 200
SETTLEMENTS = 200
PROPOSED_SHARE = 0.05
MATCHED_SHARE = 0.80
UNKNOWN = [("ALQUILER OFICINA", 1450, 1900), ("RECIBO SUMINISTRO ELECTRICO", 80, 420),
           ("COMISION MANTENIMIENTO", 6, 30),
           ("PAGO PROVEEDOR INFORMATICA", 120, 2400), ("TASA MUNICIPAL", 40, 600), ("CUOTA TARJETA EMPRESA", 20, 90)]


def _sql(statement: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


class Queries:
    """Counts the queries run inside the block (execute_wrapper: no debug cursor, no 9.000-query cap)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)

    def __len__(self):
        return self.count


def _month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    end = today.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


# --- set-up ------------------------------------------------------------------------------------------------

def seed_treasury(admin, catalog: dict, users: dict, debits: int, movements: int, schema: str) -> dict:
    """Policies (figure 6's seeding), last month's receipts, mandates and the bank account."""
    from django.db import transaction

    from apps.accounting.services import mapped_account
    from apps.collections.models import Receipt
    from apps.crm.demo_data import make_iban
    from apps.insurance.models import Policy
    from apps.treasury.models import Mandate
    from apps.treasury.services.accounts import bank_account_create
    from apps.treasury.validators import creditor_id_build
    from bench.common import TAX_ID
    from bench.insurance_load import seed_policies

    started = time.perf_counter()
    receipt_lines = int(movements * MATCHED_SHARE) - REMITTANCES - SETTLEMENTS
    seeded = seed_policies(catalog, users, debits + receipt_lines + receipt_lines // 10, schema)
    first, last = _month(datetime.date.today())
    p, r = Policy._meta.db_table, Receipt._meta.db_table
    rng = random.Random(8)
    with transaction.atomic():
        ids = list(Policy.objects.order_by("pk").values_list("pk", flat=True))
        _sql(f"UPDATE {p} SET state = 'in_force', cancellation_date = NULL, cancellation_reason = '', "
             f"payment_method = CASE WHEN id <= %s THEN 'broker_sepa' ELSE 'broker_other' END", [ids[debits - 1]])
        # one receipt per policy due last month: direct debits open; the others collected by transfer, except
        # every 15th open (the statement's amount-only lines); amounts distinct (7919 is prime to 150000)
        _sql(f"""INSERT INTO {r} (created_at, updated_at, version, policy_id, sequence, number, insurer_number,
                     insurer_id, line_id, policyholder_id, kind, is_first_premium, period_start, period_end, due_date,
                     net_premium, ips, consorcio, clea, total_premium, collector, state, collected_amount,
                     collected_on, collected_at, channel, return_reason, commission_rate, commission_amount,
                     advance_offset, notes)
                 SELECT now(), now(), 1, p.id, 1, p.number || '/001', '', p.insurer_id, p.line_id, p.policyholder_id,
                     'renewal', false, x.due, (x.due + interval '1 month' - interval '1 day')::date, x.due, x.amount,
                     0, 0, 0, x.amount, 'broker', CASE WHEN x.open THEN 'issued' ELSE 'collected' END,
                     CASE WHEN x.open THEN 0 ELSE x.amount END, CASE WHEN x.open THEN NULL ELSE x.due + 2 END,
                     CASE WHEN x.open THEN NULL ELSE now() END, CASE WHEN x.open THEN '' ELSE 'transfer' END,
                     '', 15, round(x.amount * 0.15, 2), 0, ''
                 FROM {p} p CROSS JOIN LATERAL (SELECT
                     (%(first)s::date + (p.id %% 28)::int) AS due,
                     (50 + ((p.id * 7919) %% 150000) / 100.0)::numeric(14, 2) AS amount,
                     (p.payment_method = 'broker_sepa' OR p.id %% 15 = 0) AS open) x""", {"first": first})
        parties = sorted(set(Policy.objects.values_list("policyholder_id", flat=True)))
        signed = first - datetime.timedelta(days=400)
        Mandate.objects.bulk_create([Mandate(
            reference=f"BENCH-{party:07d}", party_id=party, iban=make_iban(rng), signature_date=signed,
            uses=0 if n % 5 == 0 else 3, last_used_on=None if n % 5 == 0 else first - datetime.timedelta(days=30))
            for n, party in enumerate(parties)], batch_size=5000)
        bank = bank_account_create(actor=admin, name="Cuenta de cobros bench", iban="ES0200810216700001387524",
                                   bic="BSABESBB", account=mapped_account("bank"),
                                   creditor_id=creditor_id_build(TAX_ID),
                                   is_default=True)
    _sql(f'ANALYZE "{schema}"."{r}"')
    return {"policies": seeded["policies"], "receipts": Receipt.objects.count(), "mandates": len(parties),
            "bank_account": bank.pk, "month": [first.isoformat(), last.isoformat()],
            "seconds": round(time.perf_counter() - started, 1)}


# --- a) pain.008 ---------------------------------------------------------------------------------------------

def bench_pain008(admin, seed: dict, debits: int) -> dict:
    from django.db import transaction
    from django.db.models import Count

    from apps.collections.models import Receipt
    from apps.treasury.models import BankAccount
    from apps.treasury.services import sepa_xml
    from apps.treasury.services.remittances import remittance_create, remittance_generate, remittance_xml

    bank = BankAccount.objects.get(pk=seed["bank_account"])
    receipts = list(Receipt.objects.filter(policy__payment_method="broker_sepa").order_by("pk")
                    .values_list("pk", flat=True))
    collection = datetime.date.fromisoformat(seed["month"][0]) + datetime.timedelta(days=4)
    started = time.perf_counter()
    with Queries() as created_q, transaction.atomic():
        remittance = remittance_create(actor=admin, bank_account=bank, collection_date=collection, receipts=receipts)
    create_s = time.perf_counter() - started
    started = time.perf_counter()
    with Queries() as generated_q, transaction.atomic():
        xml = remittance_generate(actor=admin, remittance=remittance)
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    remittance_xml(remittance)
    build_and_validate_s = time.perf_counter() - started
    validations = []
    for _ in range(3):
        started = time.perf_counter()
        sepa_xml.xml_validate(xml, sepa_xml.DD_SCHEMA)
        validations.append(time.perf_counter() - started)
    validate_s = median(validations)
    remittance.refresh_from_db()
    sequences = dict(remittance.items.values_list("sequence_type").annotate(n=Count("pk")).order_by())
    return {"debits": remittance.count, "total": str(remittance.total), "remittance": remittance.pk,
            "number": remittance.number, "sequences": sequences,
            "create_s": round(create_s, 2), "create_queries": len(created_q),
            "generate_s": round(generate_s, 2), "generate_queries": len(generated_q),
            "xml_build_s": round(max(build_and_validate_s - validate_s, 0), 2), "xsd_validate_s": round(validate_s, 2),
            "file_bytes": len(xml.encode("utf-8"))}


# --- b) Norma 43 ------------------------------------------------------------------------------------------------

def _targets(admin, seed: dict, pain: dict | None) -> tuple[list, list]:
    """Charged remittances and closed settlements the statement pays (bulk_create; a)'s remittance charged)."""
    from apps.collections.models import Settlement
    from apps.insurance.models import Insurer
    from apps.treasury.models import Remittance

    first = datetime.date.fromisoformat(seed["month"][0])
    if pain:
        Remittance.objects.filter(pk=pain["remittance"]).update(state="charged")
    existing = list(Remittance.objects.filter(state="charged"))
    Remittance.objects.bulk_create([Remittance(
        number=f"REM-B-{n:05d}", bank_account_id=seed["bank_account"], state="charged",
        collection_date=first + datetime.timedelta(days=n % 28), total=Decimal(20_000 + n * 37) + Decimal("0.45"),
        count=40 + n % 60, created_by=admin) for n in range(REMITTANCES - len(existing))])
    insurers = list(Insurer.objects.order_by("pk"))
    Settlement.objects.bulk_create([Settlement(
        number=f"L-B-{n:06d}", insurer=insurers[n % len(insurers)],  # one period per insurer and settlement
        period_start=first - datetime.timedelta(days=1 + n // len(insurers)),
        period_end=first - datetime.timedelta(days=1 + n // len(insurers)),
        date=first + datetime.timedelta(days=n % 25), state="closed",
        amount_due=Decimal(30_000 + n * 53) + Decimal("0.17"), created_by=admin) for n in range(SETTLEMENTS)])
    return (list(Remittance.objects.filter(state="charged").order_by("pk")),
            list(Settlement.objects.filter(number__startswith="L-B-").order_by("pk")))


def write_statement(admin, seed: dict, pain: dict | None, movements: int) -> dict:
    from apps.collections.models import Receipt
    from apps.treasury.models import BankAccount
    from apps.treasury.services.norma43_writer import Movement, norma43_write

    started = time.perf_counter()
    first, last = (datetime.date.fromisoformat(d) for d in seed["month"])
    remittances, settlements = _targets(admin, seed, pain)
    rng = random.Random(43)
    lines = [Movement(r.collection_date, r.total, ("ABONO REMESA ADEUDOS SEPA", r.number), common_concept="06",
                      reference2=r.number) for r in remittances]
    lines += [Movement(s.date + datetime.timedelta(days=2), -s.amount_due,
                       ("TRANSFERENCIA EMITIDA", f"LIQ {s.number}"), common_concept="04") for s in settlements]
    open_receipts = Receipt.objects.filter(state="issued", policy__payment_method="broker_other").order_by("pk")
    amount_only = [Movement(due, amount, ("TRANSFERENCIA A SU FAVOR", "PAGO SEGURO"), common_concept="02")
                   for due, amount in open_receipts.values_list("due_date", "total_premium")
                   [:int(movements * PROPOSED_SHARE)]]
    lines += amount_only
    collected = Receipt.objects.filter(state="collected").order_by("pk")
    by_number = [Movement(on, amount, ("TRANSFERENCIA A SU FAVOR", f"RECIBO {number}"), common_concept="02")
                 for on, amount, number in collected.values_list("collected_on", "total_premium", "number")
                 [:int(movements * MATCHED_SHARE) - len(lines)]]
    lines += by_number
    proposed, matched = len(amount_only), len(by_number)
    while len(lines) < movements:
        label, low, high = rng.choice(UNKNOWN)
        cents = Decimal(rng.randint(low * 100, high * 100)) / 100
        lines.append(Movement(first + datetime.timedelta(days=rng.randint(0, (last - first).days)), -cents, (label,),
                              common_concept="99"))
    lines.sort(key=lambda m: m.operation_date)
    bank = BankAccount.objects.get(pk=seed["bank_account"])
    data = norma43_write(iban=bank.iban, start_date=first, end_date=last, opening_balance=Decimal("250000.00"),
                         movements=lines, holder="Bench tesoreria")
    return {"movements": len(lines), "remittance_lines": len(remittances), "settlement_lines": len(settlements),
            "amount_only_lines": proposed, "receipt_lines": matched, "unknown_lines": len(lines) - len(remittances)
            - len(settlements) - proposed - matched, "bytes": len(data), "data": data,
            "write_s": round(time.perf_counter() - started, 2)}


def bench_norma43(admin, statement: dict) -> dict:

    from apps.treasury.models import StatementLine
    from apps.treasury.services.norma43 import statement_import
    from apps.treasury.services.reconciliation import reconcile_auto

    data = statement.pop("data")
    started = time.perf_counter()
    with Queries() as imported_q:
        result = statement_import(actor=admin, data=data, file_name="bench.n43")
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    with Queries() as reconciled_q:
        summary = reconcile_auto(actor=admin)
    reconcile_s = time.perf_counter() - started
    lines = StatementLine.objects.count()
    states = {state: StatementLine.objects.filter(state=state).count() for state in ("reconciled", "proposed",
                                                                                    "pending")}
    return {"lines": result.created, "import_s": round(import_s, 2), "import_queries": len(imported_q),
            "reconcile_s": round(reconcile_s, 1), "reconcile_queries": len(reconciled_q),
            "lines_per_s": round(lines / reconcile_s) if reconcile_s else None,
            "summary": {"reconciled": summary.reconciled, "proposed": summary.proposed, "pending": summary.pending},
            "share": {k: round(100 * v / lines, 1) for k, v in states.items()}}


# --- the figure -------------------------------------------------------------------------------------------------

def bench_treasury(*, debits: int = 10_000, movements: int = 50_000) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.insurance_load import make_catalog, make_users
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("tr", use_template=True)
    schema = tenant.schema_name
    result = {"debits": debits, "movements": movements, "schema": schema, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
            users = make_users(admin, domain)
            catalog = make_catalog(admin)
        step(f"tr tenant {schema}: catalog of figure 6 through the services")
        run_part("seed", lambda: seed_treasury(admin, catalog, users, debits, movements, schema), schema=schema,
                 result=result, errors=errors, label="tr")
        if result.get("seed"):
            run_part("pain008", lambda: bench_pain008(admin, result["seed"], debits), schema=schema, result=result,
                     errors=errors, label="tr")
            run_part("statement", lambda: write_statement(admin, result["seed"], result.get("pain008"), movements),
                     schema=schema, result=result, errors=errors, label="tr")
        if result.get("statement"):
            run_part("norma43", lambda: bench_norma43(admin, result["statement"]), schema=schema, result=result,
                     errors=errors, label="tr")
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    if result.get("statement"):
        result["statement"].pop("data", None)
    return figure_done(result, started)


def treasury_report(tr: dict | None, why: str) -> None:
    """Section 8 of run.py's table. `why` is printed when the figure did not run."""
    if not section_ran(tr, "8. Treasury", why):
        return
    say(f"8. Treasury  (brokerage {tr['schema']}, whole figure {tr['wall_s']:.0f} s)")
    seed, pain, st, n43 = tr.get("seed"), tr.get("pain008"), tr.get("statement"), tr.get("norma43")
    if seed:
        say(f"   seed: {seed['policies']} policies, {seed['receipts']} receipts due {seed['month'][0]}.."
            f"{seed['month'][1]}, {seed['mandates']} mandates in {seed['seconds']:.1f} s (SQL / bulk_create)")
    if pain:
        say(f"   a) pain.008 of {pain['debits']} debits ({pain['total']} EUR; {pain['sequences']}), "
            f"{pain['file_bytes'] / 1e6:.1f} MB")
        say(f"      remittance_create {pain['create_s']:.2f} s ({pain['create_queries']} queries); remittance_generate "
            f"{pain['generate_s']:.2f} s ({pain['generate_queries']} queries) = XML build ~{pain['xml_build_s']:.2f} s "
            f"+ XSD validation {pain['xsd_validate_s']:.2f} s + checks and save")
    elif "pain008" in tr["errors"]:
        say(f"   a) FAILED: {tr['errors']['pain008']}")
    if st:
        say(f"   b) Norma 43 of {st['movements']} movements ({st['bytes'] / 1e6:.1f} MB, written in "
            f"{st['write_s']:.1f} s): "
            f"{st['remittance_lines']} remittances, {st['settlement_lines']} settlements, {st['receipt_lines']} "
            f"receipts by number, {st['amount_only_lines']} amount only, {st['unknown_lines']} unknown")
    if n43:
        sh, su = n43["share"], n43["summary"]
        say(f"      statement_import {n43['import_s']:.2f} s ({n43['import_queries']} queries); reconcile_auto "
            f"{n43['reconcile_s']:.1f} s ({n43['reconcile_queries']} queries, {n43['lines_per_s']} lines/s)")
        say(f"      reconciled automatically {sh['reconciled']} % ({su['reconciled']}), proposed {sh['proposed']} % "
            f"({su['proposed']}), pending {sh['pending']} % ({su['pending']})")
    elif "norma43" in tr["errors"]:
        say(f"      FAILED: {tr['errors']['norma43']}")
