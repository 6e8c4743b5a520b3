from tests.applications.conftest import new_case, organisation, people  # noqa: F401 - shared fixtures
from tests.funds.conftest import today  # noqa: F401 - shared fixture
