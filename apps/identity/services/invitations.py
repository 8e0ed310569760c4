from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.db import connection, transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.core.services.records import record_create


@transaction.atomic
def user_invite(*, actor, model, data: dict):
    """Creates the user without a password and e-mails a link to choose one."""
    data = {**data, "email": data["email"].lower(), "password": "!"}
    user = record_create(actor=actor, model=model, data=data)
    user.set_unusable_password()
    user.save(update_fields=["password"])

    domain = tenant_site_domain()

    def send():
        # PasswordResetForm.get_users skips users without a usable password, so the
        # invitation builds the same link itself and reuses the form's mailer.
        context = {
            "email": user.email, "domain": domain, "site_name": "AIT-CORE", "user": user,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
            "protocol": "https" if settings.SITE_HTTPS else "http",
        }
        PasswordResetForm().send_mail("identity/invitation_subject.txt", "identity/invitation_email.txt", context,
                                      None, user.email)

    transaction.on_commit(send)
    return user


def tenant_site_domain() -> str:
    """Host (and port, in development) of the current brokerage for links in e-mails."""
    domain = connection.tenant.get_primary_domain()
    host = domain.domain if domain else settings.PLATFORM_DOMAIN
    return f"{host}:{settings.SITE_PORT}" if settings.SITE_PORT else host
