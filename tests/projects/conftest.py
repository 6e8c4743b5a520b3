from tests.applications.conftest import new_case, organisation, people, rulesets, shipped_documents  # noqa: F401 - shared fixtures
from tests.reporting.conftest import running  # noqa: F401 - a running project, as the reports have it
