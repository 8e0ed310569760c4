"""Importing parties from CSV or XLSX: a dry run first, then all rows or none.

`import_check` reads the file, validates every row the way the party services do and stores
an ImportBatch (CHECKED, or REJECTED with errors [{"line", "field", "message"}] where line is
the file line, header = 1), plus warnings in the same shape (with "party": the pk) for rows
that look like a party already stored (similar name and the same birth date, phone or e-mail):
they do not block applying. Nothing else is written. `import_apply` re-validates a CHECKED
batch against today's data and creates every party in one transaction.

ImportBatch.rows holds {"source": {type, encoding, delimiter}, "columns": [...], "items":
[{"line": n, "values": {column: text}}]}: the file as read, so applying never re-reads it.
"""
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record, snapshot
from apps.core.events import publish
from apps.core.validators import normalize_tax_id
from apps.crm.choices import AddressKind, ContactKind, ImportStatus, PartyKind
from apps.crm.models import Address, BankAccount, ContactPoint, ImportBatch, Party, Tag
from apps.crm.provinces import Province
from apps.crm.services import parties as party_rules
from apps.crm.services.duplicates import Probe, find_duplicates_many

# Readable names of this module's audit verbs (apps.audit.choices.VERB_LABELS is the registry).
for _verb, _label in {
    "import_check": gettext_lazy("importación revisada"),
    "import_apply": gettext_lazy("importación aplicada"),
    "import_apply_refused": gettext_lazy("importación rechazada al aplicar"),
    "import": gettext_lazy("alta por importación"),
}.items():
    VERB_LABELS.setdefault(_verb, _label)

COLUMNS = ["tipo", "nif", "nombre", "apellido1", "apellido2", "razon_social", "fecha_nacimiento", "email", "telefono",
           "direccion", "codigo_postal", "poblacion", "provincia", "iban", "etiquetas"]
