from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction

from apps.core.services.records import record_create


@transaction.atomic
def user_invite(*, actor, model, data: dict, request=None):
    """Creates the user without a password and e-mails a link to choose one."""
    data = {**data, "email": data["email"].lower(), "password": "!"}
    user = record_create(actor=actor, model=model, data=data)
    user.set_unusable_password()
    user.save(update_fields=["password"])

    def send():
        form = PasswordResetForm({"email": user.email})
        if form.is_valid():
            form.save(
                request=request, use_https=bool(request and request.is_secure()),
                domain_override=request.get_host() if request else None,
                subject_template_name="identity/invitation_subject.txt",
                email_template_name="identity/invitation_email.txt",
            )

    transaction.on_commit(send)
    return user
