"""An app split into areas (one views module, one api module and one admin module per area)
finds them by name, so each area registers its menu entries, routes and URLs without a central
list that several people edit at once."""
import importlib
import pkgutil


def area_modules(package: str) -> list:
    """Every public module of `package` (e.g. "apps.claims.views"), imported, in name order."""
    base = importlib.import_module(package)
    return [importlib.import_module(f"{base.__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(base.__path__), key=lambda info: info.name)
            if not info.name.startswith("_")]


def register_areas(app_package: str) -> None:
    """Registers each views module's MENU and each api module's ROUTES of `app_package`."""
    from aitcore.registry import registry

    for module in area_modules(f"{app_package}.views"):
        for entry in getattr(module, "MENU", []):
            registry.register_menu(entry)
    for module in area_modules(f"{app_package}.api"):
        for prefix, viewset, basename in getattr(module, "ROUTES", []):
            registry.register_api(prefix, viewset, basename)
