import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

# The case fixtures of the applications tests: five rule sets, an organisation, one person per role.
from tests.applications.conftest import new_case, organisation, people, rulesets, shipped_documents  # noqa: F401

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def pdf():
    def make(name="underlag.pdf"):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    return make
