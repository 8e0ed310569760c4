"""SEPA XML files built with sepaxml and checked against the ISO 20022 XSD it ships with.

The XSD check is done here with xmlschema (not sepaxml's own validator) so that a file the bank
would reject is never saved: the refusal carries the schema's first complaint.
"""
import functools
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import sepaxml
import xmlschema
from django.db import connection
from django.utils.translation import gettext as _

from apps.treasury.errors import TreasuryError

SCHEMAS = Path(sepaxml.__file__).resolve().parent / "schemas"
DD_SCHEMA = "pain.008.001.02"
CT_SCHEMA = "pain.001.001.03"


@functools.cache
def schema(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / f"{name}.xsd"))


def cents(amount: Decimal) -> int:
    """sepaxml takes integer cents; amounts are already 2-place Decimals."""
    return int((Decimal(amount) * 100).to_integral_value())


def creditor_name() -> str:
    return getattr(connection.tenant, "name", "") or "AIT-CORE"


def xml_validate(xml: str | bytes, name: str) -> None:
    """Raises TreasuryError when `xml` does not validate against the `name` XSD."""
    errors = list(schema(name).iter_errors(xml if isinstance(xml, str) else xml.decode("utf-8")))
    if errors:
        raise TreasuryError(_("El fichero %(schema)s no supera la validación del esquema XSD: %(reason)s") % {
            "schema": name, "reason": errors[0].reason or errors[0].message}, code="treasury_xml_invalid", status=409)


def message_id(xml: str) -> str:
    root = ET.fromstring(xml)
    for node in root.iter():
        if node.tag.endswith("MsgId"):
            return node.text or ""
    return ""


def as_text(xml: bytes | str) -> str:
    return xml.decode("utf-8") if isinstance(xml, bytes) else xml
