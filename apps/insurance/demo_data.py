"""Static tables of the insurance demo (apps/insurance/demo.py): fictional insurers, which lines
each one offers, product names and IPID texts. Every name, CIF and DGSFP code here is invented;
portals live on example domains."""

# (name, legal name, CIF body without its check character, DGSFP code, policy-number prefix,
#  portal host, EIAC exchange, price level). The first five are apps/accounting/demo.py INSURERS
#  (same names and CIF bodies): the seeder links them to those CRM parties so accounting ties.
INSURERS = [
    ("Mutua Levantina de Seguros y Reaseguros", "Mutua Levantina de Seguros y Reaseguros, M.P.S.", "V4610245",
     "M0412", "ML", "mediadores.mutualevantina.example", True, "1.00"),
    ("Aseguradora Ibérica de Vida, S.A.", "Aseguradora Ibérica de Vida, S.A. de Seguros y Reaseguros", "A2803117",
     "C0615", "AIV", "portal.iberica-vida.example", True, "0.96"),
    ("Salud Mediterránea Compañía de Seguros, S.A.", "Salud Mediterránea Compañía de Seguros, S.A.", "A4612298",
     "C0733", "SM", "agentes.saludmediterranea.example", False, "1.05"),
    ("Unión Empresarial de Seguros, S.A.", "Unión Empresarial de Seguros y Reaseguros, S.A.", "A0816733",
     "C0524", "UES", "mediadores.union-empresarial.example", True, "1.09"),
    ("Previsora del Turia, Mutua de Seguros", "Previsora del Turia, Mutua de Seguros a Prima Fija", "V9614502",
     "M0377", "PT", "corredores.previsoraturia.example", False, "0.93"),
    ("Atlántica Seguros Generales, S.A.", "Atlántica Seguros Generales, S.A.", "A1504417",
     "C0841", "ATL", "mediadores.atlantica-seguros.example", True, "0.98"),
    ("Cantábrica de Seguros, S.A.", "Cantábrica de Seguros y Reaseguros, S.A.", "A3906128",
     "C0902", "CS", "portal.cantabrica-seguros.example", False, "1.12"),
    ("Meseta Mutua de Seguros", "Meseta Mutua de Seguros a Prima Fija", "V4708835",
     "M0455", "MM", "corredores.mesetamutua.example", True, "0.90"),
    ("Horizonte Vida y Pensiones, S.A.", "Horizonte Vida y Pensiones, S.A. de Seguros", "A2819946",
     "C0968", "HV", "mediadores.horizontevida.example", False, "1.03"),
]

# line code -> insurers (indexes into INSURERS) that offer it: at least three each, so every line
# can be quoted with objective analysis (art. 173 LDS).
LINE_OFFER = {
    "autos": [0, 5, 6, 7, 3],
    "hogar": [0, 4, 5, 6, 7],
    "vida": [1, 8, 5, 6],
    "salud": [2, 8, 6, 1],
    "decesos": [1, 4, 7, 8],
    "accidentes": [4, 5, 1, 3],
    "rc": [3, 5, 7, 0],
    "empresas": [3, 6, 5, 0],
}

# line code -> product names (one per insurer offering the line, in LINE_OFFER order)
PRODUCT_NAMES = {
    "autos": ["Auto Todo Riesgo Plus", "Coche Terceros Ampliado", "Auto Total con Franquicia", "Mi Coche Confort",
              "Flotas y Vehículos Profesionales"],
    "hogar": ["Hogar Integral", "Hogar Turia Confort", "Casa Completa", "Hogar Cantábrico", "Hogar Esencial"],
    "vida": ["Vida Riesgo Protección", "Horizonte Vida Familia", "Vida Tranquilidad", "Vida Hipoteca"],
    "salud": ["Salud Mediterránea Completa", "Horizonte Salud Cuadro Médico", "Salud Plus con Copago",
              "Salud Familia"],
    "decesos": ["Decesos Prima Nivelada", "Decesos Familiar Turia", "Decesos Meseta Tradición", "Decesos Horizonte"],
    "accidentes": ["Accidentes Individual", "Accidentes 24 Horas", "Accidentes Profesional", "Accidentes Autónomos"],
    "rc": ["RC General Empresas", "RC Profesional Atlántica", "RC Comercios y Oficinas", "RC Actividad"],
    "empresas": ["Multirriesgo Pyme", "Comercio Seguro", "Empresa Protegida", "Multirriesgo Industrial Ligero"],
}

