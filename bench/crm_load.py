"""Figure 4 of the bench: the CRM at 100k parties (issue: "Party list page and API with 100k
parties: median and p95 with filters; duplicate check on insert against 100k parties; import of
10k rows").

One brokerage of our own (cloned, bench_<pid>_crm), seeded FAST with bulk_create: parties,
an e-mail and a phone each (ContactPoint.normalized as the party services write it), a fiscal
address each (postal code of its province), a few tags, account managers spread over three users
(one with only the "comercial" role, so it sees only its own third). The seed deliberately
bypasses the audited services (party_create would take hours and write 100k audit events); the
pages, the API, the duplicate check and the import are the app's own code. Then:

- the staff list /r/crm/party/ and the API /api/v1/crm/parties/ in-process (django.test.Client,
  Host = the bench brokerage): median and p95 per case, and the queries of one request;
- apps.crm.services.duplicates.find_duplicates for 50 new parties, half planted duplicates;
- apps.crm.services.imports.import_check + import_apply of a 10k-row CSV (the services directly:
  the view would hand a batch that large to a background job).

Every part records its own error and the others still run; the brokerage is dropped at the end.
"""
from __future__ import annotations

import csv
import io
import random
import re
import time
import unicodedata
import warnings
from datetime import date, timedelta

from bench.common import (
    PASSWORD, drop_tenant, error_text, figure_done, median, percentile, run_part, say, section_ran, step,
)

SEED_BATCH = 5000
SEARCH_SURNAME = "Moreno"  # in SURNAMES, no accent: the same word matches names and e-mails
DUPLICATE_CHECKS = 50
SAMPLE_EVERY = 97  # keep every 97th person as a candidate to plant a duplicate of


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _ascii(text).lower())


class Generator:
    """Valid, unique Spanish parties from apps/crm/demo_data.py's generators and name lists."""

    def __init__(self, seed: int = 2026):
        from apps.crm import demo_data as d

        self.d = d
        self.rng = random.Random(seed)
        self.tax_ids: set[str] = set()
        self.phones: set[str] = set()
        self.serial = 0

    def tax_id(self, make) -> str:
        while True:
            value = make(self.rng)
            if value not in self.tax_ids:
                self.tax_ids.add(value)
                return value

    def phone(self, company: bool = False) -> str:
        while True:
            r = self.rng
            value = (f"+34 9{r.randint(10, 99)} {r.randint(100, 999)} {r.randint(100, 999)}" if company
                     else self.d.make_phone(r))
            if value not in self.phones:
                self.phones.add(value)
                return value

    def address(self) -> dict:
        province, city, streets = self.rng.choice(self.d.PLACES)
        return {"street": f"{self.rng.choice(streets)}, {self.rng.randint(1, 180)}", "city": city,
                "postal_code": f"{province}{self.rng.randint(1, 99):03d}", "province": province}

    def person_name(self) -> tuple[str, str, str, bool]:
        female = self.rng.random() < 0.5
        first = self.rng.choice(self.d.FIRST_F if female else self.d.FIRST_M)
        return first, self.rng.choice(self.d.SURNAMES), self.rng.choice(self.d.SURNAMES), female

    def birth_date(self) -> date:
        return date(1950, 1, 1) + timedelta(days=self.rng.randint(0, 365 * 55))

    def party(self) -> dict:
        """One party as plain values: {"kind", fields..., "email", "phone", "address"}."""
        r, d = self.rng, self.d
        self.serial += 1
        n = self.serial
        if n % 6 == 0:
            name, cnae = r.choice(d.COMPANIES)
            company = f"{name} {r.choice(d.SURNAMES)} {r.choice(['S.L.', 'S.A.', 'S.L.U.'])}"
            letter = "A" if company.endswith("S.A.") else "B"
            return {"kind": "company", "tax_id": self.tax_id(lambda g: d.make_cif(g, letter)), "company_name": company,
                    "cnae": cnae, "status": r.choice(["client", "client", "prospect"]), "preferred_channel": "email",
                    "email": f"info@{_slug(company.split(' ')[1])}{n}.es", "phone": self.phone(company=True),
                    "address": self.address(), "iban": d.make_iban(r)}
        first, last, second, female = self.person_name()
        return {"kind": "person", "tax_id": self.tax_id(d.make_nie if r.random() < 0.08 else d.make_dni),
                "first_name": first, "last_name": last, "second_last_name": second, "birth_date": self.birth_date(),
                "gender": "female" if female else "male", "profession": r.choice(d.PROFESSIONS),
                "status": r.choice(["client", "client", "client", "prospect", "former"]),
                "preferred_language": r.choice(["es"] * 8 + ["ca", "en"]),
                "preferred_channel": r.choice(["email", "phone", "whatsapp"]),
                "email": f"{_slug(first)}.{_slug(last)}{n}@correo.es", "phone": self.phone(),
                "address": self.address(), "iban": d.make_iban(r)}


