"""Demo insurance book for the demo brokerage: nine insurers (the five of apps/accounting/demo.py,
linked to their CRM parties, plus four more), ~34 products over the eight lines (each line
offered by at least three insurers) with coverages, IPID, dated tariffs and commission
agreements, ~3.000 policies over the last three years and ~40 quotes in every state.

The catalog, the quotes and a few dozen policies go through the services (audit trail, versions,
state changes, events). The bulk of the policies is written with bulk_create (Policy, then
PolicyVersion, then PolicyStateChange): at demo volume the services (advisory lock, audit event
and several queries per policy) would take minutes, while the premiums still come from the real
rating path (rate_product with every tariff table loaded once).

Runs once: skips if any insurer exists. `insurance_demo_seed(admin=...)` is registered as a demo
seeder by apps.insurance.navigation; it runs after the CRM and accounting seeders (app order)."""
import datetime
import random
import unicodedata
from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from apps.insurance import demo_data as data
from apps.insurance.choices import (
    AdviceKind, CancellationReason, PaymentFrequency, PaymentMethod, PolicyState, VersionKind,
)
from apps.insurance.models import Insurer, Policy

DEMO_POLICIES = 3000
DEMO_QUOTES = 40
SERVICE_POLICIES = 30  # placed through the services (the rest: bulk, see the module doc)
BATCH = 2000
SCALED_PARAMS = ("per_mille", "per_member", "per_employee", "rate")
FREQUENCIES = [PaymentFrequency.ANNUAL] * 5 + [PaymentFrequency.SEMIANNUAL] * 2 + [
    PaymentFrequency.QUARTERLY] * 2 + [PaymentFrequency.MONTHLY] * 3
METHODS = [PaymentMethod.BROKER_SEPA] * 6 + [PaymentMethod.BROKER_OTHER] + [PaymentMethod.INSURER] * 3
ENDORSE_REASONS = ["Cambio de domicilio del riesgo", "Actualización de capitales", "Cambio de vehículo",
                   "Alta de asegurado", "Modificación de garantías a petición del tomador"]


def _with_check(body: str) -> str:
    from stdnum.es import cif

    digit, letter = cif.calc_check_digits(body)
    return body + (digit if body[0] in "ABEHV" else letter)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _scaled(value, scale: Decimal) -> Decimal:
    return (Decimal(str(value)) * scale).quantize(Decimal("0.01"))


def _scale_parameters(parameters: dict, scale: Decimal) -> dict:
    """Prices scale; limits (ages, maxima, flags, days) do not."""
    out = {}
    for name, value in parameters.items():
        if any(part in name for part in SCALED_PARAMS) and not name.startswith(("max_", "min_", "require_")):
            out[name] = str((Decimal(str(value)) * scale).quantize(Decimal("0.0001")))
        else:
            out[name] = value
    return out


class _Numbers:
    """Policy numbers per insurer: <prefix>-<year>-<7 digits>, never repeated."""

    def __init__(self, rng):
        self.prefix = {}
        self.serial = defaultdict(lambda: rng.randint(100_000, 900_000))

    def next(self, insurer, year: int) -> str:
        self.serial[insurer.pk] += 1
        return f"{self.prefix[insurer.pk]}-{year}-{self.serial[insurer.pk]:07d}"


# --- catalog ---------------------------------------------------------------------------------