CONTACT_NAMES = [
    ("Lucía Ferrer Gil", "Dirección comercial de mediadores"), ("Andrés Soler Martí", "Suscripción particulares"),
    ("Elena Navarro Roig", "Suscripción empresas"), ("Javier Ortiz Peña", "Siniestros"),
    ("Marta Giménez Vidal", "Administración y recibos"), ("Pablo Romero Sanz", "Soporte del portal"),
]

COMMON_IPID = {
    "ipid_territory": "España. En viajes, los países del Espacio Económico Europeo durante estancias de hasta 90 días.",
    "ipid_obligations": ("Declarar con exactitud el riesgo al contratar y comunicar cualquier cambio que lo agrave; "
                         "pagar la prima; comunicar los siniestros en un plazo de siete días y colaborar en su "
                         "tramitación."),
    "ipid_payment": ("La prima anual se paga al contratar y en cada renovación; puede fraccionarse en pagos "
                     "semestrales, trimestrales o mensuales, por domiciliación bancaria o transferencia."),
    "ipid_term": ("La cobertura comienza en la fecha de efecto indicada en las condiciones particulares, una vez "
                  "pagada la primera prima, y dura un año; se prorroga tácitamente por periodos anuales."),
    "ipid_cancellation": ("Puede oponerse a la prórroga notificándolo por escrito con un mes de antelación a la "
                          "fecha de vencimiento (art. 22 de la Ley de Contrato de Seguro)."),
}

IPID = {
    "autos": ("Seguro de automóvil: responsabilidad civil obligatoria y voluntaria y, según modalidad, daños "
              "propios, robo, incendio, lunas y asistencia en viaje.",
              "Conducción bajo los efectos del alcohol o drogas; conductores sin permiso; competiciones; daños "
              "dolosos.", "Franquicia en daños propios según condiciones particulares; edad mínima del conductor."),
    "hogar": ("Seguro de hogar: daños al continente y al contenido de la vivienda, responsabilidad civil familiar y "
              "asistencia.", "Daños por falta de mantenimiento, desgaste o defectos de construcción; objetos de "
                             "valor no declarados.", "Infraseguro: regla proporcional si los capitales son "
                                                     "inferiores al valor real."),
    "vida": ("Seguro de vida riesgo: pago del capital a los beneficiarios por fallecimiento y, si se contrata, por "
             "incapacidad permanente absoluta.", "Suicidio durante el primer año; enfermedades preexistentes no "
                                                 "declaradas; actividades de riesgo excluidas.",
             "Edad máxima de contratación y de permanencia; capital máximo sin reconocimiento médico."),
    "salud": ("Seguro de asistencia sanitaria: medicina primaria, especialistas, pruebas diagnósticas, "
              "hospitalización y urgencias en el cuadro médico.", "Enfermedades preexistentes no declaradas; "
                                                                  "cirugía estética; tratamientos experimentales.",
              "Periodos de carencia para parto, hospitalización y cirugía; copago por acto médico si se contrata."),
    "decesos": ("Seguro de decesos: prestación del servicio fúnebre y traslado del asegurado en España.",
                "Servicios contratados directamente por la familia sin intervención de la compañía.",
                "Edad máxima de entrada; periodo de carencia por enfermedad."),
    "accidentes": ("Seguro de accidentes: capital por fallecimiento e invalidez permanente por accidente y, si se "
                   "contrata, indemnización diaria por baja.", "Enfermedades; accidentes en deportes de riesgo "
                                                             "no declarados; actos dolosos.",
                   "Clase de riesgo según profesión; capital máximo."),
    "rc": ("Seguro de responsabilidad civil: indemnizaciones a terceros por daños causados en el ejercicio de la "
           "actividad declarada.", "Multas y sanciones; daños a bienes de los empleados; responsabilidad "
                                   "contractual.", "Límite por siniestro y por año; franquicia por siniestro."),
    "empresas": ("Seguro multirriesgo de empresa: daños al local, mercancías y maquinaria, pérdida de beneficios y "
                 "responsabilidad civil.", "Daños por falta de mantenimiento; mercancías en tránsito salvo pacto.",
                 "Medidas de seguridad obligatorias (extintores, cerraduras); infraseguro."),
}


def ipid_texts(line_code: str) -> dict:
    summary, exclusions, restrictions = IPID.get(line_code, ("", "", ""))
    return {"ipid_summary": summary, "ipid_exclusions": exclusions, "ipid_restrictions": restrictions,
            **COMMON_IPID}
