from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "hodie.social"
    verbose_name = "Partners and readers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hodie.almanac import fragments

        from . import signals  # noqa: F401 - connects the receivers
        from .comments import comment_will_be_saved
        from .context_processors import day_block_keys
        from .spamservice import judge

        # The Akismet-compatible spam service is one plug-in of the comments' pre-save hook.
        comment_will_be_saved.connect(judge, dispatch_uid="hodie.social.spamservice")
        # The day page reads its stored comment block with its other fragments, in one statement.
        if day_block_keys not in fragments.DAY_PAGE_KEYS:
            fragments.DAY_PAGE_KEYS.append(day_block_keys)