def _insurers(admin, rng, numbers: _Numbers) -> list:
    from apps.crm.models import Party
    from apps.crm.services.parties import party_create
    from apps.insurance.services.catalog import insurer_create

    insurers = []
    for i, (name, legal, body, code, prefix, host, eiac, _level) in enumerate(data.INSURERS):
        tax_id = _with_check(body)
        party = Party.objects.filter(tax_id=tax_id).first() or party_create(
            actor=admin, data={"kind": "company", "company_name": name, "tax_id": tax_id, "status": "prospect"})
        slug = host.split(".")[1]
        contacts = [{"name": n, "role": r, "email": f"{_ascii(n.split()[0]).lower()}@{slug}.example",
                     "phone": f"+34 96{rng.randint(1, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}"}
                    for n, r in rng.sample(data.CONTACT_NAMES, 2 + i % 2)]
        insurer = insurer_create(actor=admin, data={
            "name": name, "legal_name": legal, "tax_id": tax_id, "dgsfp_code": code, "portal_url": f"https://{host}/",
            "phone": f"+34 90{i} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            "email": f"mediadores@{slug}.example",
            "claims_phone": f"+34 900 {rng.randint(100, 999)} {rng.randint(100, 999)}", "eiac_supported": eiac,
            "party": party}, contacts=contacts)
        numbers.prefix[insurer.pk] = prefix
        insurers.append(insurer)
    return insurers


def _products(admin, rng, insurers: list, today: datetime.date) -> list:
    from apps.insurance.lines import get_line, registered_lines
    from apps.insurance.services.agreements import agreement_create
    from apps.insurance.services.catalog import product_create
    from apps.insurance.services.lines import line_for
    from apps.insurance.services.tariffs import tariff_create_version, tariff_update

    first_tariff = datetime.date(today.year - 3, 1, 1)
    products = []
    registered = {spec.code for spec in registered_lines()}
    for line_code, offer in data.LINE_OFFER.items():
        if line_code not in registered:
            continue
        spec = get_line(line_code)
        line = line_for(line_code)
        template = spec.tariff_template()
        coverages = [{"code": c, "name": n, "kind": k, "limit": lim, "limit_text": lt or "", "deductible": d or 0}
                     for c, n, k, lim, lt, d in template.coverages]
        for n, index in enumerate(offer):
            insurer = insurers[index]
            product = product_create(actor=admin, data={
                "insurer": insurer, "line": line, "code": f"{line_code[:3].upper()}-{n + 1:02d}",
                "name": data.PRODUCT_NAMES[line_code][n], **data.ipid_texts(line_code)}, coverages=coverages)
            scale = Decimal(data.INSURERS[index][7]) * Decimal(str(round(rng.uniform(0.95, 1.06), 3)))
            tariff = tariff_create_version(actor=admin, product=product, valid_from=first_tariff)
            tariff_update(actor=admin, tariff=tariff, today=today, data={
                "base_premium": _scaled(tariff.base_premium, scale),
                "minimum_premium": _scaled(tariff.minimum_premium, scale),
                "parameters": _scale_parameters(tariff.parameters or {}, scale)})
            # later tariff versions for some products: +3 % from 2025, +4,5 % from 2026
            for year, rise, every in ((today.year - 1, "1.03", 2), (today.year, "1.045", 3)):
                if n % every == 0:
                    tariff = tariff_create_version(actor=admin, product=product, valid_from=datetime.date(year, 1, 1))
                    tariff_update(actor=admin, tariff=tariff, today=today, data={
                        "base_premium": _scaled(tariff.base_premium, Decimal(rise)),
                        "minimum_premium": _scaled(tariff.minimum_premium, Decimal(rise)),
                        "parameters": _scale_parameters(tariff.parameters or {}, Decimal(rise))})
            if n == 0 and index % 2 == 1:  # a product with its own agreement
                agreement_create(actor=admin, data={"insurer": insurer, "product": product, "valid_from": first_tariff,
                                                    "new_business_pct": Decimal("22.50"),
                                                    "renewal_pct": Decimal("17.50")})
            products.append(product)
    for i, insurer in enumerate(insurers):
        new_business = Decimal(rng.choice(["12.00", "15.00", "18.00", "20.00", "25.00"]))
        agreement_create(actor=admin, data={"insurer": insurer, "valid_from": first_tariff,
                                            "new_business_pct": new_business,
                                            "renewal_pct": new_business - Decimal("3.00"),
                                            "earned_on": rng.choice(["collection", "issue"])})
        if i % 3 == 0:  # renegotiated from this year on
            agreement_create(actor=admin, data={"insurer": insurer, "valid_from": datetime.date(today.year, 1, 1),
                                                "new_business_pct": new_business + Decimal("2.00"),
                                                "renewal_pct": new_business - Decimal("1.00"),
                                                "notes": "Acuerdo renegociado para el nuevo ejercicio."})
    return products


