from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from apps.core.encryption import BlindIndexField, EncryptedTextField
from apps.core.models import AuditedModel
from apps.crm.choices import AddressKind, Channel, ContactKind, Gender, Language, PartyKind, PartyStatus, RelationKind
from apps.crm.provinces import Province


class Tag(models.Model):
    name = models.CharField(_("nombre"), max_length=60, unique=True)
    color = models.CharField(_("color"), max_length=7, default="#6c757d")

    class Meta:
        verbose_name = _("etiqueta")
        verbose_name_plural = _("etiquetas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Party(AuditedModel):
    """A client, prospect or contact: one person or company every domain points at."""

    kind = models.CharField(_("tipo"), max_length=10, choices=PartyKind.choices, default=PartyKind.PERSON)
    status = models.CharField(_("situación"), max_length=10, choices=PartyStatus.choices, default=PartyStatus.PROSPECT,
                              db_index=True)
    tax_id = models.CharField(_("NIF/NIE/CIF"), max_length=12, null=True, blank=True, unique=True,
                              error_messages={"unique": _("Ya existe un cliente con este NIF/NIE/CIF.")})
    first_name = models.CharField(_("nombre"), max_length=100, blank=True)
    last_name = models.CharField(_("primer apellido"), max_length=100, blank=True)
    second_last_name = models.CharField(_("segundo apellido"), max_length=100, blank=True)
    company_name = models.CharField(_("razón social"), max_length=200, blank=True)
    trade_name = models.CharField(_("nombre comercial"), max_length=200, blank=True)
    display_name = models.CharField(_("nombre completo"), max_length=300, editable=False, db_index=True)
    birth_date = models.DateField(_("fecha de nacimiento"), null=True, blank=True)
    gender = models.CharField(_("sexo"), max_length=10, choices=Gender.choices, blank=True)
    profession = models.CharField(_("profesión"), max_length=120, blank=True)
    cnae = models.CharField(_("CNAE"), max_length=4, blank=True, help_text=_("Código CNAE-2009 de la actividad (4 dígitos)."))
    preferred_language = models.CharField(_("idioma preferido"), max_length=2, choices=Language.choices, default=Language.ES)
    preferred_channel = models.CharField(_("canal preferido"), max_length=12, choices=Channel.choices, default=Channel.EMAIL)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gestor"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="managed_parties",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("etiquetas"), blank=True, related_name="parties")
    notes = models.TextField(_("notas"), blank=True)
    anonymised_at = models.DateTimeField(_("anonimizado"), null=True, blank=True)

    class Meta:
        verbose_name = _("cliente")
        verbose_name_plural = _("clientes")
        ordering = ["display_name"]
        indexes = [
            models.Index(Upper("display_name"), name="crm_party_name_upper_idx"),
            GinIndex(fields=["display_name"], name="crm_party_name_trgm", opclasses=["gin_trgm_ops"]),
            # icontains compiles to UPPER(display_name) LIKE UPPER('%…%'): this index serves it.
            GinIndex(OpClass(Upper("display_name"), name="gin_trgm_ops"), name="crm_party_name_upper_trgm"),
            # The client list's ?q= looks into the tax id too (a partial NIF): same kind of index.
            GinIndex(OpClass(Upper("tax_id"), name="gin_trgm_ops"), name="crm_party_taxid_upper_trgm"),
            models.Index(fields=["birth_date"], name="crm_party_birth_idx"),
            models.Index(fields=["account_manager", "display_name"], name="crm_party_manager_idx"),
        ]

    def __str__(self):
        return self.display_name or str(self.tax_id or self.pk)

    @property
    def is_person(self):
        return self.kind == PartyKind.PERSON


class ContactPoint(models.Model):
    """A phone or e-mail of a party; `normalized` is what duplicate detection compares."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("cliente"))
    kind = models.CharField(_("tipo"), max_length=10, choices=ContactKind.choices)
    value = models.CharField(_("valor"), max_length=254)
    normalized = models.CharField(max_length=254, db_index=True, editable=False)
    label = models.CharField(_("etiqueta"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("principal"), default=False)

    class Meta:
        verbose_name = _("contacto")
        verbose_name_plural = _("contactos")
        ordering = ["-is_primary", "kind", "pk"]
        indexes = [
            # The client list's ?q= finds a party by part of a phone or e-mail (UPPER(normalized) LIKE …).
            GinIndex(OpClass(Upper("normalized"), name="gin_trgm_ops"), name="crm_contact_norm_upper_trgm"),
        ]

    def __str__(self):
        return self.value


class Address(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("cliente"))
    kind = models.CharField(_("tipo"), max_length=10, choices=AddressKind.choices, default=AddressKind.FISCAL)
    street = models.CharField(_("dirección"), max_length=200)
    postal_code = models.CharField(_("código postal"), max_length=5)
    city = models.CharField(_("población"), max_length=100)
    province = models.CharField(_("provincia"), max_length=2, choices=Province.choices)
    country = models.CharField(_("país"), max_length=2, default="ES")
    is_primary = models.BooleanField(_("principal"), default=False)

    class Meta:
        verbose_name = _("dirección")
        verbose_name_plural = _("direcciones")
        ordering = ["-is_primary", "pk"]

    def __str__(self):
        return f"{self.street}, {self.postal_code} {self.city} ({self.get_province_display()})"


class BankAccount(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="bank_accounts", verbose_name=_("cliente"))
    iban = EncryptedTextField(_("IBAN"), max_length=34, blind_index="iban_hash", normalise="iban")
    iban_hash = BlindIndexField(_("huella del IBAN"), source="iban")
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    holder_name = models.CharField(_("titular"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("principal"), default=False)

    class Meta:
        verbose_name = _("cuenta bancaria")
        verbose_name_plural = _("cuentas bancarias")
        ordering = ["-is_primary", "pk"]
        constraints = [models.UniqueConstraint(fields=["party", "iban_hash"], name="crm_bank_account_unique")]

    def __str__(self):
        return f"{self.iban[:4]} … {self.iban[-4:]}"


class PartyRelation(models.Model):
    """`from_party` is <kind> `to_party` (e.g. Ana is spouse of Luis; Luis is employee of Acme)."""

    from_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("cliente"))
    to_party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("relacionado con"))
    kind = models.CharField(_("relación"), max_length=20, choices=RelationKind.choices)
    notes = models.CharField(_("notas"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("relación")
        verbose_name_plural = _("relaciones")
        constraints = [
            models.UniqueConstraint(fields=["from_party", "to_party", "kind"], name="crm_relation_unique"),
            models.CheckConstraint(condition=~models.Q(from_party=models.F("to_party")), name="crm_relation_not_self"),
        ]

    def __str__(self):
        return f"{self.from_party} — {self.get_kind_display()} — {self.to_party}"
