"""What a file is, read from its bytes (never its name or the browser's word), and its text for search.

PDF, PNG and JPEG by their signature (the `filetype` package); Word and Excel as a ZIP whose
[Content_Types].xml declares the document's main part and holds it (a macro-enabled or other ZIP is not
one); plain text (TXT/CSV by the name's extension) when the bytes are UTF-8 or Windows-1252 text with no
control characters and no markup. Executables are named as such in the refusal."""
import logging
import os
import re
import zipfile

import filetype
from django.utils.translation import gettext as _

from apps.documents.choices import FileType

HEAD_BYTES = 8192
MAX_MANIFEST_BYTES = 256 * 1024
MAX_PART_BYTES = 8 * 1024 * 1024  # of a Word/Excel part read for its text (a ZIP bomb stops here)
MAX_TEXT_CHARS = 100_000
MAX_PDF_PAGES = 200
OFFICE_PARTS = {FileType.DOCX: ("wordprocessingml.document.main+xml", "word/document.xml"),
                FileType.XLSX: ("spreadsheetml.sheet.main+xml", "xl/workbook.xml")}
OFFICE_TEXT_PARTS = {FileType.DOCX: "word/document.xml", FileType.XLSX: "xl/sharedStrings.xml"}
EXECUTABLE_MIMES = {"application/x-msdownload", "application/x-executable", "application/x-mach-binary",
                    "application/x-sharedlib", "application/vnd.microsoft.portable-executable"}
EXECUTABLE_HEADS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",
                    b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"#!")
MARKUP = re.compile(rb"^\s*(<!doctype|<html|<script|<svg|<\?xml|<\?php)", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
TAG = re.compile(r"<[^>]+>")
logger = logging.getLogger(__name__)


class Refused(Exception):
    """The bytes are not an accepted document; `reason` says why, for a person."""

    def __init__(self, reason: str, *, executable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.executable = executable


def _head(upload) -> bytes:
    upload.seek(0)
    try:
        return upload.read(HEAD_BYTES)
    finally:
        upload.seek(0)


def _office_type(upload) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_MANIFEST_BYTES:
                return None
            manifest = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, RuntimeError, EOFError):
        return None
    finally:
        upload.seek(0)
    for code, (main_part, path) in OFFICE_PARTS.items():
        if main_part in manifest and path in names:
            return code
    return None


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head or MARKUP.match(head):
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) == HEAD_BYTES and exc.start >= len(head) - 3:  # a character cut at the end of the head
            text = head[:exc.start].decode("utf-8", "replace")
        else:
            text = head.decode("cp1252", "replace")
    return None if CONTROL.search(text) or "\ufffd" in text else text


def detect(upload, filename: str) -> str:
    """The FileType code of `upload`'s bytes, or Refused."""
    head = _head(upload)
    guess = filetype.guess(head) if head else None
    if head.startswith(EXECUTABLE_HEADS) or (guess is not None and guess.mime in EXECUTABLE_MIMES):
        raise Refused(_("«%s» es un programa ejecutable, no un documento: no se admite (el tipo se comprueba por "
                        "el contenido del archivo, no por su nombre).") % filename, executable=True)
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if guess is not None and guess.mime == "image/png":
        return FileType.PNG
    if guess is not None and guess.mime == "image/jpeg":
        return FileType.JPEG
    if head.startswith(b"PK\x03\x04"):
        code = _office_type(upload)
        if code is not None:
            return code
    elif guess is None and head and _as_text(head) is not None:
        extension = os.path.splitext(filename)[1].lower()
        if extension == ".csv":
            return FileType.CSV
        if extension in ("", ".txt", ".text", ".log"):
            return FileType.TXT
        raise Refused(_("«%(name)s» contiene texto, no un archivo %(ext)s: el tipo se comprueba por el contenido "
                        "del archivo, no por su nombre.") % {"name": filename, "ext": extension[1:].upper()})
    raise Refused(_("El contenido de «%s» no es de un tipo admitido (el tipo se comprueba por el contenido del "
                    "archivo, no por su nombre).") % filename)


# --- text for search ---------------------------------------------------------------------------------------

def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\f\v]+", " ", text.replace("\x00", "")).strip()[:MAX_TEXT_CHARS]


def _pdf_text(handle) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(handle)
    parts, total = [], 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total >= MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _office_text(handle, code: str) -> str:
    with zipfile.ZipFile(handle) as archive:
        part = OFFICE_TEXT_PARTS[code]
        if part not in archive.namelist():
            return ""
        with archive.open(part) as handle:
            xml = handle.read(MAX_PART_BYTES).decode("utf-8", "replace")
    xml = re.sub(r"</(w:p|si|w:tr)>", "\n", xml)
    return TAG.sub(" ", xml)


def extract_text(upload, code: str) -> str:
    """The text of `upload` (a seekable file) for the search index ("" for images, or when a file cannot be
    read: a damaged file is still stored, only its text is missing)."""
    upload.seek(0)
    try:
        if code == FileType.PDF:
            text = _pdf_text(upload)
        elif code in (FileType.DOCX, FileType.XLSX):
            text = _office_text(upload, code)
        elif code in (FileType.TXT, FileType.CSV):
            data = upload.read(MAX_TEXT_CHARS * 2)
            text = _as_text(data) or data.decode("utf-8", "replace")
        else:
            return ""
    except Exception:
        logger.warning("Document text extraction failed", exc_info=True)
        return ""
    finally:
        upload.seek(0)
    return _clean(text)
