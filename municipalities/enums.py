"""Vocabulary shared by the organisation models and the rule-set schema."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UnitKind(models.TextChoices):
    # nämnd: a political board; förvaltning/kontor: its administration; sektor/verksamhet: parts of it.
    NAMND = "namnd", _("nämnd")
    FORVALTNING = "forvaltning", _("förvaltning")
    SEKTOR = "sektor", _("sektor")
    KONTOR = "kontor", _("kontor")
    VERKSAMHET = "verksamhet", _("verksamhet")
    BOLAG = "bolag", _("majoritetsägt kommunalt bolag")
    STYRELSE = "styrelse", _("styrelse")


class ActorKind(models.TextChoices):
    CIVIL_SOCIETY = "civil_society", _("civilsamhällesaktör")
    OTHER_PUBLIC = "other_public", _("annan offentlig aktör")
    FOR_PROFIT = "for_profit", _("vinstdrivande företag")


class RuleSetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("rule set status", "utkast")
    ACTIVE = "active", pgettext_lazy("rule set status", "gällande")
    RETIRED = "retired", pgettext_lazy("rule set status", "ersatt")
