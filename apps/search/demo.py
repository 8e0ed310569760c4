"""The demo brokerage's search index: after the other domains' seeders (some bulk-create rows without
events), every kind is indexed once. Idempotent, like every demo seeder."""


def search_demo_seed(*, admin) -> dict:
    from apps.search.services.indexing import search_reindex

    return search_reindex()
