from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member of a municipality may do. The rule set gives each role its local name
    (e.g. the preparer is Ystad's processgrupp and Sundsvall's strategiska verksamhetsnätverk)."""

    APPLICANT = "applicant", _("sökande (förvaltningspersonal)")
    PREPARER = "preparer", _("beredande grupp")
    MANAGEMENT = "management", _("ledningsgrupp")
    BOARD = "board", _("nämndrepresentant")
    DECISION_BODY = "decision_body", _("beslutande organ")
    CONTROLLER = "controller", _("controller")
    # kommunfullmäktige: the council, deciding what its rule set leaves to it (Sundsvall: scale-up).
    COUNCIL = "council", _("kommunfullmäktige")
    MUNICIPAL_ADMIN = "municipal_admin", _("kommunens administratör")
