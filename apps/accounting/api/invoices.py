"""API of the accounting area «invoices»: issued and received invoices with nested lines.
POST creates a draft; …/validate/ numbers it and posts its entry; …/rectify/ issues a validated
rectifying invoice; …/pdf/ returns the PDF. PUT/PATCH and DELETE only for drafts (409 otherwise).
ROUTES are (prefix, viewset, basename), registered by apps.accounting.navigation."""
import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from apps.accounting.api.serializers_invoices import (
    InvoiceListSerializer, InvoiceRectifySerializer, InvoiceSerializer, InvoiceUpdateSerializer,
    InvoiceWriteSerializer,
)
from apps.accounting.choices import InvoiceState
from apps.accounting.errors import AccountingError
from apps.accounting.models import Invoice
from apps.accounting.services.invoices import (
    invoice_create, invoice_draft_delete, invoice_rectify, invoice_update, invoice_validate,
)
from apps.accounting.services.invoices_pdf import invoice_pdf, invoice_pdf_filename
from apps.core.api.idempotency import idempotent
from apps.core.api.viewsets import ReadOnlyRecordViewSet


class PdfRenderer(BaseRenderer):
    """Lets clients ask for `Accept: application/pdf`; errors still go out as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False, default=str).encode()


def _lines(lines):
    return None if lines is None else [{k: v for k, v in line.items() if v not in (None, "")} for line in lines]


def _immutable(invoice) -> AccountingError:
    return AccountingError(_("La factura %s está validada: no se modifica ni se borra; emita una rectificativa "
                             "(POST …/rectify/).") % invoice, code="invoice_validated", status=409)


class InvoiceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                     ReadOnlyRecordViewSet):
    """Issued (`kind=issued`) and received (`kind=received`) invoices. Lines take tax codes
    (IVA21, EXENTO20, IVAS21, RE52, IRPF15…) and compute their amounts on the server."""

    queryset = Invoice.objects.select_related("series")
    filterset_fields = {"kind": ["exact"], "state": ["exact"], "party": ["exact"], "series__code": ["exact"],
                        "issue_date": ["gte", "lte"], "year": ["exact"]}
    search_fields = ["full_number", "party_name", "party_tax_id"]
    ordering_fields = ["issue_date", "number", "total", "created_at"]
    ordering = ["-issue_date", "-number", "-pk"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related("lines__account", "lines__vat", "lines__surcharge",
                                                 "lines__withholding")
        return queryset

    def get_serializer_class(self):
        if self.action == "list":
            return InvoiceListSerializer
        if self.action == "create":
            return InvoiceWriteSerializer
        if self.action in ("update", "partial_update"):
            return InvoiceUpdateSerializer
        if self.action == "rectify":
            return InvoiceRectifySerializer
        return InvoiceSerializer

    def _read(self, invoice, status_code=status.HTTP_200_OK):
        invoice = self.get_queryset().model.objects.prefetch_related(
            "lines__account", "lines__vat", "lines__surcharge", "lines__withholding").select_related("series").get(
            pk=invoice.pk)
        return Response(InvoiceSerializer(invoice, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=InvoiceWriteSerializer, responses={201: InvoiceSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        serializer = InvoiceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        invoice = invoice_create(actor=request.user, lines=_lines(data.pop("lines")), **data)
        return self._read(invoice, status.HTTP_201_CREATED)

    @extend_schema(request=InvoiceUpdateSerializer, responses={200: InvoiceSerializer})
    def update(self, request, *args, **kwargs):
        invoice = self.get_object()
        if invoice.state != InvoiceState.DRAFT:
            raise _immutable(invoice)
        serializer = InvoiceUpdateSerializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = _lines(data.pop("lines", None))
        invoice = invoice_update(actor=request.user, invoice=invoice, lines=lines, **data)
        return self._read(invoice)

    def destroy(self, request, *args, **kwargs):
        invoice = self.get_object()
        if invoice.state != InvoiceState.DRAFT:
            raise _immutable(invoice)
        invoice_draft_delete(actor=request.user, invoice=invoice)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _require(self, perm: str):
        if not self.request.user.has_perm(perm):
            raise PermissionDenied(_("Su rol no permite esta operación."))

    @extend_schema(request=None, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """Numbers the draft (issued) or registers it (received) and posts its entry."""
        self._require("accounting.change_invoice")
        return self._read(invoice_validate(actor=request.user, invoice=self.get_object()))

    @extend_schema(request=InvoiceRectifySerializer, responses={201: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        """A validated rectifying invoice by differences; without `lines`, cancels the invoice in full."""
        self._require("accounting.add_invoice")
        params = InvoiceRectifySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        rectifying = invoice_rectify(actor=request.user, invoice=self.get_object(), lines=_lines(data.pop("lines", None)),
                                     **data)
        return self._read(rectifying, status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="La factura en PDF.")})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def pdf(self, request, pk=None):
        invoice = self.get_object()
        response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{invoice_pdf_filename(invoice)}"'
        return response


ROUTES = [("accounting/invoices", InvoiceViewSet, "accounting-invoice")]
