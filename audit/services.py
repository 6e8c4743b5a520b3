from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry


def record(subject, action, *, actor=None, from_state="", to_state="", reason="", data=None, municipality=None):
    """Append one entry to the history of ``subject``. Call inside the transaction that makes
    the change, so the change and its record commit or roll back together."""
    if municipality is None:
        municipality = getattr(subject, "municipality", None)
    return AuditEntry.objects.create(
        municipality=municipality,
        content_type=ContentType.objects.get_for_model(subject.__class__),
        object_id=str(subject.pk),
        action=action,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
