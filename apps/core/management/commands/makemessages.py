"""`makemessages` that also collects `_l("…")`: the project imports gettext_lazy as `_l` wherever a module
needs both the lazy and the immediate form, and xgettext only knows the names Django passes it."""
from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
