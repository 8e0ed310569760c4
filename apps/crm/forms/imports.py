"""Upload form of the party import (the dry run itself is apps.crm.services.imports.import_check)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BootstrapFormMixin

MAX_UPLOAD_MB = 20


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Fichero CSV o Excel (.xlsx)"),
        help_text=_("Primera fila: los nombres de las columnas. CSV separado por «;» o «,», en UTF-8 o ISO-8859-1. "
                    "Nada se guarda hasta que revise el resultado y pulse «Aplicar»."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-"
                                                         "officedocument.spreadsheetml.sheet"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt", ".xlsx", ".xls")):
            raise forms.ValidationError(_("Suba un fichero .csv o .xlsx (el suyo es «%(name)s»).") % {"name": upload.name})
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("El fichero ocupa más de %(mb)d MB: divídalo en varios.") % {"mb": MAX_UPLOAD_MB})
        return upload