# --- rating once per risk, tariffs loaded once --------------------------------------------------

class _Rater:
    def __init__(self, products):
        from apps.insurance.models import Tariff, TariffFactor
        from apps.insurance.rating import TariffTable
        from apps.insurance.selectors_policies import coverages_snapshot

        factors = defaultdict(list)
        for row in TariffFactor.objects.filter(tariff__product__in=products).order_by("factor", "band_from", "key"):
            factors[row.tariff_id].append(row)
        self.tables = defaultdict(list)
        for tariff in Tariff.objects.filter(product__in=products).order_by("valid_from"):
            self.tables[tariff.product_id].append((tariff.valid_from, TariffTable(tariff, factors=factors[tariff.pk])))
        self.coverages = {p.pk: coverages_snapshot(p) for p in products}

    def rate(self, product, risk: dict, on_date: datetime.date):
        from apps.insurance.services.rating import rate_product

        in_force = [table for valid_from, table in self.tables[product.pk] if valid_from <= on_date]
        if not in_force:
            return None
        rating = rate_product(product=product, risk=risk, on_date=on_date, tariff=in_force[-1])
        return rating if rating.eligible else None


def _risk(spec, rng) -> dict:
    from apps.insurance.services.risks import risk_validate

    draw = spec.demo_risk(rng) if spec.demo_risk else spec.sample_risk()
    return risk_validate(line_code=spec.code, raw=draw)


class _RiskPool:
    """POOL validated demo risks per line, drawn from at random: validating every one of 3.000
    risks through the line's forms would be most of the seed's time."""

    POOL = 80

    def __init__(self, rng):
        self.rng = rng
        self.pools = {}

    def draw(self, spec) -> dict:
        pool = self.pools.get(spec.code)
        if pool is None:
            pool = self.pools[spec.code] = [_risk(spec, self.rng) for _ in range(self.POOL)]
        return self.rng.choice(pool)


def _rated_risk(spec, product, rng, rater: _Rater, on_date: datetime.date, tries: int = 8, pool=None):
    """A demo risk this product takes on `on_date` and its rating, or (None, None)."""
    for _ in range(tries):
        risk = pool.draw(spec) if pool is not None else _risk(spec, rng)
        rating = rater.rate(product, risk, on_date)
        if rating is not None:
            return risk, rating
    return None, None


# --- bulk policies ---------------------------------------------------------------------------

