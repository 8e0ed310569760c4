"""The people of the brokerage. An employee may be linked to the user they log in with."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.encryption import BlindIndexField, EncryptedTextField
from apps.core.models import AuditedModel
from apps.hr.choices import DistributionRole, EmployeeDocumentKind


class Employee(AuditedModel):
    code = models.CharField(_("número de empleado"), max_length=20, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("usuario"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="employee")
    first_name = models.CharField(_("nombre"), max_length=100)
    last_name = models.CharField(_("apellidos"), max_length=150)
    tax_id = models.CharField(_("NIF/NIE"), max_length=9, unique=True)
    ss_number = EncryptedTextField(_("número de afiliación a la Seguridad Social"), max_length=12,
                                   blind_index="ss_number_hash", normalise="digits",
                                   help_text=_("12 dígitos: provincia, número y dígitos de control."))
    ss_number_hash = BlindIndexField(_("huella del número de afiliación"), source="ss_number", unique=True)
    birth_date = models.DateField(_("fecha de nacimiento"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    iban = EncryptedTextField(_("IBAN para la nómina"), max_length=34, blank=True, normalise="iban")
    address = models.CharField(_("dirección"), max_length=250, blank=True)
    postal_code = models.CharField(_("código postal"), max_length=5, blank=True)
    city = models.CharField(_("localidad"), max_length=120, blank=True)
    province = models.CharField(_("provincia"), max_length=60, blank=True)
    emergency_contact_name = models.CharField(_("contacto de emergencia"), max_length=150, blank=True)
    emergency_contact_phone = models.CharField(_("teléfono de emergencia"), max_length=20, blank=True)
    department = models.ForeignKey("hr.Department", verbose_name=_("departamento"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="employees")
    position = models.CharField(_("puesto"), max_length=120, blank=True)
    manager = models.ForeignKey("self", verbose_name=_("responsable"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="reports")
    work_centre = models.ForeignKey("hr.WorkCentre", verbose_name=_("centro de trabajo"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="employees")
    cost_centre = models.CharField(_("centro de coste"), max_length=20, blank=True)
    distribution_role = models.CharField(_("participación en la distribución de seguros"), max_length=10,
                                         choices=DistributionRole.choices, default=DistributionRole.NONE)
    irpf_rate = models.DecimalField(_("tipo de retención IRPF (%)"), max_digits=5, decimal_places=2, default=0)
    is_active = models.BooleanField(_("en plantilla"), default=True)

    class Meta:
        verbose_name = _("empleado")
        verbose_name_plural = _("empleados")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["manager"], name="hr_employee_manager_idx")]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class EmployeeDocument(models.Model):
    """A file of an employee's record (contract, payslip, certificate): the employee and HR see it."""

    employee = models.ForeignKey(Employee, verbose_name=_("empleado"), on_delete=models.CASCADE,
                                 related_name="documents")
    kind = models.CharField(_("tipo"), max_length=12, choices=EmployeeDocumentKind.choices)
    title = models.CharField(_("título"), max_length=200)
    file = models.FileField(_("archivo"), upload_to="hr/%Y/%m/")
    content_type = models.CharField(_("tipo de contenido"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("tamaño"), default=0)
    created_at = models.DateTimeField(_("subido"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("por"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("documento del empleado")
        verbose_name_plural = _("documentos de empleados")
        ordering = ["employee", "-created_at"]

    def __str__(self):
        return self.title
