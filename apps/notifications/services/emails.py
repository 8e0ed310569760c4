"""Notification e-mails: one at once (task notification_email) and the daily digest (notifications_digest_send)."""
import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _, ngettext

from apps.notifications.models import Notification

DIGEST_MAX_ITEMS = 50


def site_root() -> str:
    """http(s)://host[:port] of the current brokerage, for links in e-mails (also inside Celery tasks)."""
    from django_tenants.utils import get_tenant_model

    tenant = getattr(connection, "tenant", None)
    if not hasattr(tenant, "get_primary_domain"):
        tenant = get_tenant_model().objects.filter(schema_name=connection.schema_name).first()
    domain = tenant.get_primary_domain() if tenant is not None else None
    host = domain.domain if domain else settings.PLATFORM_DOMAIN
    if settings.SITE_PORT:
        host = f"{host}:{settings.SITE_PORT}"
    return f"{'https' if settings.SITE_HTTPS else 'http'}://{host}"


def absolute_link(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url or ""
    return site_root() + (url if url.startswith("/") else f"/{url}")


def _language(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def notification_email_send(*, recipient, title: str, body: str = "", link: str = "") -> bool:
    """One notice by e-mail, in the recipient's language (Spanish by default). False when there is no address."""
    if not recipient.email or not recipient.is_active:
        return False
    with translation.override(_language(recipient)):
        subject = _("[AIT-CORE] %(title)s") % {"title": title}
        text = render_to_string("notifications/email/immediate.txt", {
            "user": recipient, "title": title, "body": body, "link": link,
            "preferences_link": absolute_link(reverse("notifications:preferences"))})
    send_mail(subject[:250].replace("\n", " "), text, None, [recipient.email])
    return True


def _digest_to(user, items: list[Notification]) -> None:
    with translation.override(_language(user)):
        count = len(items)
        subject = ngettext("[AIT-CORE] Resumen diario: %(count)d aviso", "[AIT-CORE] Resumen diario: %(count)d avisos",
                           count) % {"count": count}
        shown = items[:DIGEST_MAX_ITEMS]
        text = render_to_string("notifications/email/digest.txt", {
            "user": user, "count": count, "more": count - len(shown),
            "items": [{"notification": n, "link": absolute_link(n.url)} for n in shown],
            "inbox_link": absolute_link(reverse("notifications:inbox")),
            "preferences_link": absolute_link(reverse("notifications:preferences"))})
    send_mail(subject, text, None, [user.email])


def notifications_digest_send(*, now: datetime.datetime | None = None) -> int:
    """Each person with notices waiting for the digest gets one e-mail listing them (oldest first); they
    are then marked sent, so a second run sends nothing. Per person one transaction with the rows locked
    (skip_locked: two overlapping runs never mail the same notices). Returns how many e-mails went out."""
    now = now or timezone.now()
    pending = Notification.objects.filter(digest_pending=True, created_at__lte=now)
    sent = 0
    for user_id in pending.order_by().values_list("recipient_id", flat=True).distinct():
        with transaction.atomic():
            items = list(pending.filter(recipient_id=user_id).select_related("recipient")
                         .select_for_update(skip_locked=True, of=("self",)).order_by("created_at", "pk"))
            if not items:
                continue
            user = items[0].recipient
            if user.is_active and user.email:
                _digest_to(user, items)
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(digest_pending=False, digest_sent_at=now)
    return sent
