"""Field encryption at rest: keys, the encrypted field classes and the blind index.

Keys come from the environment (settings):
- FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys. The FIRST encrypts, ALL decrypt (MultiFernet),
  so a rotation is: put the new key first, keep the old ones, run `manage.py rotate_field_keys`
  (re-encrypts every row with the first key), then drop the old keys.
- FIELD_HASH_KEY: the HMAC-SHA256 key of the blind index (`<field>_hash` columns) used where equality
  is needed (uniqueness, duplicate checks, lookups). Changing it needs `rotate_field_keys` too.
Without keys, development and tests derive fixed keys (with a loud warning); production settings
refuse to start (aitcore/settings/production.py).

`EncryptedTextField` stores a Fernet token and hands Python the clear text, so readers (SEPA files,
payroll, documents) keep working; `filter(field=value)` / `__iexact` / `__in` are answered by the blind
index column. `HealthJSONField` is a JSONField that encrypts only the health keys (HEALTH_KEYS) wherever
they appear, as {"enc": "<token>"}, so rating and summaries read the rest as before.
"""
import base64
import functools
import hashlib
import hmac
import json
import logging
import re
import warnings

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, In, Lookup

logger = logging.getLogger("aitcore.encryption")

TOKEN_PREFIX = "gAAAAA"  # every Fernet token (version byte 0x80) starts like this in base64
DEV_KEY_SEED = b"aitcore-dev-only-field-encryption-key"
DEV_HASH_SEED = b"aitcore-dev-only-blind-index-key"

# Keys inside risk/insured JSON that hold health data (GDPR art. 9). Lines add theirs with
# register_health_keys(); the value of such a key is stored as {"enc": token}.
HEALTH_KEYS: set[str] = {"smoker", "health_answers", "health_questionnaire", "medical_conditions",
                         "preexisting_conditions", "height_cm", "weight_kg"}


def register_health_keys(*keys: str) -> None:
    HEALTH_KEYS.update(keys)


class KeyConfigurationError(ImproperlyConfigured):
    pass


# --- Keys -------------------------------------------------------------------------------------------

def _dev_keys() -> tuple[list[bytes], str]:
    key = base64.urlsafe_b64encode(hashlib.sha256(DEV_KEY_SEED).digest())
    return [key], hashlib.sha256(DEV_HASH_SEED).hexdigest()


def parse_keys(raw) -> list[bytes]:
    """FIELD_ENCRYPTION_KEYS (a comma string or a list) as Fernet keys; refuses malformed ones."""
    items = [item.strip() for item in (raw.split(",") if isinstance(raw, str) else raw or []) if str(item).strip()]
    keys = []
    for index, item in enumerate(items, start=1):
        key = item.encode() if isinstance(item, str) else item
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise KeyConfigurationError(
                f"FIELD_ENCRYPTION_KEYS: la clave n.º {index} no es una clave Fernet (32 bytes en base64 url-safe). "
                "Genere una con `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key()"
                ".decode())'`.") from None
        keys.append(key)
    return keys


@functools.lru_cache(maxsize=1)
def _material() -> tuple[MultiFernet, bytes, bool]:
    keys = parse_keys(getattr(settings, "FIELD_ENCRYPTION_KEYS", []))
    hash_key = (getattr(settings, "FIELD_HASH_KEY", "") or "").strip()
    dev = False
    if not keys or not hash_key:
        if getattr(settings, "FIELD_ENCRYPTION_REQUIRED", False):
            raise KeyConfigurationError("FIELD_ENCRYPTION_KEYS y FIELD_HASH_KEY son obligatorias en producción.")
        dev_keys, dev_hash = _dev_keys()
        keys = keys or dev_keys
        hash_bytes = (hash_key or dev_hash).encode()
        dev = True
        message = ("AIT-CORE: FIELD_ENCRYPTION_KEYS/FIELD_HASH_KEY no configuradas; se usan claves de DESARROLLO "
                   "fijas y públicas. Nunca las use con datos reales.")
        logger.warning(message)
        warnings.warn(message, RuntimeWarning, stacklevel=2)
    else:
        if len(hash_key) < 32:
            raise KeyConfigurationError("FIELD_HASH_KEY debe tener al menos 32 caracteres aleatorios.")
        hash_bytes = hash_key.encode()
    return MultiFernet([Fernet(k) for k in keys]), hash_bytes, dev


