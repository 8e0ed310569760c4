"""Believable Spanish clients for the demo brokerage: valid DNI/NIE/CIF and IBANs, postal codes
that match their province, families and companies related to each other. Deterministic."""
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum import iban as iban_std
from stdnum.es import ccc, cif, dni, nie

FIRST_F = ["María", "Carmen", "Ana", "Laura", "Lucía", "Marta", "Elena", "Isabel", "Pilar", "Cristina", "Paula",
           "Sara", "Raquel", "Nuria", "Rosa", "Teresa", "Beatriz", "Silvia", "Irene", "Alba", "Noelia", "Eva"]
FIRST_M = ["Antonio", "José", "Manuel", "Francisco", "David", "Juan", "Javier", "Daniel", "Carlos", "Jesús",
           "Alejandro", "Miguel", "Rafael", "Pablo", "Sergio", "Fernando", "Jorge", "Alberto", "Luis", "Álvaro",
           "Andrés", "Vicente", "Raúl", "Iván", "Rubén", "Óscar"]
SURNAMES = ["García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
            "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso",
            "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano",
            "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín",
            "Sanz", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano"]
PROFESSIONS = ["Enfermera", "Profesor de secundaria", "Ingeniera industrial", "Autónomo (fontanería)",
               "Administrativa", "Médico de familia", "Comercial", "Abogada", "Arquitecto", "Farmacéutica",
               "Conductor profesional", "Policía local", "Jubilado", "Funcionaria", "Electricista", "Camarero"]
# (province code, city, street names)
PLACES = [
    ("46", "Valencia", ["Calle de Colón", "Avenida del Puerto", "Calle de la Paz", "Gran Vía Marqués del Turia"]),
    ("28", "Madrid", ["Calle de Alcalá", "Calle Mayor", "Paseo de la Castellana", "Calle de Serrano"]),
    ("08", "Barcelona", ["Carrer de Mallorca", "Passeig de Gràcia", "Carrer d'Aragó", "Via Augusta"]),
    ("03", "Alicante/Alacant", ["Avenida Maisonnave", "Calle San Vicente", "Rambla de Méndez Núñez"]),
    ("41", "Sevilla", ["Calle Sierpes", "Avenida de la Constitución", "Calle Feria"]),
    ("12", "Castellón de la Plana", ["Calle Mayor", "Avenida Rey Don Jaime", "Calle Enmedio"]),
    ("30", "Murcia", ["Gran Vía Escultor Salzillo", "Calle Trapería", "Avenida Libertad"]),
    ("48", "Bilbao", ["Gran Vía de Don Diego López de Haro", "Calle Licenciado Poza", "Alameda Recalde"]),
    ("50", "Zaragoza", ["Paseo de la Independencia", "Calle Alfonso I", "Avenida de Goya"]),
    ("29", "Málaga", ["Calle Larios", "Alameda Principal", "Avenida de Andalucía"]),
]
COMPANIES = [("Talleres", "4520"), ("Construcciones", "4121"), ("Transportes", "4941"), ("Distribuciones", "4690"),
             ("Panadería", "1071"), ("Clínica Dental", "8623"), ("Asesoría", "6920"), ("Restaurante", "5610"),
             ("Inmobiliaria", "6831"), ("Ferretería", "4752"), ("Farmacia", "4773"), ("Electricidad", "4321")]
BANKS = ["2100", "0049", "0182", "0081", "2080", "0128", "3058", "0075", "2085", "1465"]
TAGS = ["VIP", "Familia numerosa", "Autónomo", "Pyme", "Recomendador", "Cliente digital", "Renovación enero"]


def make_dni(rng) -> str:
    number = f"{rng.randint(10_000_000, 79_999_999)}"
    return number + dni.calc_check_digit(number)


def make_nie(rng) -> str:
    body = rng.choice("XYZ") + f"{rng.randint(0, 9_999_999):07d}"
    return body + nie.calc_check_digit(body)


def make_cif(rng, letter: str = "B") -> str:
    body = letter + f"{rng.randint(0, 9_999_999):07d}"
    digit_and_letter = cif.calc_check_digits(body)
    return body + (digit_and_letter[0] if letter in "ABEH" else digit_and_letter[1])


def make_iban(rng) -> str:
    bank, branch, account = rng.choice(BANKS), f"{rng.randint(1, 9999):04d}", f"{rng.randint(0, 10**10 - 1):010d}"
    bban = bank + branch + ccc.calc_check_digits(bank + branch + "00" + account) + account
    return "ES" + iban_std.calc_check_digits("ES00" + bban) + bban


def make_phone(rng) -> str:
    return f"+34 6{rng.randint(0, 99):02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"


def _ascii(text: str) -> str:
    table = str.maketrans("áéíóúÁÉÍÓÚñÑüÜ", "aeiouAEIOUnNuU")
    return text.translate(table).lower().replace(" ", "")


@dataclass
class DemoParty:
    kind: str
    data: dict
    contacts: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    bank_accounts: list = field(default_factory=list)
    tags: list = field(default_factory=list)


def _address(rng) -> dict:
    province, city, streets = rng.choice(PLACES)
    return {"kind": "fiscal", "street": f"{rng.choice(streets)}, {rng.randint(1, 180)}", "city": city,
            "postal_code": f"{province}{rng.randint(1, 99):03d}", "province": province, "is_primary": True}


def people_and_companies(count: int, seed: int = 2026) -> list[DemoParty]:
    rng = random.Random(seed)
    parties = []
    for i in range(count):
        if i % 6 == 5:
            name, cnae = rng.choice(COMPANIES)
            company = f"{name} {rng.choice(SURNAMES)} {rng.choice(['S.L.', 'S.A.', 'S.L.U.'])}"
            tax_id = make_cif(rng, "A" if company.endswith("S.A.") else "B")
            email = f"info@{_ascii(company.split(' ')[1])}{i}.es"
            parties.append(DemoParty("company", {
                "kind": "company", "tax_id": tax_id, "company_name": company, "cnae": cnae,
                "status": rng.choice(["client", "client", "prospect"]), "preferred_channel": "email",
            }, contacts=[{"kind": "email", "value": email, "is_primary": True},
                         {"kind": "phone", "value": f"+34 9{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"}],
                addresses=[_address(rng)], bank_accounts=[{"iban": make_iban(rng), "is_primary": True}],
                tags=rng.sample(TAGS[2:5], k=1)))
            continue
        female = rng.random() < 0.5
        first = rng.choice(FIRST_F if female else FIRST_M)
        last, second = rng.choice(SURNAMES), rng.choice(SURNAMES)
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 55))
        tax_id = make_nie(rng) if rng.random() < 0.08 else make_dni(rng)
        email = f"{_ascii(first)}.{_ascii(last)}{i}@correo.es"
        parties.append(DemoParty("person", {
            "kind": "person", "tax_id": tax_id, "first_name": first, "last_name": last, "second_last_name": second,
            "birth_date": born, "gender": "female" if female else "male", "profession": rng.choice(PROFESSIONS),
            "status": rng.choice(["client", "client", "client", "prospect", "former"]),
            "preferred_language": rng.choice(["es"] * 8 + ["ca", "en"]),
            "preferred_channel": rng.choice(["email", "phone", "whatsapp"]),
        }, contacts=[{"kind": "email", "value": email, "is_primary": True},
                     {"kind": "phone", "value": make_phone(rng), "is_primary": True}],
            addresses=[_address(rng)], bank_accounts=[{"iban": make_iban(rng), "is_primary": True}],
            tags=rng.sample(TAGS, k=rng.choice([0, 0, 1, 2]))))
    return parties