def _bulk_policies(admin, rng, products, clients, count: int, numbers: _Numbers, today: datetime.date,
                   rater: _Rater) -> int:
    """`count` Policy rows (renewal chains count each term) with their versions and state changes."""
    from apps.insurance.lines import get_line
    from apps.insurance.models import Policy, PolicyStateChange, PolicyVersion
    from apps.insurance.services.policy_dates import add_months, policy_expiry
    from apps.insurance.services.risks import json_safe

    one_day = datetime.timedelta(days=1)
    pool = _RiskPool(rng)
    # generation -> [(policy, versions [(kind, date, reason, risk, rating)], changes [(from, to, date)])]
    generations = defaultdict(list)
    made = 0
    while made < count:
        product = rng.choice(products)
        spec = get_line(product.line.code)
        kind = rng.choices(["in_force", "chain", "expired", "cancelled", "suspended", "draft"],
                           weights=[60, 13, 9, 11, 5, 2])[0]
        if kind == "draft":
            start = today + datetime.timedelta(days=rng.randint(5, 45))
        elif kind == "expired":
            start = today - datetime.timedelta(days=rng.randint(370, 3 * 365 - 30))
        elif kind == "cancelled":
            start = today - datetime.timedelta(days=rng.randint(40, 3 * 365 - 30))
        elif kind == "suspended":
            start = today - datetime.timedelta(days=rng.randint(60, 330))
        else:
            start = today - datetime.timedelta(days=rng.randint(0, 364))
        terms = [start]
        if kind == "chain":
            for _ in range(rng.randint(1, 2)):
                terms.insert(0, add_months(terms[0], -12))
        risk, rating = _rated_risk(spec, product, rng, rater, terms[0], pool=pool)
        if risk is None:
            continue
        client = rng.choice(clients)
        number = numbers.next(product.insurer, terms[0].year)
        frequency, method = rng.choice(FREQUENCIES), rng.choice(METHODS)
        for generation, term_start in enumerate(terms):
            last = generation == len(terms) - 1
            expiry = policy_expiry(term_start, 12)
            term_rating = rating if generation == 0 else (rater.rate(product, risk, term_start) or rating)
            versions = [(VersionKind.ISSUE if generation == 0 else VersionKind.RENEWAL, term_start, "", risk,
                         term_rating)]
            changes = [("", PolicyState.DRAFT, term_start)]
            state = PolicyState.IN_FORCE
            extra = {}
            if kind == "draft":
                state = PolicyState.DRAFT
            else:
                changes.append((PolicyState.DRAFT, PolicyState.IN_FORCE, term_start))
            if not last:
                state = PolicyState.RENEWED
                changes.append((PolicyState.IN_FORCE, PolicyState.RENEWED, expiry + one_day))
            elif kind == "expired":
                state = PolicyState.EXPIRED
                extra["tacit_renewal"] = False
                changes.append((PolicyState.IN_FORCE, PolicyState.EXPIRED, expiry + one_day))
            elif kind == "cancelled":
                span = (min(expiry, today) - term_start).days
                when = term_start + datetime.timedelta(days=rng.randint(min(15, span), span))
                reason = rng.choice(CancellationReason.values)
                state = PolicyState.CANCELLED
                extra.update(cancellation_date=when, cancellation_reason=reason)
                versions.append((VersionKind.CANCELLATION, when, str(CancellationReason(reason).label), risk,
                                 term_rating))
                changes.append((PolicyState.IN_FORCE, PolicyState.CANCELLED, when))
            elif kind == "suspended":
                when = term_start + datetime.timedelta(days=rng.randint(30, (today - term_start).days))
                state = PolicyState.SUSPENDED
                changes.append((PolicyState.IN_FORCE, PolicyState.SUSPENDED, when))
            if kind in ("in_force", "chain") and last and rng.random() < 0.12 and (today - term_start).days > 40:
                when = term_start
                for _ in range(rng.randint(1, 2)):  # 2-3 versions
                    when = when + datetime.timedelta(days=rng.randint(10, max(10, (today - when).days // 2)))
                    new_risk, new_rating = _rated_risk(spec, product, rng, rater, term_start, pool=pool)
                    if new_risk is not None and when <= today:
                        versions.append((VersionKind.ENDORSEMENT, when, rng.choice(ENDORSE_REASONS), new_risk,
                                         new_rating))
            final = versions[-1]
            policy = Policy(insurer=product.insurer, number=number, product=product, line=product.line,
                            policyholder=client, state=state, start_date=term_start, term_months=12,
                            expiry_date=expiry, payment_frequency=frequency, payment_method=method,
                            risk_summary=str(spec.summary(final[3]))[:300], net_premium=final[4].net_premium,
                            total_premium=final[4].total_premium, created_by=admin, updated_by=admin, **extra)
            generations[generation].append((policy, versions, changes))
            made += 1
    with transaction.atomic():
        previous = {}  # (insurer, number) -> the term just inserted
        for generation in sorted(generations):
            rows = generations[generation]
            for policy, _v, _c in rows:
                if generation:
                    policy.renewal_of = previous[(policy.insurer_id, policy.number)]
            Policy.objects.bulk_create([p for p, _v, _c in rows], batch_size=BATCH)
            for policy, _v, _c in rows:
                previous[(policy.insurer_id, policy.number)] = policy
        versions, changes, currents = [], [], []
        for rows in generations.values():
            for policy, policy_versions, policy_changes in rows:
                spec = get_line(policy.product.line.code)
                for number, (kind, when, reason, risk, rating) in enumerate(policy_versions, start=1):
                    sum_insured = spec.sum_insured(risk)
                    version = PolicyVersion(
                        policy=policy, number=number, kind=kind, effective_date=when, reason=reason[:300],
                        risk_data=risk, risk_summary=str(spec.summary(risk))[:300],
                        insured=json_safe(list(spec.insured(risk) or [])),
                        beneficiaries=json_safe(list(spec.beneficiaries(risk) or [])),
                        coverages=rater.coverages[policy.product_id],
                        sum_insured=Decimal(sum_insured).quantize(Decimal("0.01")) if sum_insured is not None else None,
                        net_premium=rating.net_premium, ips=rating.taxes.ips, consorcio=rating.taxes.consorcio,
                        clea=rating.taxes.clea, total_premium=rating.total_premium, created_by=admin)
                    versions.append(version)
                currents.append((policy, version))
                changes += [PolicyStateChange(policy=policy, from_state=a, to_state=b, effective_date=when,
                                              created_by=admin, reason="") for a, b, when in policy_changes]
        PolicyVersion.objects.bulk_create(versions, batch_size=BATCH)
        with connection.cursor() as cursor:  # one UPDATE per batch (bulk_update's CASE is slow at this size)
            for offset in range(0, len(currents), BATCH):
                chunk = currents[offset:offset + BATCH]
                cursor.execute(
                    f"UPDATE {Policy._meta.db_table} AS p SET current_version_id = v.version_id FROM (VALUES "
                    + ", ".join(["(%s, %s)"] * len(chunk)) + ") AS v (policy_id, version_id) WHERE p.id = v.policy_id",
                    [value for policy, version in chunk for value in (policy.pk, version.pk)])
                for policy, version in chunk:
                    policy.current_version = version
        PolicyStateChange.objects.bulk_create(changes, batch_size=BATCH)
    return made


# --- through the services ------------------------------------------------------------------------

def _service_policies(admin, rng, products, clients, count: int, numbers: _Numbers, today: datetime.date,
                      rater: _Rater) -> int:
    """Policies placed, endorsed, suspended, cancelled, renewed and expired through the services."""
    from apps.insurance.lines import get_line
    from apps.insurance.services.endorsements import policy_endorse
    from apps.insurance.services.policies import (
        policy_cancel, policy_create, policy_expire, policy_renew, policy_suspend,
    )

    made = 0
    for i in range(count):
        product = products[i % len(products)]
        spec = get_line(product.line.code)
        plan = ["plain", "endorse", "cancel", "suspend", "renew", "expire"][i % 6]
        start = {"renew": today - datetime.timedelta(days=rng.randint(380, 420)),
                 "expire": today - datetime.timedelta(days=rng.randint(420, 700))}.get(
            plan, today - datetime.timedelta(days=rng.randint(45, 300)))
        risk, _rating = _rated_risk(spec, product, rng, rater, start)
        if risk is None:
            continue
        policy = policy_create(actor=admin, insurer=product.insurer, number=numbers.next(product.insurer, start.year),
                               product=product, policyholder=rng.choice(clients), start_date=start,
                               payment_frequency=rng.choice(FREQUENCIES), payment_method=rng.choice(METHODS), risk=risk)
        made += 1
        if plan == "endorse":
            for step in range(rng.randint(1, 2)):
                new_risk, _r = _rated_risk(spec, product, rng, rater, start)
                if new_risk is not None:
                    policy_endorse(actor=admin, policy=policy, reason=rng.choice(ENDORSE_REASONS), risk=new_risk,
                                   effective_date=start + datetime.timedelta(days=15 + 10 * step))
        elif plan == "cancel":
            policy_cancel(actor=admin, policy=policy, effective_date=start + datetime.timedelta(days=30),
                          reason=rng.choice([CancellationReason.CLIENT_REQUEST, CancellationReason.NON_PAYMENT]))
        elif plan == "suspend":
            policy_suspend(actor=admin, policy=policy, effective_date=today, reason="Impago del recibo fraccionado")
        elif plan == "renew":
            policy_renew(actor=admin, policy=policy)
            made += 1
        elif plan == "expire":
            policy_expire(actor=admin, policy=policy, today=today)
    return made


def _quotes(admin, rng, clients, count: int, numbers: _Numbers, today: datetime.date) -> int:
    from apps.insurance.lines import get_line
    from apps.insurance.models import Quote
    from apps.insurance.services.quotes import (
        QuoteError, quote_accept, quote_create, quote_expire, quote_reject, quote_send,
    )

    codes = [code for code in data.LINE_OFFER if _registered(code)]
    states = ["expired", "draft", "sent", "accepted", "rejected", "draft", "sent", "accepted", "draft", "rejected"]
    made, expired = 0, []
    for i in range(count):
        spec = get_line(codes[i % len(codes)])
        target = states[i % len(states)]
        quote = None
        for _ in range(4):
            try:
                effective = today + datetime.timedelta(days=rng.randint(3, 40))
                quote = quote_create(actor=admin, client=rng.choice(clients), line_code=spec.code,
                                     risk=_risk(spec, rng), effective_date=effective,
                                     advice_kind=AdviceKind.OBJECTIVE_ANALYSIS if i % 7 else AdviceKind.LIMITED)
                break
            except QuoteError:
                continue
        if quote is None:
            continue
        made += 1
        if target in ("sent", "expired"):
            quote_send(actor=admin, quote=quote)
            if target == "expired":
                expired.append(quote.pk)
        elif target == "rejected":
            quote_reject(actor=admin, quote=quote, reason=rng.choice(["Prefiere mantener su compañía actual",
                                                                       "Prima por encima de lo esperado"]))
        elif target == "accepted":
            option = quote.options.filter(eligible=True).order_by("rank").select_related("product__insurer").first()
            quote_accept(actor=admin, quote=quote, option=option,
                         policy_number=numbers.next(option.product.insurer, quote.effective_date.year),
                         start_date=quote.effective_date, payment_frequency=rng.choice(FREQUENCIES),
                         payment_method=rng.choice(METHODS))
    if expired:  # sent a while ago and never answered: backdate their validity, then the daily expiry job
        Quote.objects.filter(pk__in=expired).update(valid_until=today - datetime.timedelta(days=3))
        quote_expire(actor=admin, today=today)
    return made


def _registered(code: str) -> bool:
    from apps.insurance.lines import get_line

    try:
        get_line(code)
        return True
    except LookupError:
        return False


def insurance_demo_seed(*, admin, policies: int = DEMO_POLICIES, quotes: int = DEMO_QUOTES,
                        today: datetime.date | None = None) -> None:
    """The demo book (see the module doc). `policies` is the number of Policy rows, roughly."""
    from apps.crm.models import Party
    from apps.insurance.services.lines import lines_sync

    if Insurer.objects.exists():
        return
    today = today or timezone.localdate()
    rng = random.Random(2026)
    numbers = _Numbers(rng)
    with transaction.atomic():
        lines_sync()
        insurers = _insurers(admin, rng, numbers)
        products = _products(admin, rng, insurers, today)
    insurer_parties = [i.party_id for i in insurers]
    clients = list(Party.objects.filter(status="client").exclude(pk__in=insurer_parties).order_by("pk")) or \
        list(Party.objects.exclude(pk__in=insurer_parties).order_by("pk"))
    if not clients or not products:
        return
    rater = _Rater(products)
    with transaction.atomic():
        _service_policies(admin, rng, products, clients, min(SERVICE_POLICIES, max(policies // 10, 6)), numbers,
                          today, rater)
        _quotes(admin, rng, clients, quotes, numbers, today)
        _bulk_policies(admin, rng, products, clients, max(policies - Policy.objects.count(), 0), numbers, today,
                       rater)
