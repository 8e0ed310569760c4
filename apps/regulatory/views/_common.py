"""Helpers of the regulatory pages."""
from collections import namedtuple

from django.utils.translation import gettext_lazy as _l

from apps.insurance.views.quotes import needs  # noqa: F401  (login + permissions, 403 otherwise)

SECTION = _l("Regulatorio")
VIEW_LDS = "regulatory.view_distributionevidence"
ADD_EVIDENCE = "regulatory.add_distributionevidence"
VIEW_DEC = "regulatory.view_dec"
CHANGE_MAPPING = "regulatory.change_dgsfplinemapping"
ExportColumn = namedtuple("ExportColumn", "name label")
