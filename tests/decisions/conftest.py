from tests.applications.conftest import new_case, organisation, people  # noqa: F401 - shared fixtures
