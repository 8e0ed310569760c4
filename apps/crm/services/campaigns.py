"""E-mail campaigns to a segment, respecting marketing consent and each party's language.

`campaign_send` writes one CampaignRecipient per party of the segment: NO_CONSENT (no active
"marketing" consent), NO_EMAIL (no e-mail address), SENT or FAILED (with the error). It is
resumable and idempotent: parties already processed are skipped, so a redelivered or
restarted job never e-mails anyone twice. Each recipient is committed on its own (an e-mail
cannot be rolled back), which is why the send is not one transaction.
"""
import contextlib
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.choices import VERB_LABELS, AuditAction
from apps.audit.services import audit_event_record
from apps.core.events import publish
from apps.core.permissions import visible_to
from apps.core.services.records import record_create, record_update
from apps.crm.choices import CampaignStatus, ConsentPurpose, ContactKind, PartyKind, RecipientStatus
from apps.crm.models import Campaign, CampaignRecipient, ContactPoint, Party
from apps.crm.services.consents import active_consent_exists
from apps.crm.services.segments import segment_parties

VERB_LABELS.setdefault("campaign_send", gettext_lazy("envío de campaña"))

CHUNK = 200
# Staff-written templates see only the context below: no template loaders (no {% include %}
# of files), no request, no objects, and of the tag libraries only i18n and l10n.
_ENGINE = Engine(dirs=[], app_dirs=False, debug=False, loaders=[],
                 libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n"})


def _compile(source: str, field: str):
    try:
        return _ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise ValidationError({field: _("La plantilla no es válida: %(error)s. Use {{ nombre }} y {{ gestor }}.")
                               % {"error": exc}}) from exc


def campaign_templates_check(*, subject: str, body: str) -> None:
    _compile(subject or "", "subject")
    _compile(body or "", "body")


# --- CRUD ------------------------------------------------------------------------------------

@transaction.atomic
def campaign_create(*, actor, data: dict) -> Campaign:
    campaign_templates_check(subject=data.get("subject", ""), body=data.get("body", ""))
    return record_create(actor=actor, model=Campaign, data={**data, "status": CampaignStatus.DRAFT, "sent_at": None})


@transaction.atomic
def campaign_update(*, actor, instance: Campaign, data: dict, expected_version: int | None = None) -> Campaign:
    if instance.status != CampaignStatus.DRAFT:
        raise ValidationError(_("Solo se puede modificar una campaña en borrador; esta ya está %(status)s.") % {
            "status": instance.get_status_display().lower()})
    data = {k: v for k, v in data.items() if k not in ("status", "sent_at")}
    campaign_templates_check(subject=data.get("subject", instance.subject), body=data.get("body", instance.body))
    return record_update(actor=actor, instance=instance, data=data, expected_version=expected_version)


# --- selectors ----------------------------------------------------------------------------

def campaign_audience(campaign: Campaign, user=None):
    """The segment's parties this user may reach (a Comercial: its own clients)."""
    queryset = segment_parties(campaign.segment)
    return visible_to(queryset, user, "account_manager") if getattr(user, "pk", None) else queryset


def campaign_counts(campaign: Campaign) -> dict:
    counts = dict(campaign.recipients.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in RecipientStatus.values}


def _email_contacts():
    return Prefetch("contacts", queryset=ContactPoint.objects.filter(kind=ContactKind.EMAIL)
                    .order_by("-is_primary", "pk"), to_attr="email_contacts")


# --- sending ------------------------------------------------------------------------------------

@contextlib.contextmanager
def _send_lock(campaign_id: int):
    """One sender per campaign (per brokerage schema) at a time, across workers."""
    key = f"crm.campaign_send:{connection.schema_name}:{campaign_id}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [key])


def _context(party: Party) -> dict:
    manager = party.account_manager
    gestor = (manager.get_full_name() or manager.email) if manager else getattr(connection.tenant, "name", "")
    nombre = (party.first_name if party.kind == PartyKind.PERSON and party.first_name else party.display_name)
    return {"nombre": nombre, "nombre_completo": party.display_name, "gestor": gestor}


def _message(campaign, subject_t, body_t, party, email, mail_connection) -> EmailMultiAlternatives:
    language = party.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        values = _context(party)
        subject = " ".join(subject_t.render(Context(values, autoescape=False)).split())
        text = body_t.render(Context(values, autoescape=False))
        html = body_t.render(Context(values, autoescape=True))
        footer = _("Recibe este mensaje porque nos dio su consentimiento para comunicaciones comerciales. "
                   "Si no desea recibir más, responda a este correo indicando «BAJA».")
    message = EmailMultiAlternatives(
        subject=subject, body=f"{text.rstrip()}\n\n--\n{footer}\n", from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email], connection=mail_connection,
        headers={"Content-Language": language, "X-Campaign": str(campaign.pk)},
    )
    message.attach_alternative(
        f'<html lang="{language}"><body>{html.strip().replace(chr(10), "<br>" + chr(10))}'
        f'<hr><p style="font-size:small;color:#666">{escape(footer)}</p></body></html>', "text/html")
    return message


