"""Dunning of a returned SEPA debit: the client is told by e-mail (issue 7 item 4).

The e-mail goes to the policyholder's e-mail contact (the primary one first) from DEFAULT_FROM_EMAIL,
replying to the account manager, in the client's language (Spanish by default): receipt number, policy,
amount, reason, what happens next (presented again in the next remittance, or contact us to update the
account) and the cover situation of art. 15 LCS. It is sent once the return is committed; a client
without e-mail gets none and the caller says so.
"""
import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.money import format_eur
from apps.crm.choices import ContactKind
from apps.treasury.choices import RemittanceState
from apps.treasury.models import Remittance

logger = logging.getLogger(__name__)
PENDING = (RemittanceState.DRAFT, RemittanceState.GENERATED)


def client_email(party) -> str:
    """The party's e-mail (primary first), or ""."""
    contact = (party.contacts.filter(kind=ContactKind.EMAIL).exclude(value="")
               .order_by("-is_primary", "pk").values_list("value", flat=True).first())
    return (contact or "").strip()


def next_collection_date(*, bank_account, after: datetime.date) -> datetime.date | None:
    """The charge date of the next remittance already being prepared on the same account, if any."""
    return (Remittance.objects.filter(bank_account=bank_account, state__in=PENDING, collection_date__gt=after)
            .order_by("collection_date").values_list("collection_date", flat=True).first())


def _next_step(*, retry: bool, next_date: datetime.date | None) -> str:
    if not retry:
        return _("Este motivo exige revisar la domiciliación: póngase en contacto con nosotros para actualizar su "
                 "cuenta bancaria o firmar un nuevo mandato. Hasta entonces no volveremos a cargar el recibo.")
    if next_date:
        return _("Volveremos a presentar el recibo al cobro en la próxima remesa, con cargo previsto el "
                 "%s. Le rogamos que la cuenta tenga saldo suficiente ese día.") % next_date.strftime("%d/%m/%Y")
    return _("Volveremos a presentar el recibo al cobro en la próxima remesa. Le rogamos que la cuenta tenga "
             "saldo suficiente.")


def _body(*, receipt, amount, code: str, label: str, next_step: str, cover: str, manager) -> str:
    greeting = receipt.policyholder.first_name or receipt.policyholder.display_name
    contact = (manager.get_full_name() or manager.email) if manager else ""
    lines = [_("Estimado/a %s:") % greeting, "",
             _("Su banco ha devuelto el adeudo del recibo %(number)s de la póliza %(policy)s, por importe de "
               "%(amount)s. Motivo indicado por el banco: %(label)s (%(code)s).") % {
                 "number": receipt.number, "policy": receipt.policy.number, "amount": format_eur(amount),
                 "label": label, "code": code},
             "", next_step, "", _("Situación de su cobertura: %s") % cover, ""]
    if contact:
        lines.append(_("Para cualquier duda puede responder a este correo o contactar con %s.") % contact)
    lines += ["", _("Un saludo,"), getattr(connection.tenant, "name", "") or ""]
    return "\n".join(lines).rstrip() + "\n"


def client_notify_return(*, receipt, amount, code: str, label: str, retry: bool, cover: str,
                         next_date: datetime.date | None) -> str:
    """Schedules the e-mail to the client for after the commit; returns the address, or "" without one."""
    party = receipt.policyholder
    address = client_email(party)
    if not address:
        return ""
    manager = party.account_manager
    with translation.override(party.preferred_language or settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=_("Recibo %s devuelto por su banco") % receipt.number,
            body=_body(receipt=receipt, amount=amount, code=code, label=label, cover=cover, manager=manager,
                       next_step=_next_step(retry=retry, next_date=next_date)),
            from_email=settings.DEFAULT_FROM_EMAIL, to=[address],
            reply_to=[manager.email] if manager and manager.email else None)

    def send():
        try:
            message.send()
        except OSError:   # SMTP and socket errors: the return is recorded, a mail server failure must not undo it
            logger.exception("Aviso de devolución del recibo %s no enviado a %s", receipt.number, address)

    transaction.on_commit(send)
    return address
