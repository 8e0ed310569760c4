from django import forms
from django.utils.translation import gettext_lazy as _

from apps.notifications.choices import NotificationKind
from apps.notifications.services.preferences import FLAGS

FLAG_LABELS = {"in_app": _("En la aplicación"), "email_immediate": _("E-mail inmediato"),
               "email_digest": _("Resumen diario por e-mail")}


class NotificationPreferencesForm(forms.Form):
    """One row per kind, three check boxes per row (fields "<kind>__<flag>")."""

    def __init__(self, *args, preferences: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            for flag in FLAGS:
                self.fields[f"{kind}__{flag}"] = forms.BooleanField(
                    required=False, initial=getattr(preferences[kind], flag), label=f"{label}: {FLAG_LABELS[flag]}")

    def rows(self):
        return [{"kind": kind, "label": label, "fields": [self[f"{kind}__{flag}"] for flag in FLAGS]}
                for kind, label in NotificationKind.choices]

    def preferences_data(self) -> dict:
        return {kind: {flag: self.cleaned_data[f"{kind}__{flag}"] for flag in FLAGS} for kind in NotificationKind.values}
