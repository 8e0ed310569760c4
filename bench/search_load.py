"""Search figure: the PostgreSQL backend over 1.000.000 indexed records.

One brokerage of our own (cloned, bench_<pid>_search).
  a) seed: `records` - SAMPLE index entries written in SQL (generate_series, a few statements of 100.000
     rows): parties (30 %), policies (25 %), receipts (35 %), claims (5 %), invoices (5 %) with Spanish names
     and accents, insurers, numbers and claim texts, the tsvector computed by the same SQL as the indexing
     (apps.search.store.vector_sql). The two GIN indexes are dropped for the load and built again after it
     (rows/s of the load, seconds of each index build), then ANALYZE;
  b) indexing, the real path on a sample of SAMPLE parties (bulk-created, a tenth managed by a Comercial):
     the reindex loop of one kind (records/s: reading, building the documents, upserting in the full table
     with its indexes in place) and the on-commit path: the same parties queued (pending_add) and drained by
     search_pending_flush in batches (records/s);
  c) queries: ~10 typical queries (a surname with and without its accent, name and surname, a typo of an
     insurer, a policy number, a receipt's last digits, a NIF, claim words, a company, nothing at all)
     through apps.search.selectors.search_for, `rounds` times each after a warm-up, as the brokerage's
     admin (every kind, no row filter) and as a Comercial (own clients only: the permission subqueries):
     median and p95 per query and over all.
Every part records its own error and the others still run; the brokerage is dropped at the end.
"""
from __future__ import annotations

import time

from bench.common import drop_tenant, error_text, figure_done, median, percentile, run_part, say, section_ran, step

SAMPLE = 10_000
CHUNK = 100_000
ID_OFFSET = 10_000_000  # SQL-seeded object ids never meet the sample's real ones
FIRST = ["Lucía", "José", "María", "Javier", "Carmen", "Ángel", "Inés", "Raúl", "Sofía", "Óscar", "Begoña", "Iñaki",
         "Nuria", "Jesús", "Marta", "Andrés", "Rocío", "Joaquín", "Elena", "Tomás"]
LAST = ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Rodríguez", "Muñoz", "Álvarez",
        "Romero", "Navarro", "Torres", "Domínguez", "Gil", "Vázquez", "Serrano", "Ramos", "Blanco", "Castro",
        "Ortega", "Rubio", "Molina", "Delgado", "Morales", "Ortiz", "Marín", "Iglesias", "Santos", "Castillo",
        "Garrido", "Cortés", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Calvo", "Gallego", "Vidal"]
INSURERS = ["Mapfre", "Allianz", "AXA", "Generali", "Zurich", "Mutua Madrileña", "Caser", "Reale", "Santalucía",
            "Liberty", "Occident", "Helvetia", "Ocaso", "Pelayo", "DKV", "Sanitas", "Asisa", "Adeslas"]
CLAIMS = ["Daños por agua en la cocina", "Rotura de cristales", "Colisión en rotonda con tercero", "Robo con fuerza",
          "Incendio en el garaje", "Fenómeno atmosférico: granizo", "Responsabilidad civil por filtración"]


