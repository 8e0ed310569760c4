"""What apps register at ready(): menu entries, staff resources (pages), API routes,
dashboard widgets and search indexes. URLconfs and templates read from here, so adding a
domain never means editing a central list.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MenuEntry:
    section: str
    label: str
    url_name: str
    icon: str = "bi-circle"
    permission: str | None = None
    order: int = 100
    # Other pages (URL names) where this entry is the one highlighted, e.g. the segment pages
    # under "Segmentos y campañas"; pages below the entry's own URL are highlighted anyway.
    also_active: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiRoute:
    prefix: str
    viewset: type
    basename: str


@dataclass(frozen=True)
class Widget:
    title: str
    template: str
    context: object  # callable(request) -> dict
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class Panel:
    """A section another app adds to a record's page (e.g. insurance adds «Pólizas» to a client's
    360° page). context(obj, request) -> dict for the template, or None to leave the panel out."""

    title: str
    template: str
    context: object
    permission: str | None = None
    order: int = 100


@dataclass
class Registry:
    menu: list[MenuEntry] = field(default_factory=list)
    resources: list = field(default_factory=list)
    api_routes: list[ApiRoute] = field(default_factory=list)
    widgets: list[Widget] = field(default_factory=list)
    search_indexes: list = field(default_factory=list)
    # callables(party) -> reason (str) or None: why a party's data must be kept (GDPR erasure)
    retention_checks: list = field(default_factory=list)
    # callables(*, admin) run inside the demo brokerage's schema by `seed_demo`; they skip what exists
    demo_seeders: list = field(default_factory=list)
    # callables(*, tenant) run inside a new brokerage's schema right after provisioning
    tenant_setups: list = field(default_factory=list)
    # model label ("crm.party") -> panels other apps add to that record's page
    panels: dict = field(default_factory=dict)

    def register_menu(self, entry: MenuEntry) -> None:
        if entry not in self.menu:
            self.menu.append(entry)

    def register_resource(self, resource) -> None:
        if all(r.key != resource.key for r in self.resources):
            self.resources.append(resource)
            self.register_menu(resource.menu_entry())

    def register_api(self, prefix: str, viewset: type, basename: str) -> None:
        if all(r.prefix != prefix for r in self.api_routes):
            self.api_routes.append(ApiRoute(prefix, viewset, basename))

    def register_widget(self, widget: Widget) -> None:
        if widget not in self.widgets:
            self.widgets.append(widget)

    def register_search_index(self, index) -> None:
        if index not in self.search_indexes:
            self.search_indexes.append(index)

    def register_retention_check(self, check) -> None:
        if check not in self.retention_checks:
            self.retention_checks.append(check)

    def register_tenant_setup(self, setup) -> None:
        if setup not in self.tenant_setups:
            self.tenant_setups.append(setup)

    def register_demo_seeder(self, seeder) -> None:
        if seeder not in self.demo_seeders:
            self.demo_seeders.append(seeder)

    def register_panel(self, model_label: str, panel: Panel) -> None:
        panels = self.panels.setdefault(model_label, [])
        if panel not in panels:
            panels.append(panel)

    def panels_for(self, model_label: str, obj, request) -> list[dict]:
        """The panels of a record's page this user may see, with their context, in order."""
        shown = []
        for panel in sorted(self.panels.get(model_label, []), key=lambda p: (p.order, p.title)):
            if panel.permission and not request.user.has_perm(panel.permission):
                continue
            context = panel.context(obj, request)
            if context is not None:
                shown.append({"title": panel.title, "template": panel.template, "context": context})
        return shown

    def menu_for(self, user) -> list[tuple[str, list[MenuEntry]]]:
        sections: dict[str, list[MenuEntry]] = {}
        for entry in sorted(self.menu, key=lambda e: (e.order, e.label)):
            if entry.permission and not user.has_perm(entry.permission):
                continue
            sections.setdefault(entry.section, []).append(entry)
        return list(sections.items())


registry = Registry()
