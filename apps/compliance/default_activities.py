"""A brokerage's standard processing activities (art. 30 RGPD), seeded into each new brokerage's register."""
from django.utils.translation import gettext_lazy as _

from apps.compliance.choices import LegalBasis

SECURITY = _("Control de acceso por roles y doble factor; registro de auditoría encadenado; cifrado en tránsito "
             "(TLS) y de los campos sensibles en reposo; copias de seguridad diarias; formación y deber de "
             "confidencialidad del personal.")
INSURERS = _("Entidades aseguradoras con las que se contrata; Administración Tributaria; DGSFP; juzgados y "
             "tribunales cuando lo exija la ley.")

ACTIVITIES = [
    {"code": "clientes-polizas", "name": _("Clientes y pólizas"), "order": 10,
     "purpose": _("Asesoramiento, mediación y contratación de seguros; gestión de pólizas, suplementos y "
                  "renovaciones (Real Decreto-ley 3/2020, libro segundo)."),
     "legal_basis": LegalBasis.CONTRACT, "legal_basis_detail": _("Contrato de mediación y de seguro; obligaciones "
                                                                 "de la normativa de distribución."),
     "subject_categories": _("Clientes, tomadores, asegurados y beneficiarios; representantes de personas "
                             "jurídicas."),
     "data_categories": _("Identificativos, de contacto, económicos y bancarios, características del riesgo."),
     "special_categories": True,
     "special_categories_detail": _("Salud en seguros de vida, salud y accidentes (art. 9.2.a y 9.2.g RGPD; "
                                    "disposición adicional 17ª LOPDGDD)."),
     "recipients": INSURERS, "retention_period": _("Mientras dure la relación y, después, los plazos de prescripción "
                                                   "(5 años, art. 1964 CC) y de prevención del blanqueo (10 años)."),
     "security_measures": SECURITY},
    {"code": "siniestros", "name": _("Siniestros"), "order": 20,
     "purpose": _("Asistencia al cliente en la declaración y tramitación de siniestros ante la aseguradora."),
     "legal_basis": LegalBasis.CONTRACT, "legal_basis_detail": _("Contrato de seguro y de mediación."),
     "subject_categories": _("Asegurados, perjudicados, terceros implicados, peritos y testigos."),
     "data_categories": _("Identificativos, de contacto, circunstancias del siniestro, daños, datos bancarios."),
     "special_categories": True, "special_categories_detail": _("Salud de lesionados (art. 9.2.f RGPD)."),
     "recipients": _("Aseguradora, peritos, talleres y profesionales que intervienen en el siniestro."),
     "retention_period": _("Diez años desde el cierre del siniestro; después se anonimiza."),
     "security_measures": SECURITY},
    {"code": "cobros", "name": _("Cobros y recibos"), "order": 30,
     "purpose": _("Cobro de primas, domiciliaciones SEPA, devoluciones y liquidaciones con aseguradoras."),
     "legal_basis": LegalBasis.CONTRACT, "legal_basis_detail": _("Contrato de seguro; obligaciones contables "
                                                                 "(art. 30 Código de Comercio)."),
     "subject_categories": _("Tomadores y pagadores."),
     "data_categories": _("Identificativos, IBAN y mandatos, importes y situación de los recibos."),
     "recipients": _("Entidades bancarias; aseguradoras; Administración Tributaria."),
     "retention_period": _("Seis años (art. 30 Código de Comercio) y cuatro años fiscales (art. 66 LGT)."),
     "security_measures": SECURITY},
    {"code": "marketing", "name": _("Marketing con consentimiento"), "order": 40,
     "purpose": _("Comunicaciones comerciales de seguros y servicios de la correduría."),
     "legal_basis": LegalBasis.CONSENT, "legal_basis_detail": _("Consentimiento (art. 21 LSSI para medios "
                                                                "electrónicos)."),
     "subject_categories": _("Clientes e interesados que lo consienten."),
     "data_categories": _("Identificativos y de contacto; preferencias."),
     "recipients": _("Ninguno; proveedor de envío de correo como encargado del tratamiento."),
     "retention_period": _("Hasta la retirada del consentimiento; la prueba del consentimiento, tres años."),
     "security_measures": SECURITY},
    {"code": "rrhh-nominas", "name": _("Recursos humanos y nóminas"), "order": 50,
     "purpose": _("Gestión de la relación laboral, nóminas, seguridad social, prevención de riesgos y registro "
                  "de jornada."),
     "legal_basis": LegalBasis.CONTRACT, "legal_basis_detail": _("Contrato de trabajo; obligaciones legales "
                                                                 "(Estatuto de los Trabajadores, LGSS, LPRL)."),
     "subject_categories": _("Empleados y sus familiares beneficiarios."),
     "data_categories": _("Identificativos, académicos y profesionales, económicos, de afiliación a la seguridad "
                          "social."),
     "special_categories": True, "special_categories_detail": _("Bajas médicas y aptitud (art. 9.2.b RGPD)."),
     "recipients": _("Tesorería General de la Seguridad Social, Administración Tributaria, mutua, servicio de "
                     "prevención, entidad bancaria."),
     "retention_period": _("Cuatro años (art. 21 LISOS) y los de prescripción fiscal; registro de jornada, cuatro "
                           "años."),
     "security_measures": SECURITY},
    {"code": "candidatos", "name": _("Candidatos"), "order": 60,
     "purpose": _("Selección de personal."),
     "legal_basis": LegalBasis.CONSENT, "legal_basis_detail": _("Consentimiento al enviar la candidatura."),
     "subject_categories": _("Candidatos a un puesto."),
     "data_categories": _("Identificativos, de contacto, formación y experiencia."),
     "recipients": _("Ninguno."), "retention_period": _("Un año desde la recepción del currículum."),
     "security_measures": SECURITY},
    {"code": "videovigilancia", "name": _("Videovigilancia"), "order": 70, "is_active": False,
     "purpose": _("Seguridad de las personas y de las instalaciones de la oficina (si las hay)."),
     "legal_basis": LegalBasis.PUBLIC_INTEREST, "legal_basis_detail": _("Art. 22 LOPDGDD."),
     "subject_categories": _("Personas que acceden a la oficina."), "data_categories": _("Imagen."),
     "recipients": _("Fuerzas y Cuerpos de Seguridad y juzgados."),
     "retention_period": _("Un mes, salvo que deban conservarse para acreditar hechos (art. 22.3 LOPDGDD)."),
     "security_measures": SECURITY},
    {"code": "atencion-cliente", "name": _("Servicio de atención al cliente"), "order": 80,
     "purpose": _("Tramitación de quejas y reclamaciones (Orden ECO/734/2004) y de solicitudes de derechos "
                  "(RGPD)."),
     "legal_basis": LegalBasis.LEGAL_OBLIGATION, "legal_basis_detail": _("Orden ECO/734/2004; arts. 12-22 RGPD."),
     "subject_categories": _("Clientes y reclamantes."),
     "data_categories": _("Identificativos, de contacto, hechos de la queja y su resolución."),
     "recipients": _("Defensor del cliente, DGSFP, aseguradora afectada."),
     "retention_period": _("Cinco años desde la resolución."), "security_measures": SECURITY},
]
