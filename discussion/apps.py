from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Kommentarer")

    def ready(self):
        from audit.labels import register_actions

        from . import rules  # noqa: F401 - registers the discussion permissions

        register_actions(
            {
                "comment.posted": _("Kommentar skriven"),
                "comment.edited": _("Kommentar ändrad"),
            }
        )
