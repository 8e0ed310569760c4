"""Parties (clients, prospects, contacts): creation, edition and their child rows.

Every function here validates first and writes after, inside one transaction: a wrong
address, phone or IBAN leaves nothing half saved. Errors are django ValidationErrors with
one Spanish message per field; rows of a list are named "<list>-<index>-<field>"
(e.g. "addresses-0-postal_code"), the prefixes a Django formset uses.
"""
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from schwifty import IBAN
from schwifty import exceptions as iban_errors
from stdnum.es import cif as es_cif
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.es import nif as es_nif

from apps.audit.choices import AuditAction
from apps.audit.services import audit_event_record
from apps.core.errors import StaleObjectError
from apps.core.events import publish
from apps.core.services.records import record_create, record_update
from apps.core.validators import normalize_tax_id
from apps.crm.choices import RELATION_INVERSE, AddressKind, ContactKind, PartyKind, RelationKind
from apps.crm.models import Address, BankAccount, ContactPoint, Party, PartyRelation, Tag
from apps.crm.provinces import Province
from apps.crm.selectors_parties import party_group, relation_sentence  # noqa: F401  (re-exported)

# Fields a caller may set; display_name is computed, anonymised_at belongs to the GDPR service.
PARTY_FIELDS = (
    "kind", "status", "tax_id", "first_name", "last_name", "second_last_name", "company_name", "trade_name",
    "birth_date", "gender", "profession", "cnae", "preferred_language", "preferred_channel", "account_manager", "notes",
)
PERSON_ONLY = ("first_name", "last_name", "second_last_name", "birth_date", "gender", "profession")
COMPANY_ONLY = ("company_name", "trade_name")
_TEXT_FIELDS = ("first_name", "last_name", "second_last_name", "company_name", "trade_name", "profession", "cnae", "notes")

ADDRESS_FIELDS = ("kind", "street", "postal_code", "city", "province", "country", "is_primary")
CONTACT_FIELDS = ("kind", "value", "label", "is_primary")
BANK_FIELDS = ("iban", "bic", "holder_name", "is_primary")

_DNI_SHAPE = re.compile(r"^\d{8}[A-Z]$")
_NIE_SHAPE = re.compile(r"^[XYZ]\d{7}[A-Z]$")
_CIF_SHAPE = re.compile(r"^[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]$")
_KLM_SHAPE = re.compile(r"^[KLM]\d{7}[A-Z]$")


# --- Values: tax ids, names, postal codes, phones, e-mails, IBANs ----------------------------

def tax_id_kind(value: str) -> str | None:
    """'dni', 'nie', 'klm' (NIF of minors and non-residents), 'cif' or None when not valid."""
    if es_dni.is_valid(value):
        return "dni"
    if es_nie.is_valid(value):
        return "nie"
    if _KLM_SHAPE.match(value) and es_nif.is_valid(value):
        return "klm"
    if es_cif.is_valid(value):
        return "cif"
    return None


def _tax_id_invalid_message(value: str) -> str:
    if _DNI_SHAPE.match(value):
        return _("La letra del DNI %(value)s no es correcta: con esos números la letra es %(letter)s.") % {
            "value": value, "letter": es_dni.calc_check_digit(value[:-1])}
    if _NIE_SHAPE.match(value):
        return _("La letra del NIE %(value)s no es correcta: con esos números la letra es %(letter)s.") % {
            "value": value, "letter": es_nie.calc_check_digit(value[:-1])}
    if _CIF_SHAPE.match(value):
        return _("El carácter de control del CIF %(value)s no es correcto: revise el CIF.") % {"value": value}
    return _("«%(value)s» no es un NIF, NIE ni CIF válido: un DNI son 8 números y una letra, un NIE empieza por "
             "X, Y o Z y un CIF por la letra de la forma jurídica (B para una S.L.).") % {"value": value}


