"""The demo's people (apps.hr.demo): two work centres, six departments, 26 employees (one left this year) with
valid identity numbers and their contracts, created through the HR services.

Identity numbers are made up but valid: the DNI/NIE control letter (number mod 23), the Social Security
affiliation number with its control digits (apps.hr.validators.ss_number_check_digits) and Spanish IBANs
built by schwifty (national and IBAN check digits). The employees whose user exists in the brokerage are
linked to it: «direccion» is the administrator the seeder runs as; the others by the local part of their
e-mail in the administrator's domain (comercial@, rrhh@…), so each of them sees their own record."""
import datetime
import unicodedata
from decimal import Decimal

from schwifty import IBAN

from apps.hr.choices import ContractKind, DistributionRole, TerminationReason
from apps.hr.validators import ss_number_check_digits

L1, L2, L3, NONE = (DistributionRole.LEVEL_1, DistributionRole.LEVEL_2, DistributionRole.LEVEL_3,
                    DistributionRole.NONE)
AGREEMENT = "Convenio colectivo de ámbito estatal para las empresas de mediación de seguros privados"
GROUPS = {"I": ("Grupo I", 1), "II": ("Grupo II", 2), "III": ("Grupo III", 5), "IV": ("Grupo IV", 7)}
CENTRES = [("MAD", "Oficina central de Madrid", "Calle de Velázquez 50, 4ª planta", "28001", "Madrid", "13"),
           ("VLC", "Sucursal de Valencia", "Carrer de Colón 22, 2º", "46004", "Valencia", "10")]
# code, name, parent, cost centre
DEPARTMENTS = [("DIR", "Dirección", None, "CC-DIR"), ("COM", "Comercial", "DIR", "CC-COM"),
               ("ADM", "Administración y contabilidad", "DIR", "CC-ADM"), ("COB", "Cobros", "ADM", "CC-COB"),
               ("SIN", "Siniestros", "DIR", "CC-SIN"), ("RRHH", "RRHH", "DIR", "CC-RRHH")]
