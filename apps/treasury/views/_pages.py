"""Helpers of the treasury pages (shared ones live in apps.core.views.list_pages)."""
from django.utils.translation import gettext_lazy as _l

from apps.core.views.list_pages import PAGE_SIZE, form_error, list_page, styled  # noqa: F401

SECTION = _l("Tesorería")