def using_dev_keys() -> bool:
    return _material()[2]


def reset_keys_cache(**_kwargs) -> None:
    _material.cache_clear()


def _on_setting_changed(*, setting, **_kwargs):
    if setting in {"FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "FIELD_ENCRYPTION_REQUIRED"}:
        reset_keys_cache()


setting_changed.connect(_on_setting_changed)


# --- Primitives -------------------------------------------------------------------------------------

def is_token(value) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX)


def encrypt_str(value: str) -> str:
    return _material()[0].encrypt(str(value).encode()).decode()


def decrypt_str(token: str) -> str:
    try:
        return _material()[0].decrypt(token.encode()).decode()
    except InvalidToken:
        raise KeyConfigurationError(
            "No se puede descifrar un campo cifrado: ninguna clave de FIELD_ENCRYPTION_KEYS lo abre "
            "(¿se retiró una clave antigua antes de ejecutar rotate_field_keys?).") from None


def rotate_token(token: str) -> str:
    """The same clear text encrypted with the first (current) key."""
    return _material()[0].rotate(token.encode()).decode()


NORMALISERS = {
    "text": lambda v: " ".join(str(v).split()).upper(),
    "iban": lambda v: re.sub(r"\s+", "", str(v)).upper(),
    "digits": lambda v: re.sub(r"\D", "", str(v)),
}


def blind_index(value, normalise: str = "text") -> str:
    """HMAC-SHA256 (hex) of the normalised value; "" for blank values (so blank rows compare equal)."""
    if value is None:
        return ""
    clean = NORMALISERS[normalise](value)
    if not clean:
        return ""
    return hmac.new(_material()[1], clean.encode(), hashlib.sha256).hexdigest()


# --- Fields -----------------------------------------------------------------------------------------