def tax_id_clean(value, kind: str) -> str | None:
    """The tax id compact and upper-case, checked against the party kind; None when empty."""
    value = normalize_tax_id(str(value or "")).upper()
    if not value:
        return None
    found = tax_id_kind(value)
    if found is None:
        raise ValidationError(_tax_id_invalid_message(value), code="invalid_tax_id")
    if kind == PartyKind.PERSON and found == "cif":
        raise ValidationError(
            _("%(value)s es un CIF de persona jurídica: una persona física se identifica con su DNI o NIE. "
              "Si es una empresa, elija «Persona jurídica».") % {"value": value}, code="tax_id_kind")
    if kind == PartyKind.COMPANY and found != "cif":
        raise ValidationError(
            _("%(value)s es un NIF de persona física: una persona jurídica se identifica con su CIF. "
              "Si es un particular, elija «Persona física».") % {"value": value}, code="tax_id_kind")
    return value


def tax_id_check_unique(value: str | None, *, exclude_pk=None) -> None:
    if not value:
        return
    existing = Party.objects.filter(tax_id=value).exclude(pk=exclude_pk).only("pk", "display_name").first()
    if existing:
        raise ValidationError(
            _("Ya existe un cliente con el NIF/NIE/CIF %(value)s: «%(name)s» (n.º %(pk)s).")
            % {"value": value, "name": existing.display_name, "pk": existing.pk},
            code="duplicate_tax_id", params={"pk": existing.pk},
        )


def compute_display_name(values: dict) -> str:
    """Person: "first last second"; company: company name, else trade name."""
    if values.get("kind") == PartyKind.COMPANY:
        return (values.get("company_name") or values.get("trade_name") or "").strip()
    parts = (values.get("first_name"), values.get("last_name"), values.get("second_last_name"))
    return " ".join(" ".join(str(p).split()) for p in parts if p and str(p).strip())


def postal_code_clean(postal_code, province, country: str = "ES") -> tuple[str, str]:
    """(postal code, province); the province is taken from the postal code when missing."""
    postal_code = re.sub(r"\s", "", str(postal_code or ""))
    province = str(province or "").strip()
    errors = {}
    if country != "ES":
        return postal_code, province
    if not re.fullmatch(r"\d{5}", postal_code):
        errors["postal_code"] = _("El código postal son 5 dígitos (p. ej. 28013).")
    else:
        prefix = postal_code[:2]
        if prefix not in Province.values:
            errors["postal_code"] = _("El código postal %(code)s no corresponde a ninguna provincia.") % {"code": postal_code}
        elif not province:
            province = prefix
        elif province not in Province.values:
            errors["province"] = _("Elija una provincia de la lista.")
        elif province != prefix:
            errors["postal_code"] = _("El código postal %(code)s no es de la provincia de %(province)s (es de %(real)s).") % {
                "code": postal_code, "province": Province(province).label, "real": Province(prefix).label}
    if not province and "postal_code" not in errors:
        errors["province"] = _("Elija la provincia.")
    if errors:
        raise ValidationError(errors)
    return postal_code, province


def phone_normalize(value) -> str:
    """Digits with the country code: '600 123 456', '+34 600123456' and '0034600123456' give '34600123456'."""
    raw = str(value or "").strip()
    if re.search(r"[^\d\s+().\-/]", raw) or "+" in raw[1:]:
        raise ValidationError(_("El teléfono «%(value)s» solo puede llevar números, espacios y el prefijo +.") % {"value": raw},
                              code="invalid_phone")
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        international = digits
    elif digits.startswith("00"):
        international = digits[2:]
    elif len(digits) == 9:
        international = "34" + digits
    else:
        international = None
    if international is None or not 8 <= len(international) <= 15:
        raise ValidationError(
            _("El teléfono «%(value)s» no es válido: escriba los 9 dígitos (600 123 456) o el número con su prefijo "
              "internacional (+33 …).") % {"value": raw}, code="invalid_phone")
    if international.startswith("34") and (len(international) != 11 or international[2] not in "6789"):
        raise ValidationError(
            _("El teléfono «%(value)s» no es un número español válido: son 9 dígitos y empieza por 6, 7, 8 o 9.")
            % {"value": raw}, code="invalid_phone")
    return international


def email_normalize(value) -> str:
    email = str(value or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("«%(value)s» no es un correo electrónico válido.") % {"value": value},
                              code="invalid_email") from None
    return email


