from tests.applications.conftest import new_case, organisation, people, rulesets, shipped_documents  # noqa: F401 - shared fixtures