HEADS = {"DIR": "carmen", "COM": "javier", "ADM": "alberto", "COB": "marta", "SIN": "sergio", "RRHH": "elena"}
# key, user, first name, last names, centre, department, position, manager, LDS level, since, group, salary, IRPF %
PEOPLE = [
    ("carmen", "direccion", "Carmen", "Ortega Llorente", "MAD", "DIR", "Directora general", None, L1,
     (2009, 2, 2), "I", 62000, 27),
    ("javier", "comercial", "Javier", "Ruiz Montes", "MAD", "COM", "Director comercial", "carmen", L1,
     (2012, 9, 3), "I", 48000, 23),
    ("alberto", "contabilidad", "Alberto", "Sanz Gil", "MAD", "ADM", "Responsable de administración y contabilidad",
     "carmen", NONE, (2013, 1, 14), "I", 44000, 21),
    ("sergio", "siniestros", "Sergio", "Molina Castro", "MAD", "SIN", "Responsable de siniestros", "carmen", L3,
     (2014, 3, 3), "II", 36000, 18),
    ("elena", "rrhh", "Elena", "Romero Prieto", "MAD", "RRHH", "Responsable de recursos humanos", "carmen", NONE,
     (2016, 10, 3), "II", 35000, 17),
    ("lucia", "comercial2", "Lucía", "Fernández Pardo", "MAD", "COM", "Asesora de seguros", "javier", L2,
     (2018, 4, 9), "II", 31500, 16),
    ("marta", "cobros", "Marta", "Navarro Vidal", "MAD", "COB", "Responsable de cobros", "alberto", L3,
     (2015, 6, 1), "II", 30000, 15),
    ("raul", "sistemas", "Raúl", "Iglesias Soto", "MAD", "ADM", "Técnico de sistemas", "alberto", NONE,
     (2019, 2, 11), "II", 30500, 15),
    ("pablo", None, "Pablo", "García Herrero", "MAD", "COM", "Asesor de seguros", "javier", L2,
     (2017, 5, 15), "II", 28500, 14),
    ("irene", None, "Irene", "López Cabello", "MAD", "COM", "Asesora de seguros", "javier", L2,
     (2020, 1, 13), "II", 27000, 13),
    ("nuria", None, "Nuria", "Jiménez Bravo", "MAD", "COM", "Ejecutiva de cuentas de empresa", "javier", L2,
     (2016, 2, 1), "II", 34000, 17),
    ("daniel", None, "Daniel", "Martín Soler", "MAD", "COM", "Asesor de seguros (campaña)", "javier", L2,
     None, "III", 23000, 11),
    ("marcos", None, "Marcos", "Herrera Gil", "MAD", "COM", "Asesor de seguros", "javier", L2,
     (2023, 4, 3), "II", 27500, 13),
    ("vicent", None, "Vicent", "Peris Climent", "VLC", "COM", "Director de la sucursal de Valencia", "javier", L2,
     (2014, 5, 5), "I", 41000, 20),
    ("amparo", None, "Amparo", "Soler Monzó", "VLC", "COM", "Asesora de seguros", "vicent", L2,
     (2019, 4, 1), "II", 27500, 13),
    ("jorge", None, "Jorge", "Ribera Mas", "VLC", "COM", "Asesor de seguros", "vicent", L2,
     (2021, 9, 13), "II", 26500, 12),
    ("clara", None, "Clara", "Tomás Bellver", "VLC", "ADM", "Auxiliar administrativa", "vicent", L3,
     (2020, 10, 5), "IV", 12200, 2),
    ("rosa", None, "Rosa", "Delgado Peña", "MAD", "ADM", "Técnica contable", "alberto", NONE,
     (2015, 9, 1), "III", 26000, 13),
    ("hugo", None, "Hugo", "Serrano Rubio", "MAD", "ADM", "Técnico contable en prácticas", "alberto", NONE,
     None, "IV", 17500, 2),
    ("beatriz", None, "Beatriz", "Cano Ferrer", "MAD", "COB", "Gestora de cobros", "marta", L3,
     (2018, 1, 8), "III", 23000, 11),
    ("oscar", None, "Óscar", "Lozano Vega", "MAD", "COB", "Gestor de cobros (sustitución)", "marta", NONE,
     None, "III", 21500, 9),
    ("alicia", None, "Alicia", "Morales Gómez", "MAD", "SIN", "Tramitadora de siniestros", "sergio", L3,
     (2017, 11, 6), "III", 24500, 12),
    ("ruben", None, "Rubén", "Castillo Ramos", "MAD", "SIN", "Tramitador de siniestros", "sergio", L3,
     (2019, 9, 2), "III", 24000, 12),
    ("valentina", None, "Valentina", "Ríos Acosta", "MAD", "SIN", "Tramitadora de siniestros", "sergio", L3,
     (2021, 3, 1), "III", 23500, 11),
    ("silvia", None, "Silvia", "Ortiz Marín", "MAD", "SIN", "Auxiliar de siniestros", "sergio", NONE,
     (2022, 5, 16), "IV", 19500, 8),
    ("teresa", None, "Teresa", "Vidal Campos", "MAD", "RRHH", "Técnica de nóminas y RRHH", "elena", NONE,
     (2020, 6, 1), "III", 25000, 12),
]
NIE_PEOPLE = {"valentina": "Y"}
PART_TIME_HOURS = {"clara": Decimal("25")}
TERMINATED = "marcos"
NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
BANKS = ["2100", "0049", "0182", "0081", "2085", "0128", "1465", "0075"]
HOMES = {"MAD": [("Madrid", "28", ["Calle de Alcalá", "Calle de Bravo Murillo", "Calle de Arturo Soria",
                                    "Paseo de las Delicias", "Calle de López de Hoyos", "Calle de Fuencarral"]),
                 ("Alcobendas", "28100", ["Calle Marqués de la Valdavia", "Avenida de España"]),
                 ("Getafe", "28901", ["Calle Madrid", "Avenida de las Ciudades"])],
         "VLC": [("Valencia", "46", ["Avinguda del Port", "Carrer de Sueca", "Avinguda de Blasco Ibáñez"]),
                 ("Paterna", "46980", ["Carrer Major"])]}
CONTACT_NAMES = ["Antonio", "María José", "Francisco", "Isabel", "Manuel", "Pilar", "José Luis", "Cristina"]
CONTACT_SURNAMES = ["Gómez", "Díaz", "Álvarez", "Hernández", "Muñoz", "Rubio", "Ramírez", "Torres"]


def dni(number: int) -> str:
    return f"{number:08d}{NIF_LETTERS[number % 23]}"


def nie(prefix: str, number: int) -> str:
    """X, Y, Z count as 0, 1, 2 in front of the seven digits for the control letter."""
    return f"{prefix}{number:07d}{NIF_LETTERS[('XYZ'.index(prefix) * 10 ** 7 + number) % 23]}"


def naf(province: int, number: int) -> str:
    return f"{province:02d}{number:08d}{ss_number_check_digits(province, number):02d}"