class EncryptedTextField(models.TextField):
    """Clear text in Python, a Fernet token in the database. `blind_index` names the companion
    BlindIndexField that answers equality lookups; `normalise` is a NORMALISERS key."""

    encrypted = True  # apps.audit snapshot() writes "***" instead of the value

    def __init__(self, *args, blind_index: str | None = None, normalise: str = "text", **kwargs):
        self.blind_index, self.normalise = blind_index, normalise
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.blind_index:
            kwargs["blind_index"] = self.blind_index
        if self.normalise != "text":
            kwargs["normalise"] = self.normalise
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "" or not is_token(value):
            return value  # blank, or a row written before the encryption migration
        return decrypt_str(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or is_token(value):
            return value
        return encrypt_str(value)

    def blind(self, value) -> str:
        return blind_index(value, self.normalise)


class BlindIndexField(models.CharField):
    """HMAC of another field's clear value, recomputed on every save (and bulk_create)."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("editable", False), ("default", "")):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        source = model_instance._meta.get_field(self.source)
        value = blind_index(getattr(model_instance, source.attname), getattr(source, "normalise", "text"))
        setattr(model_instance, self.attname, value)
        return value


class _BlindLookup(Lookup):
    """Equality on an encrypted column, answered by its blind index column."""

    prepare_rhs = False
    target = Exact

    def _index_col(self):
        field = self.lhs.output_field
        if not getattr(field, "blind_index", None) or not isinstance(self.lhs, Col):
            raise ValueError(f"{field.name} está cifrado y no tiene índice ciego: no admite búsquedas por igualdad.")
        return Col(self.lhs.alias, field.model._meta.get_field(field.blind_index)), field

    def as_sql(self, compiler, connection):
        col, field = self._index_col()
        if self.target is In:
            rhs = [field.blind(value) for value in self.rhs]
        else:
            rhs = field.blind(self.rhs)
        return self.target(col, rhs).as_sql(compiler, connection)


@EncryptedTextField.register_lookup
class BlindExact(_BlindLookup):
    lookup_name = "exact"


@EncryptedTextField.register_lookup
class BlindIExact(_BlindLookup):
    lookup_name = "iexact"


@EncryptedTextField.register_lookup
class BlindIn(_BlindLookup):
    lookup_name = "in"
    target = In


# --- Health keys inside JSON ------------------------------------------------------------------------

def encrypt_health(value):
    """A copy of `value` with every HEALTH_KEYS value replaced by {"enc": token}."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in HEALTH_KEYS and not _is_sealed(item):
                out[key] = {"enc": encrypt_str(json.dumps(item, cls=DjangoJSONEncoder))}
            else:
                out[key] = encrypt_health(item)
        return out
    if isinstance(value, list):
        return [encrypt_health(item) for item in value]
    return value


def _is_sealed(item) -> bool:
    return isinstance(item, dict) and set(item) == {"enc"} and is_token(item["enc"])


def decrypt_health(value):
    if isinstance(value, dict):
        return {key: (json.loads(decrypt_str(item["enc"])) if key in HEALTH_KEYS and _is_sealed(item)
                      else decrypt_health(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [decrypt_health(item) for item in value]
    return value


def has_health_data(value) -> bool:
    if isinstance(value, dict):
        return any(key in HEALTH_KEYS or has_health_data(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_health_data(item) for item in value)
    return False


def rotate_health(value):
    """Stored JSON with every health value (sealed or still clear) encrypted with the current key."""
    return encrypt_health(decrypt_health(value))


class HealthJSONField(models.JSONField):
    """A JSONField whose health keys are encrypted at rest (see HEALTH_KEYS)."""

    encrypted_keys = True

    def from_db_value(self, value, expression, connection):
        return decrypt_health(super().from_db_value(value, expression, connection))

    def get_db_prep_value(self, value, connection, prepared=False):
        if isinstance(value, (dict, list)):
            value = encrypt_health(value)
        return super().get_db_prep_value(value, connection, prepared)


def encrypted_fields():
    """(model, field) for every encrypted column of the installed models."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (EncryptedTextField, HealthJSONField)):
                yield model, field


# --- Data migrations: encrypt / decrypt the rows already stored -----------------------------------------

def _rows(connection, table: str, column: str, cast: str = ""):
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {qn(column)}{cast} FROM {qn(table)} WHERE {qn(column)} IS NOT NULL")
        return cursor.fetchall()


def rewrite_text_column(connection, table: str, column: str, *, hash_column: str | None = None,
                        normalise: str = "text", forward: bool = True) -> int:
    """Forward: every clear value encrypted (and its blind index filled); backward: decrypted."""
    qn = connection.ops.quote_name
    updates = []
    for pk, value in _rows(connection, table, column):
        if value == "":
            continue
        if forward:
            clear = decrypt_str(value) if is_token(value) else value
            new = rotate_token(value) if is_token(value) else encrypt_str(value)
            updates.append((new, blind_index(clear, normalise), pk) if hash_column else (new, pk))
        elif is_token(value):
            updates.append((decrypt_str(value), pk))
    if not updates:
        return 0
    sets = f"{qn(column)} = %s" + (f", {qn(hash_column)} = %s" if forward and hash_column else "")
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {qn(table)} SET {sets} WHERE id = %s", updates)
    return len(updates)


def rewrite_json_column(connection, table: str, column: str, *, forward: bool = True, rotate: bool = False) -> int:
    qn = connection.ops.quote_name
    updates = []
    for pk, raw in _rows(connection, table, column, "::text"):
        value = json.loads(raw)
        if not has_health_data(value):
            continue
        if rotate:
            new = rotate_health(value)
        else:
            new = encrypt_health(value) if forward else decrypt_health(value)
        updates.append((json.dumps(new, cls=DjangoJSONEncoder), pk))
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {qn(table)} SET {qn(column)} = %s::jsonb WHERE id = %s", updates)
    return len(updates)


def text_column_migration(table: str, column: str, *, hash_column: str | None = None, normalise: str = "text"):
    """(forward, backward) callables for migrations.RunPython."""
    def forward(apps, schema_editor):
        rewrite_text_column(schema_editor.connection, table, column, hash_column=hash_column, normalise=normalise)

    def backward(apps, schema_editor):
        rewrite_text_column(schema_editor.connection, table, column, forward=False)

    return forward, backward


def json_column_migration(table: str, column: str):
    def forward(apps, schema_editor):
        rewrite_json_column(schema_editor.connection, table, column)

    def backward(apps, schema_editor):
        rewrite_json_column(schema_editor.connection, table, column, forward=False)

    return forward, backward