# Other spellings people use for the same headers (after lower-casing and removing accents).
HEADER_ALIASES = {
    "nif_nie_cif": "nif", "dni": "nif", "cif": "nif", "nif_cif": "nif", "tipo_de_cliente": "tipo",
    "primer_apellido": "apellido1", "apellido_1": "apellido1", "segundo_apellido": "apellido2",
    "apellido_2": "apellido2", "empresa": "razon_social", "fecha_de_nacimiento": "fecha_nacimiento",
    "correo": "email", "correo_electronico": "email", "e_mail": "email", "movil": "telefono", "cp": "codigo_postal",
    "codigo_postal_": "codigo_postal", "localidad": "poblacion", "municipio": "poblacion", "domicilio": "direccion",
    "cuenta": "iban", "tags": "etiquetas",
}
MAX_ROWS = 50_000
SYNC_APPLY_ROWS = 1_000  # larger batches are applied by a background job
PERSON_WORDS = {"person", "persona", "fisica", "persona fisica", "f", "pf", "particular"}
COMPANY_WORDS = {"company", "empresa", "juridica", "persona juridica", "j", "pj", "sociedad"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; one message for people."""


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text).strip().lower()


def header_key(text) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", _plain(text or "")).strip("_")
    return HEADER_ALIASES.get(key, key)


# --- provinces and postal codes ------------------------------------------------------------------

_PROVINCE_ALIASES = {
    "alava": "01", "araba": "01", "alicante": "03", "alacant": "03", "baleares": "07", "islas baleares": "07",
    "balears": "07", "castellon": "12", "castello": "12", "castellon de la plana": "12", "la coruna": "15",
    "coruna": "15", "a coruna": "15", "gerona": "17", "guipuzcoa": "20", "lerida": "25", "rioja": "26",
    "orense": "32", "tenerife": "38", "vizcaya": "48", "biscay": "48", "nafarroa": "31", "valencia": "46",
    "gran canaria": "35",
}


def _province_index() -> dict[str, str]:
    index = dict(_PROVINCE_ALIASES)
    for code, label in Province.choices:
        index[_plain(label)] = code
        for part in label.split("/"):
            index[_plain(part)] = code
    return index


_PROVINCES = _province_index()


def province_code(text: str) -> str | None:
    """An INE province code from "46", "6", "Valencia", "València", "Provincia de Valencia"…"""
    value = str(text or "").strip()
    if value.isdigit() and len(value) <= 2:
        code = value.zfill(2)
        return code if code in Province.values else None
    plain = re.sub(r"^provincia de ", "", _plain(value))
    return _PROVINCES.get(plain)


# --- reading the file --------------------------------------------------------------------------

@dataclass
class ParsedFile:
    source: dict
    columns: list[str]
    items: list[dict] = field(default_factory=list)  # {"line": n, "values": {column: text}}


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict"), "UTF-8 (con BOM)"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "UTF-16"
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "ISO-8859-1 / Windows-1252"
    except UnicodeDecodeError:
        return content.decode("latin-1"), "ISO-8859-1"


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: header.count(d) for d in ";,\t"}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_csv(content: bytes) -> tuple[dict, list[tuple[int, list[str]]]]:
    try:
        text, encoding = _decode(content)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("El fichero dice ser UTF-8 pero no lo es (%(error)s). Guárdelo de nuevo como "
                                "«CSV UTF-8».") % {"error": exc}) from exc
    if "\x00" in text:
        raise ImportFileError(_("El fichero no parece un CSV ni un XLSX (contiene datos binarios)."))
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, previous_end = [], 0
    try:
        for cells in reader:
            rows.append((previous_end + 1, [c.strip() for c in cells]))
            previous_end = reader.line_num
    except csv.Error as exc:
        raise ImportFileError(_("No se puede leer el CSV cerca de la línea %(line)d: %(error)s.") % {
            "line": previous_end + 1, "error": exc}) from exc
    names = {";": _("punto y coma"), ",": _("coma"), "\t": _("tabulador")}
    return {"type": "CSV", "encoding": encoding, "delimiter": names.get(delimiter, delimiter)}, rows


def _rows_xlsx(content: bytes) -> tuple[dict, list[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("El fichero no es un Excel (.xlsx) válido: %(error)s.") % {"error": exc}) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [(number, [_cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()
    return {"type": "XLSX", "encoding": "", "delimiter": "", "sheet": sheet.title}, rows


def import_parse(file_name: str, content: bytes) -> ParsedFile:
    """The file's header and non-empty rows, or ImportFileError with one clear message."""
    if not content or not content.strip():
        raise ImportFileError(_("El fichero está vacío."))
    lower = (file_name or "").lower()
    if content.startswith(b"\xd0\xcf\x11\xe0") or lower.endswith(".xls"):
        raise ImportFileError(_("El formato .xls (Excel 97-2003) no se admite: guárdelo como .xlsx o como CSV."))
    if content.startswith(b"PK\x03\x04") or lower.endswith(".xlsx"):
        source, rows = _rows_xlsx(content)
    else:
        source, rows = _rows_csv(content)
    rows = [(line, cells) for line, cells in rows if any(cells)]
    if not rows:
        raise ImportFileError(_("El fichero no tiene cabecera ni filas."))
    header_line, header = rows[0]
    while header and not header[-1]:
        header = header[:-1]
    keys = [header_key(h) for h in header]
    expected = set(COLUMNS)
    missing = [c for c in COLUMNS if c not in keys]
    unknown = [h for h, k in zip(header, keys, strict=True) if k not in expected]
    repeated = sorted({h for h, k in zip(header, keys, strict=True) if k in expected and keys.count(k) > 1})
    if missing or unknown or repeated:
        problems = []
        if missing:
            problems.append(_("faltan: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            problems.append(_("no se reconocen: %(cols)s") % {"cols": ", ".join(unknown) or _("(vacías)")})
        if repeated:
            problems.append(_("repetidas: %(cols)s") % {"cols": ", ".join(repeated)})
        raise ImportFileError(_(
            "Las columnas no son las esperadas (%(problems)s). Se esperan: %(expected)s. Se encontraron: %(found)s. "
            "Si el fichero usa otra codificación o separador, guárdelo como CSV UTF-8 o como Excel (.xlsx)."
        ) % {"problems": "; ".join(problems), "expected": ", ".join(COLUMNS),
             "found": ", ".join(header) or _("ninguna")})
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_("El fichero tiene %(n)d filas; el máximo por importación es %(max)d. Divídalo.")
                              % {"n": len(rows) - 1, "max": MAX_ROWS})
    parsed = ParsedFile(source=source, columns=keys)
    width = len(keys)
    for line, cells in rows[1:]:
        extra = [c for c in cells[width:] if c]
        values = {key: (cells[i] if i < len(cells) else "") for i, key in enumerate(keys)}
        if extra:
            values["__extra__"] = str(len(cells))
        parsed.items.append({"line": line, "values": values})
    if not parsed.items:
        raise ImportFileError(_("El fichero solo tiene la cabecera: no hay clientes que importar."))
    return parsed


# --- validating rows --------------------------------------------------------------------------------

def _max_length(model, name):
    return model._meta.get_field(name).max_length


# The bulk insert skips full_clean, so lengths are checked here, per column.
_LIMITS = {
    "nombre": _max_length(Party, "first_name"), "apellido1": _max_length(Party, "last_name"),
    "apellido2": _max_length(Party, "second_last_name"), "razon_social": _max_length(Party, "company_name"),
    "direccion": _max_length(Address, "street"), "poblacion": _max_length(Address, "city"),
    "email": _max_length(ContactPoint, "value"), "telefono": _max_length(ContactPoint, "value"),
}
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# Service field name → file column, to report each error where the user typed the value.
_PARTY_COLUMNS = {"kind": "tipo", "tax_id": "nif", "first_name": "nombre", "last_name": "apellido1",
                  "second_last_name": "apellido2", "company_name": "razon_social", "birth_date": "fecha_nacimiento"}
_ADDRESS_COLUMNS = {"street": "direccion", "postal_code": "codigo_postal", "city": "poblacion", "province": "provincia",
                    "kind": "direccion", "country": "direccion"}


def compact_tax_id(value: str) -> str:
    """Spreadsheets write "12.345.678-Z": dots, dashes and spaces go before the service's check."""
    return normalize_tax_id(re.sub(r"[\s.\-/]", "", value or "").upper())


def _parse_date(text: str):
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _column_errors(exc: ValidationError, columns: dict, default: str) -> list[tuple[str, str]]:
    return [(columns.get(name, default), str(message))
            for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items() for message in messages]


def validate_row(values: dict) -> tuple[dict, list[tuple[str, str]]]:
    """One row → (party, contacts, addresses, bank accounts, tags as the party services take them,
    [(column, message)]). Validated by the party services' own functions; no database access
    (duplicate tax ids are checked for the whole file at once)."""
    errors: list[tuple[str, str]] = []
    v = {key: re.sub(r"\s+", " ", str(values.get(key, "") or "")).strip() for key in COLUMNS}
    if values.get("__extra__"):
        errors.append(("", _("La fila tiene %(n)s celdas y la cabecera %(m)d columnas: sobran datos al final.") % {
            "n": values["__extra__"], "m": len(COLUMNS)}))
    for column, limit in _LIMITS.items():
        if limit and len(v[column]) > limit:
            errors.append((column, _("Demasiado largo: %(n)d caracteres (máximo %(max)d).") % {
                "n": len(v[column]), "max": limit}))

    raw_tax_id = compact_tax_id(v["nif"]) if v["nif"] else ""
    found = party_rules.tax_id_kind(raw_tax_id) if raw_tax_id else None
    plain_kind = _plain(v["tipo"])
    if plain_kind in PERSON_WORDS:
        kind = PartyKind.PERSON
    elif plain_kind in COMPANY_WORDS:
        kind = PartyKind.COMPANY
    elif plain_kind:
        kind = None
        errors.append(("tipo", _("«%(value)s» no es un tipo válido: escriba «persona» o «empresa».") % {
            "value": v["tipo"]}))
    elif found:
        kind = PartyKind.COMPANY if found == "cif" else PartyKind.PERSON
    else:
        kind = PartyKind.COMPANY if v["razon_social"] and not v["nombre"] else PartyKind.PERSON

    birth_date = None
    if v["fecha_nacimiento"]:
        birth_date = _parse_date(v["fecha_nacimiento"])
        if birth_date is None:
            errors.append(("fecha_nacimiento", _("«%(value)s» no es una fecha: use dd/mm/aaaa (p. ej. 31/12/1980).")
                           % {"value": v["fecha_nacimiento"]}))

    party, tax_id = {}, None
    if kind:
        try:
            tax_id = party_rules.tax_id_clean(raw_tax_id, kind)
        except ValidationError as exc:
            errors.extend(("nif", str(m)) for m in exc.messages)
        try:
            # tax_id is left out here: its uniqueness is checked for the whole file in one query.
            party = party_rules.party_clean({
                "kind": kind, "first_name": v["nombre"], "last_name": v["apellido1"],
                "second_last_name": v["apellido2"], "company_name": v["razon_social"], "birth_date": birth_date,
            })
        except ValidationError as exc:
            errors.extend(e for e in _column_errors(exc, _PARTY_COLUMNS, "") if e[0] != "fecha_nacimiento" or birth_date)
        party["tax_id"] = tax_id

    contacts = []
    for column, contact_kind in (("email", ContactKind.EMAIL), ("telefono", ContactKind.PHONE)):
        if v[column]:
            try:
                contacts.append(party_rules.contact_clean({"kind": contact_kind, "value": v[column], "is_primary": True}))
            except ValidationError as exc:
                errors.extend(_column_errors(exc, {}, column))

    addresses = []
    if any(v[c] for c in ("direccion", "codigo_postal", "poblacion", "provincia")):
        postal_code = v["codigo_postal"].replace(" ", "")
        if re.fullmatch(r"\d{4}", postal_code):
            postal_code = "0" + postal_code  # Excel drops the leading zero of 01000-09999
        province = ""
        if v["provincia"]:
            province = province_code(v["provincia"]) or ""
            if not province:
                errors.append(("provincia", _("«%(value)s» no es una provincia española (indique el nombre o el código "
                                              "INE, p. ej. «Valencia» o «46»).") % {"value": v["provincia"]}))
        try:
            addresses.append(party_rules.address_clean({
                "kind": AddressKind.FISCAL, "street": v["direccion"], "postal_code": postal_code,
                "city": v["poblacion"], "province": province, "is_primary": True}))
        except ValidationError as exc:
            errors.extend(e for e in _column_errors(exc, _ADDRESS_COLUMNS, "direccion")
                          if not (e[0] == "provincia" and v["provincia"] and not province))

    bank_accounts = []
    if v["iban"]:
        try:
            bank_accounts.append(party_rules.bank_account_clean({"iban": v["iban"], "is_primary": True}))
        except ValidationError as exc:
            errors.extend(_column_errors(exc, {"bic": "iban"}, "iban"))

    tags, seen = [], set()
    for name in (t.strip() for t in re.split(r"[,|]", v["etiquetas"]) if t.strip()):
        if len(name) > _max_length(Tag, "name"):
            errors.append(("etiquetas", _("La etiqueta «%(name)s…» es demasiado larga (máximo %(max)d caracteres).")
                           % {"name": name[:20], "max": _max_length(Tag, "name")}))
        elif name.lower() not in seen:
            seen.add(name.lower())
            tags.append(name)
    return {"party": party, "contacts": contacts, "addresses": addresses, "bank_accounts": bank_accounts,
            "tags": tags}, errors


def _validate_items(items: list[dict]) -> tuple[list[dict], list[dict]]:
    """Every row, plus duplicate NIFs inside the file and against the database (one query)."""
    cleaned, errors, first_line = [], [], {}
    order = {c: i for i, c in enumerate(COLUMNS)}
    for item in items:
        row, row_errors = validate_row(item["values"])
        line = item["line"]
        tax_id = row["party"].get("tax_id")
        if tax_id and not any(c == "nif" for c, _m in row_errors):
            if tax_id in first_line:
                row_errors.append(("nif", _("El NIF %(nif)s ya aparece en la línea %(line)d del fichero.") % {
                    "nif": tax_id, "line": first_line[tax_id]}))
            else:
                first_line[tax_id] = line
        errors.extend({"line": line, "field": c, "message": str(m)} for c, m in row_errors)
        cleaned.append({"line": line, **row})
    existing = dict(Party.objects.filter(tax_id__in=list(first_line)).values_list("tax_id", "display_name"))
    for tax_id, name in existing.items():
        errors.append({"line": first_line[tax_id], "field": "nif", "message": _(
            "Ya existe un cliente con el NIF %(nif)s: %(name)s.") % {"nif": tax_id, "name": name}})
    errors.sort(key=lambda e: (e["line"], order.get(e["field"], -1)))
    return cleaned, errors


def _duplicate_warnings(cleaned: list[dict], errors: list[dict]) -> list[dict]:
    """Rows like a party already stored (apps.crm.services.duplicates' rule), checked for the whole
    file in a fixed number of queries. Rows whose NIF already exists are errors, not warnings."""
    taken = {e["line"] for e in errors if e["field"] == "nif"}
    probes = []
    for row in cleaned:
        party = row["party"]
        if row["line"] in taken or not party.get("display_name"):
            continue
        contacts = row["contacts"]
        probes.append(Probe(
            key=row["line"], display_name=party["display_name"], birth_date=party.get("birth_date"),
            phones=tuple(c["value"] for c in contacts if c["kind"] == ContactKind.PHONE),
            emails=tuple(c["value"] for c in contacts if c["kind"] == ContactKind.EMAIL)))
    name_column = {row["line"]: "razon_social" if row["party"].get("kind") == PartyKind.COMPANY else "nombre"
                   for row in cleaned}
    warnings = []
    for line, duplicates in sorted(find_duplicates_many(probes).items()):
        for duplicate in duplicates:
            warnings.append({
                "line": line, "field": name_column.get(line, "nombre"), "party": duplicate.party.pk,
                "message": _("Posible duplicado de «%(name)s»%(tax_id)s: %(reasons)s.") % {
                    "name": duplicate.party.display_name,
                    "tax_id": f" ({duplicate.party.tax_id})" if duplicate.party.tax_id else "",
                    "reasons": "; ".join(str(r) for r in duplicate.reasons)},
            })
    return warnings


# --- services -----------------------------------------------------------------------------------

@transaction.atomic
def import_check(*, actor, file_name: str, content: bytes) -> ImportBatch:
    """The dry run: reads and validates the file; stores only the ImportBatch with the result."""
    file_name = (file_name or "fichero").rsplit("/", 1)[-1][:255]
    try:
        parsed = import_parse(file_name, content)
    except ImportFileError as exc:
        batch = ImportBatch.objects.create(
            file_name=file_name, uploaded_by=actor if getattr(actor, "pk", None) else None,
            status=ImportStatus.REJECTED, rows={"source": {}, "columns": [], "items": []},
            errors=[{"line": 1, "field": "", "message": str(exc)}], total_rows=0,
        )
    else:
        cleaned, errors = _validate_items(parsed.items)
        batch = ImportBatch.objects.create(
            file_name=file_name, uploaded_by=actor if getattr(actor, "pk", None) else None,
            status=ImportStatus.REJECTED if errors else ImportStatus.CHECKED,
            rows={"source": parsed.source, "columns": parsed.columns, "items": parsed.items},
            errors=errors, warnings=_duplicate_warnings(cleaned, errors), total_rows=len(parsed.items),
        )
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="import_check", obj=batch, changes={
        "estado": batch.status, "filas": batch.total_rows, "errores": len(batch.errors),
        "avisos": len(batch.warnings)})
    return batch


def batch_source(batch: ImportBatch) -> dict:
    return (batch.rows or {}).get("source", {}) if isinstance(batch.rows, dict) else {}


def batch_items(batch: ImportBatch) -> list[dict]:
    return (batch.rows or {}).get("items", []) if isinstance(batch.rows, dict) else list(batch.rows or [])


def import_apply(*, actor, batch: ImportBatch, progress: Callable | None = None) -> ImportBatch:
    """Creates every party of a CHECKED batch, or none. Re-checks first: the data may have changed
    since the dry run (someone created one of the NIFs); then the batch becomes REJECTED."""
    batch, errors = _apply(actor, batch, progress or (lambda pct, message="": None))
    if errors:
        raise ValidationError(_("El fichero ya no es válido: %(n)d error(es) nuevos desde la revisión (p. ej. línea "
                                "%(line)s: %(message)s). Corrija el fichero y súbalo de nuevo.") % {
            "n": len(errors), "line": errors[0]["line"], "message": errors[0]["message"]})
    return batch


def _check_applicable(batch: ImportBatch) -> None:
    if batch.status == ImportStatus.APPLIED:
        raise ValidationError(_("Esta importación ya se aplicó el %(date)s (%(n)d clientes creados).") % {
            "date": timezone.localtime(batch.applied_at).strftime("%d/%m/%Y %H:%M"), "n": batch.created_parties})
    if batch.status != ImportStatus.CHECKED:
        raise ValidationError(_("Esta importación tiene errores y no se puede aplicar: corrija el fichero y súbalo "
                                "de nuevo."))


@transaction.atomic
def _apply(actor, batch: ImportBatch, progress: Callable) -> tuple[ImportBatch, list]:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _check_applicable(batch)
    progress(5, _("Revisando de nuevo %(n)d filas") % {"n": batch.total_rows})
    cleaned, errors = _validate_items(batch_items(batch))
    if errors:
        batch.status, batch.errors = ImportStatus.REJECTED, errors
        batch.save(update_fields=["status", "errors"])
        audit_event_record(actor=actor, action=AuditAction.ACTION, verb="import_apply_refused", obj=batch,
                           changes={"errores": len(errors)})
        return batch, errors
    progress(20, _("Creando %(n)d clientes") % {"n": len(cleaned)})
    parties = _create_parties(actor, cleaned, progress)
    batch.status, batch.applied_at, batch.created_parties = ImportStatus.APPLIED, timezone.now(), len(parties)
    batch.save(update_fields=["status", "applied_at", "created_parties"])
    audit_event_record(actor=actor, action=AuditAction.ACTION, verb="import_apply", obj=batch,
                       changes={"clientes_creados": len(parties)})
    return batch, []


def import_apply_start(*, actor, batch: ImportBatch):
    """«Aplicar»: small batches are applied at once (returns the batch); large ones run as a
    background job with progress (returns the JobRun), so no request waits for thousands of rows."""
    batch = ImportBatch.objects.get(pk=batch.pk)
    _check_applicable(batch)
    if batch.total_rows <= SYNC_APPLY_ROWS:
        return import_apply(actor=actor, batch=batch)
    running = import_job(batch)
    if running is not None and not running.is_finished:
        raise ValidationError(_("Esta importación ya se está aplicando."))
    from apps.crm.tasks.campaigns import import_apply_job
    from apps.jobs.services.runs import job_start

    return job_start(actor=actor, task=import_apply_job, label=_("Importar clientes de «%(name)s»") % {
        "name": batch.file_name}, params={"batch_id": batch.pk})


def import_job(batch: ImportBatch):
    """The latest background job applying this batch, if any."""
    from apps.jobs.models import JobRun

    return (JobRun.objects.filter(task_name="apps.crm.tasks.import_apply", params__batch_id=batch.pk)
            .order_by("-created_at", "-pk").first())


def _default_manager_for(actor):
    """A Comercial sees only the clients it manages: what it imports is assigned to it."""
    if not getattr(actor, "pk", None) or actor.is_superuser:
        return None
    from apps.identity.services.roles import user_own_only_modules

    return actor if "crm" in user_own_only_modules(actor) else None


def _create_parties(actor, cleaned: list[dict], progress: Callable) -> list[Party]:
    """Bulk inserts (a fixed number of queries per table) plus one audit event per new party.

    The values are the party services' cleaned values (party_clean, contact_clean…), so an
    imported party is stored exactly as one typed in; only the per-row queries are saved.
    """
    user = actor if getattr(actor, "pk", None) else None
    manager = _default_manager_for(actor)
    party_fields = {f.name for f in Party._meta.concrete_fields}
    parties = []
    for row in cleaned:
        values = {k: v for k, v in row["party"].items() if k in party_fields}
        values.setdefault("account_manager", manager)
        parties.append(Party(**values, created_by=user, updated_by=user))
    Party.objects.bulk_create(parties, batch_size=1000)

    tags_by_name = {t.name.lower(): t for t in Tag.objects.all()}
    new_tags = {}
    for row in cleaned:
        for name in row["tags"]:
            if name.lower() not in tags_by_name and name.lower() not in new_tags:
                new_tags[name.lower()] = Tag(name=name)
    if new_tags:
        Tag.objects.bulk_create(new_tags.values())
        tags_by_name.update({t.name.lower(): t for t in Tag.objects.filter(name__in=[t.name for t in new_tags.values()])})

    through = Party.tags.through
    children = []  # per party: {label: [rows]}
    contacts, addresses, accounts, links = [], [], [], []
    for party, row in zip(parties, cleaned, strict=True):
        mine = {
            _("Teléfonos y correos"): [ContactPoint(party=party, **c) for c in row["contacts"]],
            _("Direcciones"): [Address(party=party, **a) for a in row["addresses"]],
            _("Cuentas bancarias"): [
                BankAccount(party=party, **{**b, "holder_name": b.get("holder_name") or party.display_name[:200]})
                for b in row["bank_accounts"]],
        }
        contacts += mine[_("Teléfonos y correos")]
        addresses += mine[_("Direcciones")]
        accounts += mine[_("Cuentas bancarias")]
        links += [through(party_id=party.pk, tag_id=tags_by_name[name.lower()].pk) for name in row["tags"]]
        children.append(mine)
    ContactPoint.objects.bulk_create(contacts, batch_size=1000)
    Address.objects.bulk_create(addresses, batch_size=1000)
    BankAccount.objects.bulk_create(accounts, batch_size=1000)
    through.objects.bulk_create(links, batch_size=1000)

    progress(40, _("Registrando el alta de cada cliente en la auditoría"))
    step = max(1, len(parties) // 10)
    for index, (party, row, mine) in enumerate(zip(parties, cleaned, children, strict=True), start=1):
        if index % step == 0:
            progress(40 + int(58 * index / len(parties)), _("%(done)d de %(total)d clientes") % {
                "done": index, "total": len(parties)})
        changes = {name: [None, value] for name, value in snapshot(party, Party.AUDIT_EXCLUDE).items()}
        if row["tags"]:
            changes["tags"] = [[], sorted(row["tags"])]
        changes.update({str(label): [None, [str(r) for r in rows]] for label, rows in mine.items() if rows})
        audit_event_record(actor=actor, action=AuditAction.CREATE, obj=party, changes=changes, verb="import")
        publish("crm.party.created", pk=party.pk)
    return parties
