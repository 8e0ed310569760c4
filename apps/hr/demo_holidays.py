"""Working calendars of the demo's two work centres (apps.hr.demo): the national holidays, those of the
Comunidad de Madrid (INE 13) and the Comunitat Valenciana (INE 10), and the local ones of Madrid and Valencia.

2026 follows the official lists: Resolución de la Dirección General de Trabajo (BOE 28/10/2025) for the
national ones (apps.hr.services.calendars.NATIONAL_HOLIDAYS), Decreto of the Comunidad de Madrid for 2026
(Jueves Santo, 2 May, and the Mondays after 1 November and 6 December, both on a Sunday), Decreto 100/2025 of
the Consell (San José, Lunes de Pascua, San Juan, 9 d'Octubre), and the city councils of Madrid (San Isidro
15 May, La Almudena 9 November) and València (San Vicente Mártir 22 January, San Vicente Ferrer 13 April).
Any other year is computed by the usual rules (Easter-based dates, a national holiday on a Sunday moved to
Monday in Madrid): good enough for a demo, to be replaced by the official list when HR loads it."""
import datetime

from apps.hr.choices import HolidayScope
from apps.hr.services.calendars import NATIONAL_HOLIDAYS

MADRID, VALENCIA = "13", "10"
DAY = datetime.timedelta(days=1)
NATIONAL_FIXED = [((1, 1), "Año Nuevo"), ((1, 6), "Epifanía del Señor"), ((5, 1), "Fiesta del Trabajo"),
                  ((8, 15), "Asunción de la Virgen"), ((10, 12), "Fiesta Nacional de España"),
                  ((11, 1), "Todos los Santos"), ((12, 6), "Día de la Constitución Española"),
                  ((12, 8), "Inmaculada Concepción"), ((12, 25), "Natividad del Señor")]
OFFICIAL = {
    2026: {
        MADRID: [((4, 2), "Jueves Santo"), ((5, 2), "Fiesta de la Comunidad de Madrid"),
                 ((11, 2), "Lunes siguiente a Todos los Santos"),
                 ((12, 7), "Lunes siguiente al Día de la Constitución Española")],
        VALENCIA: [((3, 19), "San José"), ((4, 6), "Lunes de Pascua"), ((6, 24), "San Juan"),
                   ((10, 9), "Día de la Comunitat Valenciana")],
        "MAD": [((5, 15), "San Isidro Labrador"), ((11, 9), "Nuestra Señora de la Almudena")],
        "VLC": [((1, 22), "San Vicente Mártir"), ((4, 13), "San Vicente Ferrer")],
    },
}


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter (anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _monday_if_sunday(day: datetime.date) -> datetime.date:
    return day + DAY if day.weekday() == 6 else day


def national(year: int) -> list[tuple[datetime.date, str]]:
    if year in NATIONAL_HOLIDAYS:
        return [(datetime.date(year, m, d), name) for (m, d), name in NATIONAL_HOLIDAYS[year]]
    days = [(datetime.date(year, m, d), name) for (m, d), name in NATIONAL_FIXED]
    days.append((easter_sunday(year) - 2 * DAY, "Viernes Santo"))
    return sorted((day, name) for day, name in days if day.weekday() != 6)


def _computed(year: int) -> dict:
    easter = easter_sunday(year)
    sundays = [(datetime.date(year, m, d), name) for (m, d), name in NATIONAL_FIXED
               if datetime.date(year, m, d).weekday() == 6]
    madrid = [(easter - 3 * DAY, "Jueves Santo"),
              (_monday_if_sunday(datetime.date(year, 5, 2)), "Fiesta de la Comunidad de Madrid")]
    madrid += [(day + DAY, f"{name} (traslado al lunes)") for day, name in sundays]
    return {
        MADRID: madrid,
        VALENCIA: [(_monday_if_sunday(datetime.date(year, 3, 19)), "San José"), (easter + DAY, "Lunes de Pascua"),
                   (datetime.date(year, 6, 24), "San Juan"), (datetime.date(year, 10, 9), "Día de la Comunitat "
                                                                                        "Valenciana")],
        "MAD": [(_monday_if_sunday(datetime.date(year, 5, 15)), "San Isidro Labrador"),
                (_monday_if_sunday(datetime.date(year, 11, 9)), "Nuestra Señora de la Almudena")],
        "VLC": [(_monday_if_sunday(datetime.date(year, 1, 22)), "San Vicente Mártir"),
                (easter + 8 * DAY, "San Vicente Ferrer")],  # the Monday after Lunes de Pascua
    }


def regional_and_local(year: int) -> dict:
    """{INE region or work centre code: [(date, name)]} of `year`."""
    if year in OFFICIAL:
        return {key: [(datetime.date(year, m, d), name) for (m, d), name in rows]
                for key, rows in OFFICIAL[year].items()}
    return _computed(year)


def holidays_seed(*, actor, years, centres: dict) -> int:
    """Creates the missing holidays of `years` for the centres ({code: WorkCentre}); returns how many."""
    from apps.hr.models import Holiday
    from apps.hr.services.calendars import holiday_create

    existing = set(Holiday.objects.values_list("date", "scope", "region", "work_centre_id"))
    created = 0

    def add(day, name, scope, region="", centre=None):
        nonlocal created
        key = (day, scope, region if scope == HolidayScope.REGIONAL else (centre.region if centre else ""),
               getattr(centre, "pk", None))
        if key not in existing:
            holiday_create(actor=actor, date=day, name=name, scope=scope, region=region, work_centre=centre)
            existing.add(key)
            created += 1

    for year in years:
        for day, name in national(year):
            add(day, name, HolidayScope.NATIONAL)
        for key, rows in regional_and_local(year).items():
            for day, name in rows:
                if key in (MADRID, VALENCIA):
                    add(day, name, HolidayScope.REGIONAL, region=key)
                elif key in centres:
                    add(day, name, HolidayScope.LOCAL, centre=centres[key])
    return created
