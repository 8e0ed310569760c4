from apps.insurance.admin import catalog, policies, quotes, renewals  # noqa: F401
