"""Party import: the dry run reports every row's errors by file line and column and writes
nothing; applying creates all rows or none; CSV in UTF-8 or ISO-8859-1, «;» or «,», and XLSX."""
import io
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from apps.audit.models import AuditEvent
from apps.crm.models import Address, BankAccount, ContactPoint, ImportBatch, Party, Tag
from apps.crm.services.imports import COLUMNS, import_apply, import_check
from tests.conftest import host_client

HEADER = ";".join(COLUMNS)
LUCIA = "persona;12345678Z;Lucía;Navarro;Ruiz;;17/05/1980;lucia@example.es;600 112 233;Calle de Colón, 12;46004;Valencia;Valencia;ES91 2100 0418 4502 0005 1332;VIP, Cliente digital"
LUIS_WRONG_CP = "persona;X1234567L;Luis;Gil;Mora;;;luis@example.es;;Calle Mayor 1;28001;Valencia;Valencia;;"
ANA_BAD_NIF = "persona;12345678A;Ana;Ruiz;;;;ana@example.es;;;;;;;"
DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(number: int) -> str:
    return f"{number:08d}{DNI_LETTERS[number % 23]}"


def csv_bytes(*lines, encoding="utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def where(batch) -> list[tuple[int, str]]:
    return [(e["line"], e["field"]) for e in batch.errors]


def test_import_dry_run_reports_row_errors(admin_a):
    batch = import_check(actor=admin_a, file_name="clientes.csv",
                         content=csv_bytes(HEADER, LUCIA, LUIS_WRONG_CP, ANA_BAD_NIF))
    assert batch.status == "rejected" and batch.total_rows == 3
    assert where(batch) == [(3, "codigo_postal"), (4, "nif")]
    assert "28001" in batch.errors[0]["message"] and "Madrid" in batch.errors[0]["message"]
    assert "12345678A" in batch.errors[1]["message"] and "la letra es Z" in batch.errors[1]["message"]
    # Nothing created, not even the valid row.
    assert not Party.objects.exists() and not Tag.objects.exists() and not ContactPoint.objects.exists()
    with pytest.raises(ValidationError, match="tiene errores y no se puede aplicar"):
        import_apply(actor=admin_a, batch=batch)
    assert not Party.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == "rejected"


def test_valid_iso_8859_1_file_imports_after_confirmation(admin_a):
    header = ",".join(COLUMNS)
    row = ('persona,12345678Z,José,Muñoz,Peña,,03/02/1975,JOSE.MUNOZ@example.es,+34 600 112 233,'
           '"Calle de Alcalá, 50",28013,Madrid,Madrid,ES9121000418450200051332,"Autónomo, VIP"')
    company = "empresa,B86561412,,,,Talleres Muñoz S.L.,,info@talleres.es,963 123 456,Avinguda del Port 3,46023,,Valencia,,"
    content = csv_bytes(header, row, company, encoding="latin-1")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    batch = import_check(actor=admin_a, file_name="clientes.csv", content=content)
    assert batch.status == "rejected" and where(batch) == [(3, "poblacion")]  # the company has no town
    content = content.replace(b"46023,,Valencia", b"46023,Val\xe8ncia,Valencia")
    batch = import_check(actor=admin_a, file_name="clientes.csv", content=content)
    assert batch.errors == [] and batch.status == "checked" and batch.total_rows == 2
    assert batch.rows["source"]["encoding"] == "ISO-8859-1 / Windows-1252"
    assert batch.rows["source"]["delimiter"] == "coma"
    assert not Party.objects.exists()  # the dry run wrote nothing

    batch = import_apply(actor=admin_a, batch=batch)
    assert batch.status == "applied" and batch.created_parties == 2 and batch.applied_at
    jose = Party.objects.get(tax_id="12345678Z")
    assert (jose.first_name, jose.last_name, jose.second_last_name) == ("José", "Muñoz", "Peña")
    assert jose.display_name == "José Muñoz Peña" and jose.birth_date == date(1975, 2, 3) and jose.kind == "person"
    assert sorted(jose.contacts.values_list("kind", "normalized")) == [("email", "jose.munoz@example.es"),
                                                                        ("phone", "34600112233")]
    address = jose.addresses.get()
    assert (address.street, address.postal_code, address.city, address.province) == ("Calle de Alcalá, 50", "28013",
                                                                                      "Madrid", "28")
    assert jose.bank_accounts.get().iban == "ES9121000418450200051332"
    assert sorted(jose.tags.values_list("name", flat=True)) == ["Autónomo", "VIP"]
    talleres = Party.objects.get(tax_id="B86561412")
    assert talleres.kind == "company" and talleres.display_name == "Talleres Muñoz S.L."
    assert talleres.addresses.get().city == "València"
    assert AuditEvent.objects.filter(object_id=str(jose.pk), content_type__model="party", action="create").exists()
    with pytest.raises(ValidationError, match="ya se aplicó"):
        import_apply(actor=admin_a, batch=batch)
    assert Party.objects.count() == 2


def test_wrong_columns_give_one_clear_error(admin_a):
    batch = import_check(actor=admin_a, file_name="clientes.csv",
                         content=csv_bytes("Name;Surname;NIF;Email", "Ana;Ruiz;12345678Z;ana@example.es"))
    assert batch.status == "rejected" and len(batch.errors) == 1
    error = batch.errors[0]
    assert (error["line"], error["field"]) == (1, "")
    message = error["message"]
    assert "faltan: tipo, nombre, apellido1" in message and "no se reconocen: Name, Surname" in message
    assert "Se esperan: " + ", ".join(COLUMNS) in message
    assert "Se encontraron: Name, Surname, NIF, Email" in message
    assert not Party.objects.exists()


def test_headers_ignore_case_accents_and_bom(admin_a):
    header = HEADER.replace("razon_social", "Razón Social").replace("codigo_postal", "Código postal").upper()
    batch = import_check(actor=admin_a, file_name="clientes.csv", content=b"\xef\xbb\xbf" + csv_bytes(header, LUCIA))
    assert batch.status == "checked", batch.errors
    assert batch.rows["source"]["encoding"] == "UTF-8 (con BOM)" and batch.rows["source"]["delimiter"] == "punto y coma"


@pytest.mark.parametrize("content, message", [
    (b"", "vacío"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, ".xls (Excel 97-2003) no se admite"),
    (csv_bytes(HEADER), "solo tiene la cabecera"),
])
def test_unreadable_files_are_refused_with_a_message(admin_a, content, message):
    batch = import_check(actor=admin_a, file_name="clientes.csv", content=content)
    assert batch.status == "rejected" and message in batch.errors[0]["message"]


def test_every_column_is_checked_like_the_party_services(admin_a):
    rows = [
        "alien;;Ana;Ruiz;;;;;;;;;;;",                                           # 2 tipo
        "persona;B86561412;Ana;Ruiz;;;;;;;;;;;",                                # 3 nif: CIF for a person
        "persona;;;;;;;;;;;;;;",                                                # 4 nombre, apellido1
        "empresa;;;;;;;;;;;;;;",                                                # 5 razon_social
        "persona;;Ana;Ruiz;;;31/02/1980;;;;;;;;",                               # 6 fecha_nacimiento
        "persona;;Ana;Ruiz;;;01/01/2999;;;;;;;;",                               # 7 fecha_nacimiento (future)
        "persona;;Ana;Ruiz;;;;ana@;;;;;;;",                                     # 8 email
        "persona;;Ana;Ruiz;;;;;12345;;;;;;",                                    # 9 telefono
        "persona;;Ana;Ruiz;;;;;;Calle 1;46004;Valencia;Atlántida;;",            # 10 provincia
        "persona;;Ana;Ruiz;;;;;;Calle 1;99001;Valencia;;;",                     # 11 codigo_postal
        "persona;;Ana;Ruiz;;;;;;;;;;ES00 2100 0418 4502 0005 1332;",            # 12 iban
        "persona;;Ana;Ruiz;;;;;;;;;;;" + "x" * 61,                              # 13 etiquetas
        "persona;;Ana;Ruiz;;;;;;;;;;;;sobra",                                   # 14 extra cell
    ]
    batch = import_check(actor=admin_a, file_name="c.csv", content=csv_bytes(HEADER, *rows))
    assert where(batch) == [
        (2, "tipo"), (3, "nif"), (4, "nombre"), (4, "apellido1"), (5, "razon_social"), (6, "fecha_nacimiento"),
        (7, "fecha_nacimiento"), (8, "email"), (9, "telefono"), (10, "provincia"), (11, "codigo_postal"), (12, "iban"),
        (13, "etiquetas"), (14, ""),
    ]
    assert "CIF de persona jurídica" in batch.errors[1]["message"]


def test_duplicate_tax_ids_in_the_file_and_in_the_database(admin_a):
    Party.objects.create(display_name="Luis Gil", kind="person", tax_id="X1234567L", first_name="Luis", last_name="Gil")
    rows = [LUCIA, LUCIA.replace("Lucía", "Lucia"), LUIS_WRONG_CP.replace("28001", "46001")]
    batch = import_check(actor=admin_a, file_name="c.csv", content=csv_bytes(HEADER, *rows))
    assert where(batch) == [(3, "nif"), (4, "nif")]
    assert "ya aparece en la línea 2" in batch.errors[0]["message"]
    assert "Ya existe un cliente con el NIF X1234567L: Luis Gil" in batch.errors[1]["message"]


def test_apply_rechecks_and_creates_nothing_if_the_data_changed(admin_a):
    batch = import_check(actor=admin_a, file_name="c.csv", content=csv_bytes(HEADER, LUCIA, LUIS_WRONG_CP.replace(
        "28001", "46001")))
    assert batch.status == "checked"
    Party.objects.create(display_name="Luis Gil", kind="person", tax_id="X1234567L", first_name="Luis", last_name="Gil")
    with pytest.raises(ValidationError, match="ya no es válido"):
        import_apply(actor=admin_a, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "rejected" and where(batch) == [(3, "nif")]
    assert not Party.objects.filter(tax_id="12345678Z").exists()  # all or nothing


def test_xlsx_works(admin_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.upper() for c in COLUMNS])
    sheet.append(["persona", "12345678Z", "Núria", "Puig", "Vila", None, datetime(1985, 4, 23), "nuria@example.cat",
                  600112233, "Carrer de Mallorca 401", 8013, "Barcelona", "08", "ES9121000418450200051332", "VIP"])
    sheet.append([None] * len(COLUMNS))  # blank rows are skipped
    sheet.append(["empresa", "B86561412", None, None, None, "Talleres Ruiz S.L.", None, None, None, None, None, None,
                  None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = import_check(actor=admin_a, file_name="clientes.xlsx", content=buffer.getvalue())
    assert batch.status == "checked", batch.errors
    assert batch.rows["source"]["type"] == "XLSX" and batch.total_rows == 2
    assert [i["line"] for i in batch.rows["items"]] == [2, 4]
    import_apply(actor=admin_a, batch=batch)
    nuria = Party.objects.get(tax_id="12345678Z")
    assert nuria.birth_date == date(1985, 4, 23)
    assert nuria.addresses.get().postal_code == "08013"  # Excel dropped the leading zero
    assert nuria.contacts.get(kind="phone").normalized == "34600112233"
    assert Party.objects.get(tax_id="B86561412").display_name == "Talleres Ruiz S.L."


def test_xlsx_with_bad_row_reports_the_sheet_line(admin_a):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    sheet.append(["persona", "12345678A", "Ana", "Ruiz"] + [None] * 11)
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = import_check(actor=admin_a, file_name="clientes.xlsx", content=buffer.getvalue())
    assert where(batch) == [(2, "nif")]


def test_check_runs_a_fixed_number_of_queries_whatever_the_size(admin_a):
    def content(n, start=0):
        rows = [f"persona;{dni(10_000_000 + i)};Nombre{i};Apellido;;;01/01/1980;p{i}@example.es;600{i:06d};"
                f"Calle {i};46{i % 1000:03d};Valencia;46;ES9121000418450200051332;Grupo {i % 3}"
                for i in range(start, start + n)]
        return csv_bytes(HEADER, *rows)

    import_check(actor=admin_a, file_name="a.csv", content=content(5))
    with CaptureQueriesContext(connection) as few:
        small = import_check(actor=admin_a, file_name="a.csv", content=content(20))
    with CaptureQueriesContext(connection) as many:
        big = import_check(actor=admin_a, file_name="b.csv", content=content(2000, start=100))
    assert small.status == big.status == "checked", big.errors[:3]
    assert len(few) == len(many), [q["sql"][:80] for q in many.captured_queries]

    def not_audit(queries):
        return [q["sql"] for q in queries if not any(
            word in q["sql"] for word in ("audit_", "SAVEPOINT", "advisory", "django_content_type"))]

    medium = import_check(actor=admin_a, file_name="c.csv", content=content(300, start=5000))
    for i in range(3):
        Tag.objects.create(name=f"Grupo {i}")  # so neither apply below creates tags
    with CaptureQueriesContext(connection) as applying_few:
        import_apply(actor=admin_a, batch=small)
    with CaptureQueriesContext(connection) as applying_many:
        import_apply(actor=admin_a, batch=medium)
    # Inserts are bulk; only the audit trail grows with the rows (one event per new party).
    assert len(not_audit(applying_few.captured_queries)) == len(not_audit(applying_many.captured_queries)), (
        [q[:90] for q in not_audit(applying_few.captured_queries)], [q[:90] for q in not_audit(applying_many.captured_queries)])
    import_apply(actor=admin_a, batch=big)
    assert Party.objects.count() == 2320 and ContactPoint.objects.count() == 4640 and Address.objects.count() == 2320
    assert BankAccount.objects.count() == 2320 and Tag.objects.count() == 3
    assert Party.tags.through.objects.count() == 2320
    assert AuditEvent.objects.filter(verb="import", content_type__model="party").count() == 2320


def test_large_batches_are_applied_by_a_background_job(client_a, admin_a, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    from django.conf import settings

    from apps.crm.services import imports
    from apps.jobs.models import JobRun

    monkeypatch.setattr(imports, "SYNC_APPLY_ROWS", 1)
    batch = import_check(actor=admin_a, file_name="c.csv",
                         content=csv_bytes(HEADER, LUCIA, LUIS_WRONG_CP.replace("28001", "46001")))
    with django_capture_on_commit_callbacks(execute=not settings.REDIS_URL):
        response = client_a.post(f"/crm/importaciones/{batch.pk}/aplicar/")
    assert response.status_code == 302
    job = JobRun.objects.get(task_name="apps.crm.tasks.import_apply")
    assert job.params == {"batch_id": batch.pk}
    if not settings.REDIS_URL:
        job.refresh_from_db()
        assert job.status == "succeeded" and job.result["created_parties"] == 2 and job.progress == 100
        assert Party.objects.count() == 2
        page = client_a.get(f"/crm/importaciones/{batch.pk}/").content.decode()
        assert f'data-job-id="{job.pk}"' in page and "Aplicado" in page


def test_comercial_imports_become_its_clients(tenants, users_a):
    comercial = users_a["comercial"]
    client = host_client(tenants.alfa_host, comercial)
    upload = io.BytesIO(csv_bytes(HEADER, LUCIA))
    upload.name = "mis-clientes.csv"
    response = client.post("/crm/importaciones/", {"file": upload})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.uploaded_by == comercial and batch.status == "checked"
    page = client.get(f"/crm/importaciones/{batch.pk}/").content.decode()
    assert "mis-clientes.csv" in page and "Aplicar" in page
    assert client.post(f"/crm/importaciones/{batch.pk}/aplicar/").status_code == 302
    assert Party.objects.get(tax_id="12345678Z").account_manager == comercial
    assert BankAccount.objects.get().holder_name == "Lucía Navarro Ruiz"
    # Another user's batch is not visible to a Comercial.
    other = host_client(tenants.alfa_host, users_a["direccion"])
    assert other.get(f"/crm/importaciones/{batch.pk}/").status_code == 200
    mine = ImportBatch.objects.create(file_name="de-direccion.csv", uploaded_by=users_a["direccion"], status="checked")
    assert client.get(f"/crm/importaciones/{mine.pk}/").status_code == 404


def test_report_page_shows_errors_by_line_and_column(client_a, tenants, users_a):
    upload = io.BytesIO(csv_bytes(HEADER, LUCIA, LUIS_WRONG_CP, ANA_BAD_NIF))
    upload.name = "clientes.csv"
    response = client_a.post("/crm/importaciones/", {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/crm/importaciones/{batch.pk}/"
    page = client_a.get(response["Location"]).content.decode()
    assert "Con errores" in page and "2 errores" in page and "codigo_postal" in page and "12345678A" in page
    assert "Aplicar" not in page and 'id="import-errors"' in page
    errors_csv = b"".join(client_a.get(f"/crm/importaciones/{batch.pk}/?export=csv").streaming_content).decode()
    assert "3;codigo_postal;" in errors_csv and "4;nif;" in errors_csv
    assert client_a.post(f"/crm/importaciones/{batch.pk}/aplicar/").status_code == 302
    assert not Party.objects.exists()
    template = client_a.get("/crm/importaciones/plantilla.csv").content.decode("utf-8-sig")
    assert template.splitlines()[0] == HEADER
    # The example row of the template is itself valid.
    assert import_check(actor=None, file_name="p.csv", content=template.encode()).status == "checked"
    assert host_client(tenants.alfa_host, users_a["contabilidad"]).get("/crm/importaciones/").status_code == 403


def test_upload_form_refuses_other_file_types(client_a):
    upload = io.BytesIO(b"%PDF-1.4")
    upload.name = "clientes.pdf"
    response = client_a.post("/crm/importaciones/", {"file": upload})
    assert response.status_code == 200 and "Suba un fichero .csv o .xlsx" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_dry_run_warns_per_line_about_likely_duplicates_without_blocking(client_a, admin_a):
    from apps.crm.services.parties import party_create

    existing = party_create(actor=admin_a, data={"kind": "person", "first_name": "María", "last_name": "García",
                                                 "second_last_name": "López", "birth_date": date(1980, 5, 17)},
                            contacts=[{"kind": "phone", "value": "+34 611 222 333"}])
    by_phone = party_create(actor=admin_a, data={"kind": "person", "first_name": "Jorge", "last_name": "Vidal"},
                            contacts=[{"kind": "email", "value": "jorge.vidal@correo.es"}])
    rows = [
        # Line 2: no accents, same birth date and the same phone written another way.
        "persona;;Maria;Garcia;Lopez;;17/05/1980;;611222333;;;;;;",
        # Line 3: a different person born the same day.
        "persona;;Pedro;Sanz;Gil;;17/05/1980;;;;;;;;",
        # Line 4: same e-mail in capitals, similar name.
        "persona;;Jorge;Vidal;Ruiz;;;JORGE.VIDAL@correo.es;;;;;;;",
    ]
    batch = import_check(actor=admin_a, file_name="clientes.csv", content=csv_bytes(HEADER, *rows))
    assert batch.status == "checked" and batch.errors == []
    assert [(w["line"], w["field"], w["party"]) for w in batch.warnings] == [
        (2, "nombre", existing.pk), (4, "nombre", by_phone.pk)]
    first = batch.warnings[0]["message"]
    assert first.startswith("Posible duplicado de «María García López»")
    assert "misma fecha de nacimiento" in first and "mismo teléfono (+34 611 222 333)" in first
    assert "mismo correo (jorge.vidal@correo.es)" in batch.warnings[1]["message"]

    page = client_a.get(f"/crm/importaciones/{batch.pk}/").content.decode()
    assert 'id="import-warnings"' in page and "2 avisos" in page and "María García López" in page
    assert "Aplicar: crear 3 clientes" in page  # warnings do not block
    report = b"".join(client_a.get(f"/crm/importaciones/{batch.pk}/?export=csv").streaming_content).decode()
    assert "2;nombre;\"Aviso: Posible duplicado" in report and "4;nombre;Aviso: Posible duplicado" in report
    assert import_apply(actor=admin_a, batch=batch).created_parties == 3


def test_duplicate_warnings_take_a_fixed_number_of_queries(admin_a):
    from apps.crm.services.parties import party_create

    for i in range(3):
        party_create(actor=admin_a, data={"kind": "person", "first_name": f"Nombre{i}", "last_name": "Apellido",
                                          "birth_date": date(1980, 1, 1)})

    def content(n):  # the first three rows like the stored parties, the others born in 1990
        return csv_bytes(HEADER, *[f"persona;;Nombre{i};Apellido;;;01/01/{1980 if i < 3 else 1990};p{i}@example.es;"
                                   f"600{i:06d};;;;;;" for i in range(n)])

    import_check(actor=admin_a, file_name="a.csv", content=content(3))
    with CaptureQueriesContext(connection) as few:
        small = import_check(actor=admin_a, file_name="a.csv", content=content(4))
    with CaptureQueriesContext(connection) as many:
        big = import_check(actor=admin_a, file_name="b.csv", content=content(400))
    assert small.warnings and small.warnings == big.warnings
    assert {w["line"] for w in big.warnings} == {2, 3, 4}
    assert len(few) == len(many), [q["sql"][:80] for q in many.captured_queries]