# --- seed -----------------------------------------------------------------------------------------

def make_users(admin, domain: str) -> dict:
    from apps.identity.services.users import user_create

    manager = user_create(actor=admin, email=f"gestora@{domain}", password=PASSWORD, first_name="Gestora",
                          last_name="Bench", role_codes=["direccion"])
    comercial = user_create(actor=admin, email=f"comercial@{domain}", password=PASSWORD, first_name="Comercial",
                            last_name="Bench", role_codes=["comercial"])
    return {"admin": admin, "manager": manager, "comercial": comercial}


def seed_parties(gen: Generator, count: int, managers: list) -> dict:
    """bulk_create in batches of SEED_BATCH (no audit events, no services). Returns counts and a sample."""
    from django.db import transaction

    from apps.crm.models import Address, ContactPoint, Party, Tag
    from apps.crm.services.parties import compute_display_name, email_normalize, phone_normalize

    tags = [Tag.objects.get_or_create(name=name)[0] for name in gen.d.TAGS]
    through = Party.tags.through
    party_fields = {f.name for f in Party._meta.concrete_fields}
    totals = {"parties": 0, "contacts": 0, "addresses": 0, "tag_links": 0}
    sample = []  # persons to plant duplicates of: (pk, display_name, birth_date, phone)
    started = time.perf_counter()
    for offset in range(0, count, SEED_BATCH):
        rows = [gen.party() for _ in range(min(SEED_BATCH, count - offset))]
        objs = []
        for i, row in enumerate(rows):
            values = {k: v for k, v in row.items() if k in party_fields}
            objs.append(Party(**values, display_name=compute_display_name(row),
                              account_manager=managers[(offset + i) % len(managers)]))
        with transaction.atomic():
            Party.objects.bulk_create(objs, batch_size=SEED_BATCH)
            contacts, addresses, links = [], [], []
            for i, (party, row) in enumerate(zip(objs, rows, strict=True)):
                contacts.append(ContactPoint(party=party, kind="email", value=row["email"],
                                             normalized=email_normalize(row["email"]), is_primary=True))
                contacts.append(ContactPoint(party=party, kind="phone", value=row["phone"],
                                             normalized=phone_normalize(row["phone"]), is_primary=True))
                addresses.append(Address(party=party, kind="fiscal", is_primary=True, **row["address"]))
                if gen.rng.random() < 0.25:
                    links.append(through(party_id=party.pk, tag_id=gen.rng.choice(tags).pk))
                if row["kind"] == "person" and (offset + i) % SAMPLE_EVERY == 0:
                    sample.append((party.pk, party.display_name, row["birth_date"], row["phone"]))
            ContactPoint.objects.bulk_create(contacts, batch_size=SEED_BATCH)
            Address.objects.bulk_create(addresses, batch_size=SEED_BATCH)
            through.objects.bulk_create(links, batch_size=SEED_BATCH)
        totals["parties"] += len(objs)
        totals["contacts"] += len(contacts)
        totals["addresses"] += len(addresses)
        totals["tag_links"] += len(links)
        done = offset + len(rows)
        if done % 25_000 == 0 or done == count:
            step(f"crm seed: {done}/{count} parties ({time.perf_counter() - started:.1f} s)")
    return {"seconds": round(time.perf_counter() - started, 2), **totals, "sample": sample}


def analyze(schema: str) -> float:
    from django.db import connection

    from apps.crm.models import Address, ContactPoint, Party, Tag

    tables = [m._meta.db_table for m in (Party, ContactPoint, Address, Tag)] + [Party.tags.through._meta.db_table]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(f'"{schema}"."{t}"' for t in tables))
    return time.perf_counter() - started


# --- list page and API -------------------------------------------------------------------------------

PAGE_ROW = re.compile(r'data-href="/r/crm/party/(\d+)/"')
PAGE_COUNT = re.compile(r"([\d.,\u00a0 ]+)\s+registros?\b")


