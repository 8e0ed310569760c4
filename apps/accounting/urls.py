from apps.accounting.views import books, chart, closing, entries, invoices, taxes

app_name = "accounting"
urlpatterns = [
    *chart.urlpatterns, *entries.urlpatterns, *invoices.urlpatterns, *books.urlpatterns, *taxes.urlpatterns,
    *closing.urlpatterns,
]
