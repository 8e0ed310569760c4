from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_otp.models import Device

from apps.core.models import AuditedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("El correo electrónico es obligatorio.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in to one brokerage (tenant schema) or to the platform (public)."""

    email = models.EmailField(_("correo electrónico"), unique=True)
    first_name = models.CharField(_("nombre"), max_length=150)
    last_name = models.CharField(_("apellidos"), max_length=150, blank=True)
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    language = models.CharField(_("idioma"), max_length=5, default="es", choices=[("es", "Español"), ("en", "English")])
    is_active = models.BooleanField(_("activo"), default=True)
    is_staff = models.BooleanField(_("acceso al panel de administración"), default=False)
    date_joined = models.DateTimeField(_("alta"), default=timezone.now)
    version = models.PositiveIntegerField(_("versión"), default=1, editable=False)
    updated_at = models.DateTimeField(_("modificado"), auto_now=True)
    # «Cerrar sesión en todos los dispositivos» also ends the API tokens issued before this instant
    tokens_valid_after = models.DateTimeField(_("tokens válidos desde"), null=True, blank=True, editable=False)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name"]
    AUDIT_EXCLUDE = ("last_login", "updated_at", "version", "password")

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        ordering = ["first_name", "last_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def initials(self):
        return "".join(part[0] for part in (self.first_name, self.last_name) if part).upper() or self.email[0].upper()


class Role(models.Model):
    """The business meaning of a permission group: which modules and whether own-only."""

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="role", verbose_name=_("grupo"))
    code = models.SlugField(_("código"), unique=True)
    modules = models.JSONField(_("módulos"), default=dict)
    own_only = models.JSONField(_("sólo sus registros en"), default=list, blank=True)

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("roles")
        ordering = ["group__name"]

    def __str__(self):
        return self.group.name


class ApiKey(AuditedModel):
    """A key an integrator uses instead of a login. Only a hash of the secret is stored."""

    name = models.CharField(_("nombre"), max_length=100)
    prefix = models.CharField(_("prefijo"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    user = models.ForeignKey("identity.User", on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("actúa como"))
    scopes = models.JSONField(_("ámbitos"), default=list, help_text=_("«read» para lectura, «write» para escritura."))
    expires_at = models.DateTimeField(_("caduca"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revocada"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)

    class Meta:
        verbose_name = _("clave de API")
        verbose_name_plural = _("claves de API")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self):
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class MfaPolicy(models.Model):
    """The brokerage's choice per role: must its users pass a second step (TOTP) to enter?"""

    role = models.OneToOneField(Role, on_delete=models.CASCADE, related_name="mfa_policy", verbose_name=_("rol"))
    require_mfa = models.BooleanField(_("exigir verificación en dos pasos"), default=False)
    updated_at = models.DateTimeField(_("modificado"), auto_now=True)
    updated_by = models.ForeignKey("identity.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("modificado por"))

    class Meta:
        verbose_name = _("política de verificación en dos pasos")
        verbose_name_plural = _("políticas de verificación en dos pasos")
        ordering = ["role__group__name"]

    def __str__(self):
        return f"{self.role}: {_('exigida') if self.require_mfa else _('opcional')}"


class UserSession(models.Model):
    """One signed-in browser: what «Mis sesiones» lists and «Cerrar sesión» ends (with its Django session)."""

    user = models.ForeignKey("identity.User", on_delete=models.CASCADE, related_name="login_sessions",
                             verbose_name=_("usuario"))
    session_key = models.CharField(_("clave de sesión"), max_length=64, unique=True)
    ip = models.GenericIPAddressField(_("dirección IP"), null=True, blank=True)
    user_agent = models.CharField(_("navegador"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("inicio"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("última actividad"), default=timezone.now)

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="identity_session_user_seen")]
        permissions = [("unlock_login", _("Puede desbloquear accesos bloqueados por intentos fallidos"))]

    def __str__(self):
        return f"{self.user} · {self.ip or '-'} · {self.created_at:%d/%m/%Y %H:%M}"


class RecoveryCodeDevice(Device):
    """django-otp device of the one-time recovery codes. Unlike otp_static's tokens, only hashes are stored."""

    class Meta:
        verbose_name = _("códigos de recuperación")
        verbose_name_plural = _("códigos de recuperación")

    def verify_token(self, token) -> bool:
        from apps.identity.services.recovery import recovery_code_consume

        return recovery_code_consume(device=self, code=str(token))


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=100)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("código de recuperación")
        verbose_name_plural = _("códigos de recuperación")
