"""What a search box sends is cleaned here: a query that cannot mean anything (only symbols, one
character, more than MAX_LENGTH characters) answers with no results and a gentle message, never an error."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 200
MIN_LENGTH = 2


@dataclass(frozen=True)
class CleanQuery:
    text: str  # "" when there is nothing to search
    message: str = ""


def clean_query(raw) -> CleanQuery:
    text = " ".join(str(raw or "").split())
    if not text:
        return CleanQuery("")
    if len(text) > MAX_LENGTH:
        return CleanQuery("", _("La búsqueda es demasiado larga: escriba como mucho %(max)d caracteres.")
                          % {"max": MAX_LENGTH})
    if not any(char.isalnum() for char in text):
        return CleanQuery("", _("Escriba letras o números para buscar."))
    if sum(char.isalnum() for char in text) < MIN_LENGTH:
        return CleanQuery("", _("Escriba al menos %(min)d letras o números.") % {"min": MIN_LENGTH})
    return CleanQuery(text.replace("\x00", ""))