def month_start(day: datetime.date, months_back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _phone(rng) -> str:
    number = f"6{rng.randint(0, 99999999):08d}"
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def _personal(rng, key: str, first: str, last: str, centre: str, since: datetime.date, domain: str) -> dict:
    city, postal, streets = rng.choice(HOMES[centre])
    postal = postal if len(postal) == 5 else f"{postal}{rng.randint(1, 45):03d}"
    born = datetime.date(since.year - rng.randint(23, 34), rng.randint(1, 12), rng.randint(1, 28))
    tax_id = nie(NIE_PEOPLE[key], rng.randint(1000000, 9999999)) if key in NIE_PEOPLE else \
        dni(rng.randint(10000000, 79999999))
    iban = IBAN.generate("ES", bank_code=rng.choice(BANKS), branch_code=f"{rng.randint(1, 9999):04d}",
                         account_code=f"{rng.randint(0, 10 ** 10 - 1):010d}").compact
    return {"tax_id": tax_id, "ss_number": naf(28 if centre == "MAD" else 46, rng.randint(10000000, 99999999)),
            "iban": iban, "birth_date": born, "phone": _phone(rng), "city": city, "postal_code": postal,
            "province": "Madrid" if centre == "MAD" else "Valencia",
            "address": f"{rng.choice(streets)} {rng.randint(1, 180)}, {rng.randint(1, 8)}º {rng.choice('ABCD')}",
            "email": f"{_ascii(first)}.{_ascii(last.split()[0])}@{domain}",
            "emergency_contact_name": f"{rng.choice(CONTACT_NAMES)} {rng.choice(CONTACT_SURNAMES)} "
                                      f"{last.split()[-1]}",
            "emergency_contact_phone": _phone(rng)}


def demo_users(admin) -> dict:
    """{local part of the e-mail: user} in the administrator's domain; «direccion» is the administrator."""
    from apps.identity.models import User

    domain = admin.email.rsplit("@", 1)[-1]
    users = {user.email.rsplit("@", 1)[0]: user
             for user in User.objects.filter(email__iendswith=f"@{domain}", is_active=True)}
    users["direccion"] = admin
    return users


def org_seed(*, actor) -> tuple[dict, dict]:
    """({code: WorkCentre}, {code: Department}) through the org services (heads set once people exist)."""
    from apps.hr.services.org import department_create, work_centre_create

    centres = {code: work_centre_create(actor=actor, code=code, name=name, address=address, postal_code=postal,
                                        municipality=town, region=region)
               for code, name, address, postal, town, region in CENTRES}
    departments = {}
    for code, name, parent, cost_centre in DEPARTMENTS:
        departments[code] = department_create(actor=actor, code=code, name=name, parent=departments.get(parent),
                                              cost_centre=cost_centre)
    return centres, departments


def _contract_terms(key: str, since, group: str, salary: int, today: datetime.date) -> dict:
    label, contribution = GROUPS[group]
    terms = {"kind": ContractKind.INDEFINITE, "sepe_code": "100", "start_date": since, "trial_period_days": 0,
             "annual_salary": Decimal(salary), "agreement": AGREEMENT, "agreement_group": label,
             "contribution_group": contribution, "payments_per_year": 14}
    if key == "daniel":  # circunstancias de la producción: the six months of the renewal campaign
        start = month_start(today, 5)
        terms.update(kind=ContractKind.TEMPORARY, sepe_code="402", start_date=start, trial_period_days=30,
                     end_date=month_start(start, -6) - datetime.timedelta(days=1))
    elif key == "oscar":  # sustitución of a colleague on leave
        start = today - datetime.timedelta(days=85)
        terms.update(kind=ContractKind.TEMPORARY, sepe_code="410", start_date=start,
                     end_date=start + datetime.timedelta(days=181))
    elif key == "hugo":  # formativo para la obtención de la práctica profesional, one year
        start = month_start(today, 8)
        terms.update(kind=ContractKind.INTERNSHIP, sepe_code="420", start_date=start, trial_period_days=30,
                     end_date=month_start(start, -12) - datetime.timedelta(days=1), payments_per_year=12)
    elif key in PART_TIME_HOURS:
        terms.update(sepe_code="200", full_time=False, weekly_hours=PART_TIME_HOURS[key])
    elif group == "I":
        terms["payments_per_year"] = 12
    return terms


def people_seed(*, actor, users: dict, rng, today: datetime.date, centres: dict, departments: dict) -> dict:
    """{key: Employee}, with their contracts; the department heads set and the one who left terminated."""
    from apps.hr.services.contracts import contract_create, contract_terminate
    from apps.hr.services.employees import employee_create, employee_deactivate
    from apps.hr.services.org import department_update

    domain = actor.email.rsplit("@", 1)[-1]
    people = {}
    for n, (key, user_key, first, last, centre, dept, position, manager, level, since, group, salary, irpf) \
            in enumerate(PEOPLE, start=1):
        terms = _contract_terms(key, datetime.date(*since) if since else None, group, salary, today)
        personal = _personal(rng, key, first, last, centre, terms["start_date"], domain)
        user = users.get(user_key) if user_key else None
        if user is not None:
            personal["email"] = user.email
        people[key] = employee_create(
            actor=actor, code=f"E{n:03d}", first_name=first, last_name=last, user=user, department=departments[dept],
            position=position, manager=people.get(manager), work_centre=centres[centre],
            cost_centre=departments[dept].cost_centre, distribution_role=level, irpf_rate=Decimal(irpf), **personal)
        contract_create(actor=actor, employee=people[key], **terms)
    for code, key in HEADS.items():
        department_update(actor=actor, department=departments[code], head=people[key])
    leaver = people[TERMINATED]
    ended = min(datetime.date(today.year, 3, 13), today - datetime.timedelta(days=60))
    contract_terminate(actor=actor, contract=leaver.contracts.get(), on_date=ended,
                       reason=TerminationReason.RESIGNATION,
                       note="Baja voluntaria con el preaviso de quince días del convenio: se incorpora a otra "
                            "correduría.")
    people[TERMINATED] = employee_deactivate(actor=actor, employee=leaver)
    return people