def iban_clean(value) -> tuple[str, str]:
    """(IBAN compact and upper-case, BIC when the bank registry knows it)."""
    raw = str(value or "").strip()
    compact = re.sub(r"[\s\-.]", "", raw).upper()
    if not compact:
        raise ValidationError(_("Escriba el IBAN (ES y 22 dígitos)."), code="invalid_iban")
    try:
        iban = IBAN(compact, validate_bban=True)
    except iban_errors.InvalidChecksumDigits:
        message = _("Los dígitos de control del IBAN %(value)s no cuadran: revise que esté bien copiado.")
    except iban_errors.InvalidBBANChecksum:
        message = _("Los dígitos de control de la cuenta (CCC) del IBAN %(value)s no cuadran: revise el número de cuenta.")
    except iban_errors.InvalidLength:
        message = _("El IBAN %(value)s no tiene la longitud correcta (un IBAN español tiene 24 caracteres).")
    except iban_errors.InvalidCountryCode:
        message = _("El IBAN %(value)s no empieza por un código de país válido (ES para España).")
    except iban_errors.SchwiftyException:
        message = _("%(value)s no es un IBAN válido: revise los caracteres.")
    else:
        try:
            bic = iban.bic
        except iban_errors.SchwiftyException:
            bic = None
        return iban.compact, str(bic) if bic else ""
    raise ValidationError(message % {"value": raw}, code="invalid_iban")


def _fold_text(values: dict, names: Iterable[str]) -> None:
    for name in names:
        if name in values:
            values[name] = " ".join(str(values[name] or "").split()) if name != "notes" else str(values[name] or "").strip()


# --- Party data --------------------------------------------------------------------------

def _resolve_tags(tags) -> list[Tag]:
    """Tags as Tag rows, ids or names (a name not yet used becomes a new tag)."""
    resolved = []
    for tag in tags or ():
        if isinstance(tag, Tag):
            resolved.append(tag)
        elif isinstance(tag, int):
            resolved.append(Tag.objects.get(pk=tag))
        else:
            name = " ".join(str(tag).split())
            if name:
                resolved.append(Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name[:60]))
    return list(dict.fromkeys(resolved))


def party_clean(data: dict, *, instance: Party | None = None) -> dict:
    """Every settable field of the party after `data`, normalised and checked (raises per field)."""
    unknown = set(data) - set(PARTY_FIELDS) - {"tags"}
    if unknown:
        raise ValueError(f"party fields not settable here: {sorted(unknown)}")
    values = {name: getattr(instance, name) for name in PARTY_FIELDS} if instance else {}
    values.update({k: v for k, v in data.items() if k != "tags"})
    values.setdefault("kind", PartyKind.PERSON)
    _fold_text(values, _TEXT_FIELDS)
    kind = values["kind"]
    errors = {}
    if kind not in PartyKind.values:
        errors["kind"] = [_("Elija persona física o persona jurídica.")]
    # A person has no company name and a company no birth date: switching kind clears the other side.
    for name in COMPANY_ONLY if kind == PartyKind.PERSON else PERSON_ONLY if kind == PartyKind.COMPANY else ():
        if name in values:
            values[name] = None if name == "birth_date" else ""
    if kind == PartyKind.PERSON:
        if not values.get("first_name"):
            errors["first_name"] = [_("Escriba el nombre.")]
        if not values.get("last_name"):
            errors["last_name"] = [_("Escriba el primer apellido.")]
        birth = values.get("birth_date")
        if birth and birth > timezone.localdate():
            errors["birth_date"] = [_("La fecha de nacimiento no puede ser posterior a hoy.")]
        elif birth and birth.year < 1900:
            errors["birth_date"] = [_("Revise la fecha de nacimiento: es anterior a 1900.")]
    elif kind == PartyKind.COMPANY and not values.get("company_name"):
        errors["company_name"] = [_("Escriba la razón social.")]
    if values.get("cnae") and not re.fullmatch(r"\d{4}", values["cnae"]):
        errors["cnae"] = [_("El CNAE son 4 dígitos (p. ej. 6622, agentes y corredores de seguros).")]
    try:
        values["tax_id"] = tax_id_clean(values.get("tax_id"), kind)
        tax_id_check_unique(values["tax_id"], exclude_pk=instance.pk if instance else None)
    except ValidationError as exc:
        errors["tax_id"] = exc.messages
    values["display_name"] = compute_display_name(values)
    if errors:
        raise ValidationError(errors)
    return values


