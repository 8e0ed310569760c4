"""Fixtures of the search tests: Celery eager for the indexing on commit (the search_flush task runs in
this process, in this test's transaction), a reindexed search, and the shared fixtures of collections
(a policy with its receipts) and HR (a small team) imported by name."""
import pytest

from aitcore.celery import app
from tests.collections.conftest import (  # noqa: F401  (fixtures)
    coll_books, coll_catalog, coll_holder, coll_line, issued_policy,
)
from tests.hr.conftest import hr_centre, hr_department, hr_people  # noqa: F401  (fixtures)


@pytest.fixture
def eager(tenant_a):
    """Celery runs tasks in this process (as with no REDIS_URL); the test's on-commit callbacks are run by
    django_capture_on_commit_callbacks(execute=True)."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def committed(eager, django_capture_on_commit_callbacks):
    """with committed(): ...  runs the block's on-commit callbacks (domain events -> indexing) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def titles(results, kind=None) -> list[str]:
    return [hit.title for group in results.groups if kind in (None, group.kind) for hit in group.hits]
