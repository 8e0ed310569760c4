from apps.insurance.admin import catalog, policies, quotes  # noqa: F401