def campaign_send(*, actor, campaign: Campaign, progress: Callable | None = None) -> dict:
    """Sends the campaign to every party of its segment not yet processed; returns the counts.

    `progress(pct, message)` reports live (the background job passes JobRun progress).
    """
    progress = progress or (lambda pct, message="": None)
    with _send_lock(campaign.pk) as acquired:
        if not acquired:
            raise ValidationError(_("Esta campaña ya se está enviando en otro proceso."))
        campaign = Campaign.objects.select_related("segment").get(pk=campaign.pk)
        if campaign.status == CampaignStatus.SENT:
            return {"campaign": campaign.pk, "processed": 0, "already_sent": True, **campaign_counts(campaign)}
        subject_t, body_t = _compile(campaign.subject, "subject"), _compile(campaign.body, "body")
        if campaign.status == CampaignStatus.DRAFT:
            campaign = record_update(actor=actor, instance=campaign, data={"status": CampaignStatus.SENDING})
        processed_already = CampaignRecipient.objects.filter(campaign=campaign, party=OuterRef("pk"))
        pending_ids = list(campaign_audience(campaign, actor).exclude(Exists(processed_already))
                           .values_list("pk", flat=True))
        total = len(pending_ids)
        done = {status: 0 for status in RecipientStatus.values}
        progress(2, _("%(n)d destinatarios por procesar") % {"n": total})
        mail_connection = get_connection(fail_silently=False)
        with contextlib.closing(mail_connection):
            mail_connection.open()
            for start in range(0, total, CHUNK):
                chunk = (Party.objects.filter(pk__in=pending_ids[start:start + CHUNK])
                         .select_related("account_manager")
                         .annotate(has_marketing=active_consent_exists(ConsentPurpose.MARKETING))
                         .prefetch_related(_email_contacts()).order_by("pk"))
                excluded = []
                for party in chunk:
                    email = party.email_contacts[0].value if party.email_contacts else ""
                    language = party.preferred_language or ""
                    if not party.has_marketing:
                        excluded.append(CampaignRecipient(campaign=campaign, party=party, email=email,
                                                          language=language, status=RecipientStatus.NO_CONSENT))
                        continue
                    if not email:
                        excluded.append(CampaignRecipient(campaign=campaign, party=party, language=language,
                                                          status=RecipientStatus.NO_EMAIL))
                        continue
                    try:
                        _message(campaign, subject_t, body_t, party, email, mail_connection).send()
                    except Exception as exc:  # noqa: BLE001 - any transport error is this recipient's status
                        status, error = RecipientStatus.FAILED, f"{type(exc).__name__}: {exc}"[:300]
                    else:
                        status, error = RecipientStatus.SENT, ""
                    CampaignRecipient.objects.bulk_create([CampaignRecipient(
                        campaign=campaign, party=party, email=email, language=language, status=status, error=error,
                    )], ignore_conflicts=True)
                    done[status] += 1
                CampaignRecipient.objects.bulk_create(excluded, ignore_conflicts=True)
                for row in excluded:
                    done[row.status] += 1
                finished = min(start + CHUNK, total)
                progress(2 + int(96 * finished / total), _("%(done)d de %(total)d destinatarios procesados") % {
                    "done": finished, "total": total})
        with transaction.atomic():
            campaign = record_update(actor=actor, instance=campaign,
                                     data={"status": CampaignStatus.SENT, "sent_at": timezone.now()})
            totals = campaign_counts(campaign)
            audit_event_record(actor=actor, action=AuditAction.ACTION, verb="campaign_send", obj=campaign,
                               changes={"procesados_en_esta_ejecucion": done, "totales": totals})
            publish("crm.campaign.sent", pk=campaign.pk)
    return {"campaign": campaign.pk, "processed": total, "this_run": done, **totals}


def campaign_send_start(*, actor, campaign: Campaign):
    """Starts the send as a background job (apps.jobs) and returns the JobRun to follow."""
    from apps.crm.tasks.campaigns import campaign_send_job

    campaign = Campaign.objects.get(pk=campaign.pk)
    if campaign.status == CampaignStatus.SENT:
        raise ValidationError(_("Esta campaña ya se envió el %(date)s.") % {
            "date": timezone.localtime(campaign.sent_at).strftime("%d/%m/%Y %H:%M") if campaign.sent_at else "—"})
    running = campaign_job(campaign)
    if running is not None and not running.is_finished:
        raise ValidationError(_("Ya hay un envío de esta campaña en curso."))
    # The segment must still be valid before anything is queued.
    segment_parties(campaign.segment)
    from apps.jobs.services.runs import job_start

    return job_start(actor=actor, task=campaign_send_job, label=_("Enviar la campaña «%(name)s»") % {
        "name": campaign.name}, params={"campaign_id": campaign.pk})


def campaign_job(campaign: Campaign):
    """The latest background job that sent (or is sending) this campaign."""
    from apps.crm.tasks.campaigns import campaign_send_job
    from apps.jobs.models import JobRun

    return (JobRun.objects.filter(task_name=campaign_send_job.name, params__campaign_id=campaign.pk)
            .order_by("-created_at", "-pk").first())