def _clients(domain: str, users: dict, schema: str) -> dict:
    import json

    from django.test import Client
    from django_tenants.utils import schema_context

    clients = {}
    with schema_context(schema):
        for name in ("admin", "comercial"):
            client = Client(HTTP_HOST=domain)
            client.force_login(users[name])
            clients[name] = client
    api = Client(HTTP_HOST=domain, HTTP_ACCEPT="application/json")
    token = api.post("/api/v1/auth/token/", data=json.dumps({"email": users["admin"].email, "password": PASSWORD}),
                     content_type="application/json")
    if token.status_code != 200 or "access" not in token.json():
        raise RuntimeError(f"POST /api/v1/auth/token/ answered HTTP {token.status_code}: {token.content[:300]!r}")
    clients["api"] = Client(HTTP_HOST=domain, HTTP_ACCEPT="application/json",
                            HTTP_AUTHORIZATION=f"Bearer {token.json()['access']}")
    return clients


def _inspect(case: str, response) -> dict:
    """What one answer holds: rows shown (and distinct), the total the page or API reports."""
    if case.startswith("api"):
        body = response.json()
        pks = [r.get("id") for r in body.get("results") or []]
        return {"rows": len(pks), "distinct_rows": len(set(pks)), "count": body.get("count")}
    html = response.content.decode(errors="replace")
    pks = PAGE_ROW.findall(html)
    found = PAGE_COUNT.search(html)
    total = int(re.sub(r"\D", "", found.group(1))) if found and re.sub(r"\D", "", found.group(1)) else None
    return {"rows": len(pks), "distinct_rows": len(set(pks)), "count": total}


def bench_lists(domain: str, users: dict, schema: str, *, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # whitenoise warns once that STATIC_ROOT does not exist (no collectstatic): not what is measured.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    clients = _clients(domain, users, schema)
    plan = {
        "page_unfiltered": ("admin", "/r/crm/party/"),
        "page_q_surname": ("admin", f"/r/crm/party/?q={SEARCH_SURNAME}"),
        "page_company_client": ("admin", "/r/crm/party/?kind=company&status=client"),
        "page_comercial_own": ("comercial", "/r/crm/party/"),
        "api_unfiltered": ("api", "/api/v1/crm/parties/?page_size=50"),
        "api_search_surname": ("api", f"/api/v1/crm/parties/?page_size=50&search={SEARCH_SURNAME}"),
        "api_ordering_created": ("api", "/api/v1/crm/parties/?page_size=50&ordering=-created_at"),
    }
    cases, times, failed = {}, {}, {}
    for name, (who, path) in plan.items():
        client = clients[who]
        try:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path} answered HTTP {response.status_code}: {response.content[:200]!r}")
            for _ in range(warmup):
                client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            cases[name] = {"user": "admin (JWT)" if who == "api" else who, "path": path, "queries": len(queries),
                           "bytes": len(response.content), **_inspect(name, response)}
            times[name] = []
        except Exception as exc:  # noqa: BLE001 - this case fails, the others go on
            failed[name] = error_text(exc)
    # Round-robin, one request per case per round: a slow moment of the machine hits every case.
    for _ in range(requests):
        for name in list(times):
            who, path = plan[name]
            started = time.perf_counter()
            response = clients[who].get(path)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                failed[name] = f"GET {path} answered HTTP {response.status_code} while timing"
                del times[name]
                continue
            times[name].append(elapsed)
    for name, values in times.items():
        cases[name].update(requests=len(values), median_ms=round(median(values) * 1000, 1),
                           p95_ms=round(percentile(values, 95) * 1000, 1), max_ms=round(max(values) * 1000, 1))
    for name in failed:
        cases.pop(name, None)
    return {"requests": requests, "warmup": warmup, "cases": cases, "failed": failed or None}


# --- duplicate check -----------------------------------------------------------------------------------

