from apps.core.areas import area_modules

area_modules("apps.compliance.admin")