def typical_queries(seeded: int) -> list[tuple[str, str]]:
    """~10 queries a desk types; the numbers are of rows the seed wrote (kind by g % 20, see seed_sql)."""
    base = max(seeded // 2 - seeded // 2 % 20, 0)
    policy, receipt, party = base + 7, base + 12, base + 2
    return [("surname without accent", "Martinez"), ("surname with accent", "Fernández"),
            ("name and surname", "lucia garcia"), ("typo of an insurer", "mapfree"),
            ("policy number", f"POL-{2020 + policy % 7}-{policy:07d}"), ("receipt, last digits", f"{receipt:07d}"),
            ("NIF", f"{party % 99999999:08d}K"), ("claim words", "daños agua cocina"),
            ("company", "Talleres Iñaki"), ("nothing", "zzqxj")]


def _pick(values: list[str], salt: int) -> str:
    """One of `values` for row g, spread by a hash (a plain g % n would follow the kind, which is g % 20)."""
    array = "ARRAY[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]"
    return f"({array})[1 + abs(hashint4(g * 31 + {salt})::bigint) % {len(values)}]"


def seed_sql(first: int, last: int) -> str:
    """INSERT of entries first..last (generate_series), the same tsvector SQL as the indexing."""
    from apps.search.store import vector_sql

    person = f"{_pick(FIRST, 1)} || ' ' || {_pick(LAST, 2)} || ' ' || {_pick(LAST, 3)}"
    company = f"'Talleres ' || {_pick(FIRST, 4)} || ' ' || {_pick(LAST, 5)} || ' SL'"
    agency = f"{_pick(INSURERS, 6)} || ' Agencia ' || (g % 500)"
    insurer = _pick(INSURERS, 7)
    year = "(2020 + g % 7)::text"
    number = "lpad(g::text, 7, '0')"
    return f"""
INSERT INTO search_searchentry (kind, object_id, title, subtitle, body, url, updated_at, search_vector)
SELECT kind, {ID_OFFSET} + g, title, subtitle, body, '/bench/' || kind || '/' || g || '/', now(),
       {vector_sql('title', 'subtitle', 'body')}
FROM (
  SELECT g, kind,
    CASE kind WHEN 'party' THEN CASE WHEN g % 100 = 0 THEN {agency} WHEN g % 10 = 0 THEN {company} ELSE {person} END
              WHEN 'policy' THEN 'POL-' || {year} || '-' || {number}
              WHEN 'receipt' THEN 'R-' || {year} || '-' || {number} || '/' || lpad((g % 12 + 1)::text, 2, '0')
              WHEN 'claim' THEN 'S-' || {year} || '-' || {number}
              ELSE 'F' || {year} || '/' || {number} END AS title,
    CASE kind WHEN 'party' THEN lpad((g % 99999999)::text, 8, '0') || 'K' || ' · Persona física'
              WHEN 'invoice' THEN {company} || ' · Recibida'
              ELSE {person} || ' · ' || {insurer} END AS subtitle,
    CASE kind WHEN 'party' THEN 'cliente' || g || '@example.es'
              WHEN 'claim' THEN {_pick(CLAIMS, 8)} || ' · ' || {insurer}
              WHEN 'policy' THEN 'Hogar · calle Mayor ' || (g % 200) || ' · ' || {insurer}
              ELSE {insurer} END AS body
  FROM (SELECT g, CASE WHEN g % 20 < 6 THEN 'party' WHEN g % 20 < 11 THEN 'policy' WHEN g % 20 < 18 THEN 'receipt'
                       WHEN g % 20 = 18 THEN 'claim' ELSE 'invoice' END AS kind
        FROM generate_series({first}, {last}) AS g) AS series
) AS rows
"""


INDEXES = {
    "search_entry_vector_gin": "CREATE INDEX search_entry_vector_gin ON search_searchentry USING gin (search_vector)",
    "search_entry_title_trgm": "CREATE INDEX search_entry_title_trgm ON search_searchentry "
                               "USING gin (public.aitcore_unaccent(title) gin_trgm_ops)",
}


def seed_entries(count: int) -> dict:
    from django.db import connection

    out = {"rows": count}
    with connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        t0 = time.perf_counter()
        for first in range(1, count + 1, CHUNK):
            cursor.execute(seed_sql(first, min(first + CHUNK - 1, count)))
            step(f"search seed: {min(first + CHUNK - 1, count)}/{count} entries")
        out["load_s"] = time.perf_counter() - t0
        for name, sql in INDEXES.items():
            t0 = time.perf_counter()
            cursor.execute(sql)
            out[f"{name}_s"] = time.perf_counter() - t0
        cursor.execute("ANALYZE search_searchentry")
        cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
        out["table_mb"] = cursor.fetchone()[0] / 1e6
    out["rows_per_s"] = count / out["load_s"] if out["load_s"] else None
    return out


def seed_sample(comercial) -> list[int]:
    from apps.crm.models import Party

    parties = Party.objects.bulk_create([
        Party(kind="person", first_name=FIRST[n % len(FIRST)], last_name=f"{LAST[n % len(LAST)]} {LAST[n * 7 % len(LAST)]}",
              display_name=f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]} {LAST[n * 7 % len(LAST)]}",
              tax_id=f"{n:08d}Z", account_manager=comercial if n % 10 == 0 else None) for n in range(SAMPLE)],
        batch_size=2000)
    return [party.pk for party in parties]


def bench_indexing(ids: list[int]) -> dict:
    """The reindex loop of one kind (index_source: what `reindex` runs, without its cleanup of entries whose
    record is gone, which would drop the SQL-seeded parties) and the on-commit queue drained in batches."""
    from apps.search.services.indexing import index_source, pending_add, search_pending_flush
    from apps.search.sources import source_for

    t0 = time.perf_counter()
    reindexed = index_source(source_for("party"))
    reindex_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pending_add(("party", pk) for pk in ids)
    flushed = search_pending_flush()
    flush_s = time.perf_counter() - t0
    return {"reindexed": reindexed, "reindex_s": reindex_s, "reindex_per_s": reindexed / reindex_s,
            "flushed": flushed, "flush_s": flush_s, "flush_per_s": flushed / flush_s}


