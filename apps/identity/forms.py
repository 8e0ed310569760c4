from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Correo electrónico o contraseña incorrectos. Las mayúsculas cuentan."),
        "inactive": _("Esta cuenta está desactivada. Contacte con el administrador de su correduría."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Correo electrónico")
        self.fields["username"].widget.attrs.update(autocomplete="email", autofocus=True)


class ResetForm(BootstrapFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(BootstrapFormMixin, SetPasswordForm):
    pass
