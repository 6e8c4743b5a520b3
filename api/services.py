"""Creating and revoking API tokens, each recorded in the audit log."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record

from .models import ApiToken, hash_secret, new_secret


def may_manage_tokens(user, municipality):
    return user.has_perm("api.manage_tokens", municipality)


def _require_admin(user, municipality):
    if not may_manage_tokens(user, municipality):
        raise PermissionDenied(_("Bara kommunens administratör hanterar API-nycklar."))


def create_token(user, municipality, name):
    """Make a token for the municipality and return (token, secret); the secret is not stored.
    Side effect: an audit entry "api_token_created"."""
    _require_admin(user, municipality)
    secret = new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            municipality=municipality, name=name, key_hash=hash_secret(secret), prefix=secret[:8], created_by=user
        )
        record(token, "api_token_created", actor=user, data={"name": name})
    return token, secret


def revoke_token(user, token):
    """Revoke the token; it stops working at once. Side effect: an audit entry "api_token_revoked"."""
    _require_admin(user, token.municipality)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(token, "api_token_revoked", actor=user, data={"name": token.name})
    return token


def authenticate_secret(secret):
    """The active token with this secret, or None. Marks it used (at most once a minute)."""
    token = (
        ApiToken.objects.select_related("municipality", "created_by")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