def bench_queries(users: dict, rounds: int, seeded: int) -> dict:
    from apps.search.selectors import search_for

    out = {}
    for who, user in users.items():
        per_query, every = [], []
        for label, query in typical_queries(seeded):
            search_for(user, query)  # warm-up (plans, permission caches)
            times = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                results = search_for(user, query)
                times.append((time.perf_counter() - t0) * 1000)
            hits = results.total
            every.extend(times)
            per_query.append({"label": label, "query": query, "hits": hits, "median_ms": median(times),
                              "p95_ms": percentile(times, 95)})
        out[who] = {"queries": per_query, "median_ms": median(every), "p95_ms": percentile(every, 95)}
    return out


def bench_search(*, records: int = 1_000_000, rounds: int = 20) -> dict:
    from django_tenants.utils import schema_context

    from apps.identity.models import User
    from apps.identity.services.users import user_create
    from bench.provisioning import provision

    started = time.perf_counter()
    tenant, domain, _wall = provision("search", use_template=True)
    schema = tenant.schema_name
    result = {"records": records, "sample_size": SAMPLE, "rounds": rounds, "schema": schema, "errors": {}}
    errors = result["errors"]
    try:
        with schema_context(schema):
            admin = User.objects.get(email=f"admin@{domain}")
            comercial = user_create(actor=None, email=f"comercial@{domain}", password="Clave-Segura-2026",
                                    first_name="Comercial", role_codes=["comercial"])
        run_part("seed", lambda: seed_entries(max(records - SAMPLE, 0)), schema=schema, result=result,
                 errors=errors, label="search")
        ids = []
        run_part("sample", lambda: ids.extend(seed_sample(comercial)) or {"parties": SAMPLE}, schema=schema,
                 result=result, errors=errors, label="search")
        if ids:
            run_part("indexing", lambda: bench_indexing(ids), schema=schema, result=result, errors=errors,
                     label="search")
        run_part("queries", lambda: bench_queries({"admin": admin, "comercial": comercial}, rounds,
                                                  max(records - SAMPLE, 0)),
                 schema=schema, result=result, errors=errors, label="search")
    except Exception as exc:  # noqa: BLE001 - the setup failed: nothing else can run
        errors["setup"] = error_text(exc)
    finally:
        drop_tenant(tenant)
    return figure_done(result, started)


def search_report(data: dict | None, why: str) -> None:
    """The search section of run.py's table. `why` is printed when the figure did not run."""
    if not section_ran(data, "11. Search", why):
        return
    records = f"{data['records']:,}".replace(",", ".")
    say(f"11. Search  (PostgreSQL backend, brokerage {data['schema']}, {records} records, whole figure {data['wall_s']:.0f} s)")
    seed, indexing, queries = data.get("seed"), data.get("indexing"), data.get("queries")
    errors = data["errors"] or {}
    if seed:
        say(f"   a) SQL load of {seed['rows']} entries: {seed['load_s']:.1f} s ({seed['rows_per_s']:.0f} rows/s); "
            f"GIN tsvector index {seed['search_entry_vector_gin_s']:.1f} s, trigram index "
            f"{seed['search_entry_title_trgm_s']:.1f} s; table + indexes {seed['table_mb']:.0f} MB")
    elif "seed" in errors:
        say(f"   a) FAILED: {errors['seed']}")
    if indexing:
        say(f"   b) real indexing path, {data['sample_size']} parties: reindex {indexing['reindex_s']:.1f} s "
            f"({indexing['reindex_per_s']:.0f} records/s); on-commit queue + flush {indexing['flush_s']:.1f} s "
            f"({indexing['flush_per_s']:.0f} records/s)")
    elif "indexing" in errors or "sample" in errors:
        say(f"   b) FAILED: {errors.get('indexing') or errors.get('sample')}")
    if queries:
        for who, figures in queries.items():
            say(f"   c) as {who}: median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms "
                f"over {len(figures['queries'])} queries × {data['rounds']}")
            for row in figures["queries"]:
                say(f"      {row['label']:<24} {row['query']!r:<22} {row['hits']:>7} hits  median "
                    f"{row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms")
    elif "queries" in errors:
        say(f"   c) FAILED: {errors['queries']}")
