"""`Authorization: Bearer <secret>` (or `Token <secret>`): the request reads the token's municipality."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .services import authenticate_secret

KEYWORDS = {"bearer", "token"}


class TokenClient:
    """The authenticated party of an API request: a system holding a token, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    unit_id = None

    def __init__(self, token):
        self.token = token
        self.municipality = token.municipality
        self.municipality_id = token.municipality_id

    def __str__(self):
        return str(self.token)

    def role_set(self):
        """A token holds no person's role, yet reads as staff (accounts.rules.is_staff_member): it
        sees all of its municipality's cases through Case.objects.visible_to."""
        return frozenset({"api_token"})

    def has_role(self, role):
        return False


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:  # the keyword and the secret
            raise exceptions.AuthenticationFailed(_("Ogiltigt Authorization-huvud: ange ”Bearer <nyckel>”."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Ogiltig API-nyckel.")) from error
        token = authenticate_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("API-nyckeln är okänd eller återkallad."))
        return TokenClient(token), token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "API-nyckel från sidan API-nycklar."}
