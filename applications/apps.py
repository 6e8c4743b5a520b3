from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Ärenden")

    def ready(self):
        from django.db.models.signals import post_save

        from audit.labels import register_actions, register_states
        from audit.models import AuditEntry

        from .enums import CaseState
        from .models import Case
        from .services.notices import watch_audit_entry

        # Every change of a case writes its history: after it commits, the people the case now
        # waits for are told (applications.services.notices).
        post_save.connect(watch_audit_entry, sender=AuditEntry, dispatch_uid="applications.watch_audit_entry")

        register_states(CaseState)
        register_actions({details.audit_action: details.label for details in Case.lifecycle()})
        register_actions(
            {
                "case.created": _("Ärendet skapat"),
                "case.saved": _("Ärendet sparat"),
                "case.step": _("Steg genomfört"),
                "case.attachment": _("Bilaga tillagd"),
                "case.attachment_removed": _("Bilaga borttagen"),
                "case.signed": _("Ansökan underskriven"),
                "case.signed_on_paper": _("Underskrift på papper registrerad"),
                "case.signature_voided": _("Underskrift ogiltig"),
                "case.signatures_requested": _("Underskrifter begärda"),
                "case.board_informed": _("Berörd nämnd informerad"),
            }
        )