def bench_duplicates(gen: Generator, sample: list, checks: int = DUPLICATE_CHECKS) -> dict:
    from apps.crm.services.duplicates import find_duplicates
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    planted_n = min(checks // 2, len(sample))
    originals = gen.rng.sample(sample, planted_n)
    probes = []  # (kind, expected pk or None, kwargs)
    for i, (pk, name, birth, phone) in enumerate(originals):
        digits = re.sub(r"\D", "", phone)[2:]  # "+34 612 345 678" typed as "612345678"
        tax_id = gen.tax_id(gen.d.make_dni)  # a new, unused DNI: the tax-id arm runs but cannot match
        if i % 2 == 0:
            probes.append(("name+birth", pk, {"tax_id": tax_id, "display_name": _ascii(name), "birth_date": birth}))
        else:
            probes.append(("name+phone", pk, {"tax_id": tax_id, "display_name": _ascii(name), "phones": [digits]}))
    for _ in range(checks - planted_n):
        first, last, second, _female = gen.person_name()
        probes.append(("new", None, {"tax_id": gen.tax_id(gen.d.make_dni), "display_name": f"{first} {last} {second}",
                                     "birth_date": gen.birth_date(), "phones": [gen.phone()],
                                     "emails": [f"{_slug(first)}.nuevo{gen.rng.randint(0, 10**9)}@correo.es"]}))
    gen.rng.shuffle(probes)
    for _kind, _pk, kwargs in probes[:3]:  # warm-up
        find_duplicates(**kwargs)
    times, query_counts = [], []
    found = {"name+birth": [0, 0], "name+phone": [0, 0]}
    new_flagged = 0
    for kind, pk, kwargs in probes:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = find_duplicates(**kwargs)
            times.append(time.perf_counter() - started)
        query_counts.append(len(queries))
        pks = {d.party.pk for d in result}
        if pk is None:
            new_flagged += bool(pks)
        else:
            found[kind][1] += 1
            found[kind][0] += pk in pks
    return {
        "checks": len(probes), "median_ms": round(median(times) * 1000, 2),
        "p95_ms": round(percentile(times, 95) * 1000, 2), "max_ms": round(max(times) * 1000, 2),
        "queries_median": median(query_counts),
        "planted": planted_n, "planted_found": sum(v[0] for v in found.values()),
        "planted_by_reason": {k: {"found": v[0], "of": v[1]} for k, v in found.items()},
        "new": len(probes) - planted_n, "new_flagged": new_flagged,
    }


# --- import ----------------------------------------------------------------------------------------------

def import_csv(gen: Generator, rows: int) -> bytes:
    from apps.crm.provinces import Province
    from apps.crm.services.imports import COLUMNS

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for _ in range(rows):
        p = gen.party()
        a = p["address"]
        person = p["kind"] == "person"
        values = {
            "tipo": "persona" if person else "empresa", "nif": p["tax_id"],
            "nombre": p.get("first_name", ""), "apellido1": p.get("last_name", ""),
            "apellido2": p.get("second_last_name", ""), "razon_social": p.get("company_name", ""),
            "fecha_nacimiento": p["birth_date"].strftime("%d/%m/%Y") if person else "",
            "email": p["email"], "telefono": p["phone"], "direccion": a["street"], "codigo_postal": a["postal_code"],
            "poblacion": a["city"], "provincia": Province(a["province"]).label, "iban": p["iban"],
            "etiquetas": gen.rng.choice(["", "", "", "Importado", "Importado, VIP"]),
        }
        writer.writerow([values[c] for c in COLUMNS])
    return out.getvalue().encode("utf-8")


def bench_import(gen: Generator, actor, rows: int) -> dict:
    from apps.crm.services.imports import import_apply, import_check

    content = import_csv(gen, rows)
    result = {"rows": rows, "bytes": len(content)}
    started = time.perf_counter()
    batch = import_check(actor=actor, file_name="bench-import.csv", content=content)
    check_s = time.perf_counter() - started
    result.update(check_s=round(check_s, 2), check_rows_per_s=round(rows / check_s, 1),
                  check_status=str(batch.status), check_errors=len(batch.errors or []))
    step(f"crm import_check: {check_s:.1f} s, status {batch.status}, {len(batch.errors or [])} errors")
    if batch.errors:
        result["first_errors"] = batch.errors[:3]
        raise RuntimeError(f"import_check rejected the bench file: {batch.errors[:3]}")
    started = time.perf_counter()
    batch = import_apply(actor=actor, batch=batch)
    apply_s = time.perf_counter() - started
    result.update(apply_s=round(apply_s, 2), apply_rows_per_s=round(rows / apply_s, 1),
                  apply_status=str(batch.status), created=batch.created_parties)
    step(f"crm import_apply: {apply_s:.1f} s, {batch.created_parties} parties created")
    return result


# --- the figure -------------------------------------------------------------------------------------------

def bench_crm(*, parties: int, requests: int = 30, warmup: int = 3, import_rows: int = 10_000) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("crm", use_template=True)
    schema = tenant.schema_name
    result = {"parties": parties, "schema": schema, "host": domain, "errors": {}}
    errors = result["errors"]
    try:
        gen = Generator()
        with schema_context(schema):
            users = make_users(User.objects.get(email=f"admin@{domain}"), domain)
            step(f"crm tenant {schema} on Host {domain}; seeding {parties} parties (bulk_create, not the services)")
            seed = seed_parties(gen, parties, [users["admin"], users["manager"], users["comercial"]])
            sample = seed.pop("sample")
            seed.update(analyze_s=round(analyze(schema), 2), batch=SEED_BATCH,
                        parties_per_s=round(seed["parties"] / seed["seconds"], 1),
                        method="bulk_create (bypasses the audited services: no audit events, no version bumps)")
            result["seed"] = seed
            result["users"] = {k: u.email for k, u in users.items()}
            result["comercial_sees"] = users["comercial"].managed_parties.count()
        for key, run in (
            ("lists", lambda: bench_lists(domain, users, schema, requests=requests, warmup=warmup)),
            ("duplicates", lambda: bench_duplicates(gen, sample)),
            ("import", lambda: bench_import(gen, users["admin"], import_rows)),
        ):
            run_part(key, run, schema=schema, result=result, errors=errors, label="crm")
            if key == "lists" and result[key] and result[key]["failed"]:
                errors.update({f"lists.{k}": v for k, v in result[key]["failed"].items()})
    except Exception as exc:  # noqa: BLE001 - the seed failed: nothing else can run
        errors["seed"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


# --- report ------------------------------------------------------------------------------------------------

CASE_LABELS = {
    "page_unfiltered": "page /r/crm/party/ (admin)",
    "page_q_surname": f"page ?q={SEARCH_SURNAME}",
    "page_company_client": "page ?kind=company&status=client",
    "page_comercial_own": "page as comercial (own-only filter)",
    "api_unfiltered": "API /api/v1/crm/parties/?page_size=50",
    "api_search_surname": f"API ?search={SEARCH_SURNAME}",
    "api_ordering_created": "API ?ordering=-created_at",
}


def crm_report(crm: dict | None, why: str) -> None:
    """Section 4 of run.py's table. `why` is printed when the figure did not run."""
    if not section_ran(crm, "4. CRM at 100k parties", why):
        return
    say(f"4. CRM at {crm['parties']} parties  (brokerage {crm['schema']}, whole figure {crm['wall_s']:.0f} s)")
    seed = crm.get("seed")
    if seed:
        say(f"   seed: {seed['parties']} parties + {seed['contacts']} contacts + {seed['addresses']} addresses + "
            f"{seed['tag_links']} tag links in {seed['seconds']:.1f} s ({seed['parties_per_s']:.0f} parties/s), "
            f"ANALYZE {seed['analyze_s']:.1f} s")
        say(f"   seed method: {seed['method']}; comercial manages {crm['comercial_sees']}")
    lists = crm.get("lists")
    if lists:
        say(f"   list page and API, in-process django.test.Client (Host {crm['host']}); {lists['requests']} requests "
            f"per case after {lists['warmup']} warm-up, round-robin")
        say(f"   {'case':<42}{'median ms':>10}{'p95 ms':>9}{'queries':>9}{'rows':>6}{'distinct':>9}{'count':>8}")
        for key, label in CASE_LABELS.items():
            c = lists["cases"].get(key)
            if c:
                say(f"   {label:<42}{c['median_ms']:>10.1f}{c['p95_ms']:>9.1f}{c['queries']:>9}{c['rows']:>6}"
                    f"{c['distinct_rows']:>9}{c['count'] if c['count'] is not None else '?':>8}")
            else:
                say(f"   {label:<42}  FAILED: {(lists['failed'] or {}).get(key, 'not run')}")
        doubled = [k for k, c in lists["cases"].items() if c["distinct_rows"] < c["rows"]]
        if doubled:
            say(f"   NOTE: {', '.join(doubled)} shows the same party on several rows (rows > distinct): the search "
                f"over contacts__normalized joins ContactPoint without DISTINCT, so the count is inflated too")
    d = crm.get("duplicates")
    if d:
        by = d["planted_by_reason"]
        say(f"   duplicate check (find_duplicates, {d['checks']} new parties): median {d['median_ms']:.1f} ms, "
            f"p95 {d['p95_ms']:.1f} ms, {d['queries_median']} queries; planted found {d['planted_found']}/{d['planted']} "
            f"(name+birth {by['name+birth']['found']}/{by['name+birth']['of']}, name+phone "
            f"{by['name+phone']['found']}/{by['name+phone']['of']}); new ones flagged {d['new_flagged']}/{d['new']}")
    i = crm.get("import")
    if i:
        say(f"   import {i['rows']} rows (CSV, services called directly): import_check {i['check_s']:.1f} s "
            f"({i['check_rows_per_s']:.0f} rows/s), import_apply {i['apply_s']:.1f} s ({i['apply_rows_per_s']:.0f} rows/s), "
            f"{i['created']} parties created")
    for key, message in (crm.get("errors") or {}).items():
        say(f"   FAILED {key}: {message}")