# --- Child rows: validation -------------------------------------------------------------

def address_clean(data: dict) -> dict:
    values = {name: data[name] for name in ADDRESS_FIELDS if name in data}
    _fold_text(values, ("street", "city"))
    values["kind"] = values.get("kind") or AddressKind.FISCAL
    values["country"] = (values.get("country") or "ES").strip().upper()
    errors = {}
    if values["kind"] not in AddressKind.values:
        errors["kind"] = [_("Elija el tipo de dirección.")]
    if not values.get("street"):
        errors["street"] = [_("Escriba la calle y el número.")]
    if not values.get("city"):
        errors["city"] = [_("Escriba la población.")]
    try:
        values["postal_code"], values["province"] = postal_code_clean(
            values.get("postal_code"), values.get("province"), values["country"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    values["is_primary"] = bool(values.get("is_primary"))
    if errors:
        raise ValidationError(errors)
    return values


def contact_clean(data: dict) -> dict:
    values = {name: data[name] for name in CONTACT_FIELDS if name in data}
    kind = values.get("kind")
    raw = str(values.get("value") or "").strip()
    values["label"] = str(values.get("label") or "").strip()
    values["is_primary"] = bool(values.get("is_primary"))
    if kind not in ContactKind.values:
        raise ValidationError({"kind": [_("Elija teléfono o correo electrónico.")]})
    if not raw:
        raise ValidationError({"value": [_("Escriba el teléfono.") if kind == ContactKind.PHONE else _("Escriba el correo electrónico.")]})
    try:
        if kind == ContactKind.PHONE:
            values["normalized"], values["value"] = phone_normalize(raw), raw
        else:
            values["normalized"] = values["value"] = email_normalize(raw)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from None
    return values


def bank_account_clean(data: dict) -> dict:
    values = {name: data[name] for name in BANK_FIELDS if name in data}
    try:
        values["iban"], bic = iban_clean(values.get("iban"))
    except ValidationError as exc:
        raise ValidationError({"iban": exc.messages}) from None
    given_bic = re.sub(r"\s", "", str(values.get("bic") or "")).upper()
    if given_bic and not re.fullmatch(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?", given_bic):
        raise ValidationError({"bic": [_("El BIC son 8 u 11 letras y números (p. ej. CAIXESBBXXX).")]})
    values["bic"] = given_bic or bic
    values["holder_name"] = " ".join(str(values.get("holder_name") or "").split())
    values["is_primary"] = bool(values.get("is_primary"))
    return values


_CHILDREN = {
    # list name: (model, clean, "same row" key, primary scope)
    "addresses": (Address, address_clean, None, ()),
    "contacts": (ContactPoint, contact_clean, ("kind", "normalized"), ("kind",)),
    "bank_accounts": (BankAccount, bank_account_clean, ("iban",), ()),
}
_DUPLICATE_ROW = {
    "contacts": gettext_lazy("Este teléfono o correo ya figura en el cliente."),
    "bank_accounts": gettext_lazy("Esta cuenta ya figura en el cliente."),
}


def _clean_rows(party: Party | None, lists: dict) -> tuple[dict, dict]:
    """Validates every row of every list; (cleaned rows by list, errors "list-i-field")."""
    cleaned, errors = {}, {}
    for list_name, rows in lists.items():
        if rows is None:
            continue
        model, clean, same_key, _scope = _CHILDREN[list_name]
        existing = {row.pk: row for row in model.objects.filter(party=party)} if party and party.pk else {}
        seen = {}
        out = []
        for index, row in enumerate(rows):
            row = dict(row)
            pk = row.get("id") or None
            if pk and int(pk) not in existing:
                errors[f"{list_name}-{index}-__all__"] = [_("Esta fila ya no existe en el cliente: recargue la página.")]
                continue
            instance = existing.get(int(pk)) if pk else None
            if row.get("delete"):
                if instance:
                    out.append(("delete", instance, None, index))
                continue
            try:
                values = clean(row)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors[f"{list_name}-{index}-{field}"] = messages
                continue
            if same_key:
                key = tuple(values[k] for k in same_key)
                field = "iban" if list_name == "bank_accounts" else "value"
                if key in seen:
                    errors[f"{list_name}-{index}-{field}"] = [str(_DUPLICATE_ROW[list_name])]
                    continue
                seen[key] = index
            out.append(("update" if instance else "add", instance, values, index))
        if same_key:
            # A new row equal to an existing row not edited in this same request.
            touched = {instance.pk for _op, instance, _v, _i in out if instance}
            existing_keys = {tuple(getattr(r, k) for k in same_key) for pk, r in existing.items() if pk not in touched}
            field = "iban" if list_name == "bank_accounts" else "value"
            for _op, _instance, values, index in out:
                if values and tuple(values[k] for k in same_key) in existing_keys:
                    errors[f"{list_name}-{index}-{field}"] = [str(_DUPLICATE_ROW[list_name])]
        cleaned[list_name] = out
    return cleaned, errors


def _fix_primary(party: Party, list_name: str, chosen=()) -> None:
    """One primary row per party (per kind for contacts): the last one chosen now, else the current, else the first."""
    model, _clean, _key, scope = _CHILDREN[list_name]
    groups = {}
    for row in model.objects.filter(party=party).order_by("pk"):
        groups.setdefault(tuple(getattr(row, f) for f in scope), []).append(row)
    for group in groups.values():
        picked = [row for row in chosen if row in group]
        primary = picked[-1] if picked else next((r for r in group if r.is_primary), group[0])
        for row in group:
            if row.is_primary != (row.pk == primary.pk):
                model.objects.filter(pk=row.pk).update(is_primary=row.pk == primary.pk)


def _apply_rows(party: Party, cleaned: dict) -> tuple[dict, dict]:
    """Writes the validated rows: (audit changes by readable list name, saved rows by (list, index))."""
    labels = {"addresses": _("Direcciones"), "contacts": _("Teléfonos y correos"), "bank_accounts": _("Cuentas bancarias")}
    changes, saved = {}, {}
    for list_name, operations in cleaned.items():
        model = _CHILDREN[list_name][0]
        before, after, chosen = [], [], []
        for op, instance, values, index in operations:
            if op == "delete":
                description = str(instance)
                try:
                    instance.delete()
                except (ProtectedError, RestrictedError):
                    raise ValidationError({f"{list_name}-{index}-__all__": [
                        _("«%(row)s» se usa en otros registros (pólizas, recibos…) y no se puede quitar.")
                        % {"row": description}]}) from None
                before.append(description)
                continue
            if op == "add":
                instance = model(party=party)
            elif all(getattr(instance, k) == v for k, v in values.items()):
                saved[(list_name, index)] = instance
                continue
            else:
                before.append(str(instance))
            for name, value in values.items():
                setattr(instance, name, value)
            if list_name == "bank_accounts" and not instance.holder_name:
                instance.holder_name = party.display_name
            try:
                instance.full_clean(exclude=["party"])
            except ValidationError as exc:
                raise ValidationError({f"{list_name}-{index}-{field}": messages
                                       for field, messages in exc.message_dict.items()}) from None
            instance.save()
            saved[(list_name, index)] = instance
            after.append(str(instance))
            if values.get("is_primary"):
                chosen.append(instance)
        if operations:
            _fix_primary(party, list_name, chosen)
        if before or after:
            changes[str(labels[list_name])] = [before or None, after or None]
    return changes, saved


def _audit_rows(actor, party: Party, changes: dict) -> None:
    if changes:
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=party, changes=changes, verb="party_contact_data")
        publish("crm.party.updated", pk=party.pk, fields=sorted(changes))


def _row_lists(addresses, contacts, bank_accounts) -> dict:
    return {"addresses": addresses, "contacts": contacts, "bank_accounts": bank_accounts}


# --- Services ----------------------------------------------------------------------------

def party_validate(*, data: dict, addresses: Iterable[dict] = (), contacts: Iterable[dict] = (),
                   bank_accounts: Iterable[dict] = ()) -> tuple[dict, dict]:
    """Checks a new party and its rows without writing anything (a dry run for forms and imports):
    (party values, validated rows); raises one ValidationError with every wrong field."""
    errors = {}
    try:
        values = party_clean(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        values = None
    rows, row_errors = _clean_rows(None, _row_lists(list(addresses), list(contacts), list(bank_accounts)))
    errors.update(row_errors)
    if errors:
        raise ValidationError(errors)
    return values, rows


@transaction.atomic
def party_create(*, actor, data: dict, addresses: Iterable[dict] = (), contacts: Iterable[dict] = (),
                 bank_accounts: Iterable[dict] = (), tags: Iterable = ()) -> Party:
    """A new party with its addresses, phones/e-mails, bank accounts and tags; all or nothing."""
    values, rows = party_validate(data=data, addresses=addresses, contacts=contacts, bank_accounts=bank_accounts)
    all_tags = _resolve_tags(list(data.get("tags") or ()) + list(tags or ()))
    party = record_create(actor=actor, model=Party, data={**values, "tags": all_tags})
    _audit_rows(actor, party, _apply_rows(party, rows)[0])
    return party


def _check_version(current: Party, expected_version) -> None:
    """Before anything else: a stale form would otherwise report rows that someone else removed."""
    if expected_version is None or current.version == int(expected_version):
        return
    raise StaleObjectError(
        _("Este cliente lo modificó %(who)s el %(when)s mientras usted lo editaba (versión %(current)s, usted editaba "
          "la %(yours)s). Recargue la página para ver los cambios y vuelva a aplicar los suyos.") % {
            "who": current.updated_by or _("otro usuario"), "current": current.version, "yours": expected_version,
            "when": timezone.localtime(current.updated_at).strftime("%d/%m/%Y %H:%M")},
        field="version")


@transaction.atomic
def party_update(*, actor, party: Party, data: dict, expected_version: int | None = None,
                 addresses: Iterable[dict] | None = None, contacts: Iterable[dict] | None = None,
                 bank_accounts: Iterable[dict] | None = None, tags: Iterable | None = None) -> Party:
    """Changes the party; with lists, also its rows: {"id": …} updates, {"id": …, "delete": True} removes,
    a row without id is added. A list left as None is not touched."""
    current = Party.objects.select_for_update().get(pk=party.pk)
    _check_version(current, expected_version)
    errors = {}
    try:
        values = party_clean(data, instance=current)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        values = None
    lists = _row_lists(*(None if rows is None else list(rows) for rows in (addresses, contacts, bank_accounts)))
    rows, row_errors = _clean_rows(current, lists)
    errors.update(row_errors)
    if errors:
        raise ValidationError(errors)
    changes = {**values}
    if tags is not None or "tags" in data:
        changes["tags"] = _resolve_tags(tags if tags is not None else data["tags"])
    party = record_update(actor=actor, instance=current, data=changes, expected_version=expected_version)
    _audit_rows(actor, party, _apply_rows(party, rows)[0])
    return party


@transaction.atomic
def address_add(*, actor, party: Party, data: dict) -> Address:
    return _child_write(actor, party, "addresses", data)


@transaction.atomic
def address_update(*, actor, address: Address, data: dict) -> Address:
    merged = {name: getattr(address, name) for name in ADDRESS_FIELDS} | data
    return _child_write(actor, address.party, "addresses", merged, instance=address)


@transaction.atomic
def address_delete(*, actor, address: Address) -> None:
    _child_write(actor, address.party, "addresses", {}, instance=address, delete=True)


@transaction.atomic
def contact_add(*, actor, party: Party, data: dict) -> ContactPoint:
    return _child_write(actor, party, "contacts", data)


@transaction.atomic
def contact_update(*, actor, contact: ContactPoint, data: dict) -> ContactPoint:
    merged = {name: getattr(contact, name) for name in CONTACT_FIELDS} | data
    return _child_write(actor, contact.party, "contacts", merged, instance=contact)


@transaction.atomic
def contact_delete(*, actor, contact: ContactPoint) -> None:
    _child_write(actor, contact.party, "contacts", {}, instance=contact, delete=True)


@transaction.atomic
def bank_account_add(*, actor, party: Party, data: dict) -> BankAccount:
    return _child_write(actor, party, "bank_accounts", data)


@transaction.atomic
def bank_account_update(*, actor, bank_account: BankAccount, data: dict) -> BankAccount:
    merged = {name: getattr(bank_account, name) for name in BANK_FIELDS} | data
    return _child_write(actor, bank_account.party, "bank_accounts", merged, instance=bank_account)


@transaction.atomic
def bank_account_delete(*, actor, bank_account: BankAccount) -> None:
    _child_write(actor, bank_account.party, "bank_accounts", {}, instance=bank_account, delete=True)


def _child_write(actor, party, list_name, data, *, instance=None, delete=False):
    row = {**data, "id": instance.pk if instance else None, "delete": delete}
    rows, errors = _clean_rows(party, {list_name: [row]})
    if errors:
        # Single-row callers get plain field names ("postal_code"), not "addresses-0-postal_code".
        raise ValidationError({key.split("-", 2)[2]: messages for key, messages in errors.items()})
    try:
        changes, saved = _apply_rows(party, rows)
    except ValidationError as exc:
        raise ValidationError({key.split("-", 2)[2]: messages for key, messages in exc.message_dict.items()}) from None
    _audit_rows(actor, party, changes)
    if delete:
        return None
    row = saved[(list_name, 0)]
    row.refresh_from_db()
    return row


# --- Relations ---------------------------------------------------------------------------

def _equivalent_relations(from_party, to_party, kind):
    """The same fact stored either way round (Ana spouse of Luis = Luis spouse of Ana)."""
    q = PartyRelation.objects.filter(from_party=from_party, to_party=to_party, kind=kind)
    inverse = RELATION_INVERSE.get(RelationKind(kind))
    if inverse:
        q = q | PartyRelation.objects.filter(from_party=to_party, to_party=from_party, kind=inverse)
    return q


@transaction.atomic
def relation_add(*, actor, from_party: Party, to_party: Party, kind: str, notes: str = "") -> PartyRelation:
    """`from_party` is <kind> `to_party` (Luis is employee of Acme). Readable from both sides."""
    errors = {}
    if kind not in RelationKind.values:
        errors["kind"] = [_("Elija el tipo de relación.")]
    if from_party.pk == to_party.pk:
        errors["to_party"] = [_("Un cliente no puede relacionarse consigo mismo.")]
    if not errors:
        existing = _equivalent_relations(from_party, to_party, kind).select_related("from_party", "to_party").first()
        if existing:
            errors["to_party"] = [_("Esta relación ya está registrada: %(sentence)s.")
                                  % {"sentence": relation_sentence(existing, existing.from_party)}]
    if errors:
        raise ValidationError(errors)
    relation = PartyRelation(from_party=from_party, to_party=to_party, kind=kind, notes=" ".join(str(notes or "").split()))
    relation.full_clean()
    relation.save()
    for party in (from_party, to_party):
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=party, verb="party_relation",
                           changes={str(_("Relación")): [None, relation_sentence(relation, party)]})
    publish("crm.partyrelation.created", pk=relation.pk, parties=[from_party.pk, to_party.pk])
    return relation


@transaction.atomic
def relation_delete(*, actor, relation: PartyRelation) -> None:
    for party in (relation.from_party, relation.to_party):
        audit_event_record(actor=actor, action=AuditAction.UPDATE, obj=party, verb="party_relation",
                           changes={str(_("Relación")): [relation_sentence(relation, party), None]})
    pk, parties = relation.pk, [relation.from_party_id, relation.to_party_id]
    relation.delete()
    publish("crm.partyrelation.deleted", pk=pk, parties=parties)
