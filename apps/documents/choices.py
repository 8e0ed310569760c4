"""The file types a brokerage may accept (DocumentSettings.allowed_types), each with its MIME type and the
extension its stored name takes. The type always comes from the file's bytes (apps.documents.filetypes)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FileType(models.TextChoices):
    PDF = "pdf", _("PDF")
    PNG = "png", _("Imagen PNG")
    JPEG = "jpeg", _("Imagen JPEG")
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Excel (XLSX)")
    TXT = "txt", _("Texto (TXT)")
    CSV = "csv", _("CSV")


MIME_TYPES = {FileType.PDF: "application/pdf", FileType.PNG: "image/png", FileType.JPEG: "image/jpeg",
              FileType.DOCX: DOCX_MIME, FileType.XLSX: XLSX_MIME, FileType.TXT: "text/plain",
              FileType.CSV: "text/csv"}
EXTENSIONS = {FileType.PDF: ".pdf", FileType.PNG: ".png", FileType.JPEG: ".jpg", FileType.DOCX: ".docx",
              FileType.XLSX: ".xlsx", FileType.TXT: ".txt", FileType.CSV: ".csv"}
FILE_TYPE_OF_MIME = {mime: code for code, mime in MIME_TYPES.items()}


class ExpiryFilter(models.TextChoices):
    SOON = "soon", _("Caducan en 30 días")
    EXPIRED = "expired", _("Caducados")
    ANY = "any", _("Con fecha de caducidad")
