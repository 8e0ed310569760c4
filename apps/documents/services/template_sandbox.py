"""The sandbox for the brokerage's own document templates (Django template language).

A template written by staff sees only the plain data it is given (strings, numbers, dates, lists and
dicts: never a model instance, so no relation can be walked to a password hash or another client), may
use only the tags below (no {% load %}, {% include %}, {% extends %}, {% url %}, {% debug %}...), loads no
file (the engine has no loaders) and, once rendered, fetches nothing: xhtml2pdf runs under a policy that
refuses every remote and local resource, so the only image a document can carry is a data: URI.
"""
import dataclasses
import datetime
from decimal import Decimal
from io import BytesIO

from django.db.models import Model
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from apps.documents.errors import DocumentError

MAX_TEMPLATE_CHARS = 200_000
ALLOWED_TAGS = frozenset({
    "if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "firstof", "cycle", "resetcycle",
    "ifchanged", "endifchanged", "regroup", "widthratio", "now", "spaceless", "endspaceless", "autoescape",
    "endautoescape", "comment", "endcomment", "verbatim", "endverbatim", "templatetag", "filter", "endfilter",
    # i18n and l10n are built in, so a template never needs {% load %}
    "translate", "trans", "blocktranslate", "blocktrans", "plural", "endblocktranslate", "endblocktrans",
    "localize", "endlocalize",
})

_ENGINE = Engine(dirs=[], app_dirs=False, loaders=[], libraries={}, debug=False, string_if_invalid="",
                 builtins=["django.templatetags.i18n", "django.templatetags.l10n"])


class TemplateRefused(DocumentError):
    code = "document_template_refused"


def template_compile(source: str):
    """The compiled template, or TemplateRefused with a message that says what to change."""
    if not (source or "").strip():
        raise TemplateRefused(_("La plantilla está vacía."), field="body")
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateRefused(_("La plantilla tiene %(n)d caracteres; el máximo es %(max)d.") % {
            "n": len(source), "max": MAX_TEMPLATE_CHARS}, field="body")
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        name = (token.split_contents() or [""])[0]
        if name not in ALLOWED_TAGS:
            raise TemplateRefused(_(
                "La etiqueta {%% %(tag)s %%} (línea %(line)s) no está permitida en las plantillas de documentos. "
                "Se admiten: if, for, with, firstof, cycle, now, translate, blocktranslate, localize, "
                "comment y filter; las traducciones ya están disponibles sin {%% load %%}.") % {
                "tag": name, "line": token.lineno or "?"}, code="document_template_forbidden_tag", field="body")
    try:
        return _ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateRefused(_("La plantilla no es válida: %(error)s") % {"error": exc},
                              code="document_template_invalid", field="body") from exc


def plain(value):
    """What a template may see: the value with every model instance (or other object) turned into text."""
    if value is None or isinstance(value, (str, bool, int, float, Decimal, datetime.date)):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    if isinstance(value, (list, set, frozenset)):
        return [plain(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Model):
        return str(value)
    return str(value)


def template_render(source_or_template, context: dict, *, autoescape: bool = True) -> str:
    template = template_compile(source_or_template) if isinstance(source_or_template, str) else source_or_template
    return template.render(Context(plain(context), autoescape=autoescape))


def _resource_policy():
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    return ResourceAccessPolicy.server(None, allow_remote=False, max_render_seconds=60)


def html_to_pdf(html: str) -> bytes:
    """xhtml2pdf under a policy that fetches nothing (data: URIs are part of the document)."""
    from xhtml2pdf import pisa

    buffer = BytesIO()
    try:
        result = pisa.CreatePDF(html, dest=buffer, encoding="utf-8", resource_policy=_resource_policy())
    except Exception as exc:  # noqa: BLE001 - a broken template must be a message, not a 500
        raise TemplateRefused(_("No se pudo convertir el documento a PDF: %(error)s") % {"error": exc},
                              code="document_pdf_failed") from exc
    if result.err:
        raise TemplateRefused(_("No se pudo convertir el documento a PDF: revise el HTML de la plantilla."),
                              code="document_pdf_failed")
    return buffer.getvalue()
