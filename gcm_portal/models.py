from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationStatus(models.TextChoices):
    OFFICIAL = "official", _("Official")
    SEED = "seed", _("From the source documents")
    WORKING = "working", _("Working translation (unverified)")
    VERIFIED = "verified", _("Verified by the secretariat")


class TranslationStatusMixin(models.Model):
    """Records, per language, how far a translated text can be trusted.

    Reference data arrives with translations marked "working": they must never be presented as official
    until a staff member verifies them (admin action), which is recorded in the audit log.
    """

    translation_status = models.JSONField(
        _("translation status"),
        default=dict,
        blank=True,
        help_text=_("Per language: official, seed, working or verified."),
    )

    class Meta:
        abstract = True

    def language_status(self, language: str) -> str:
        # A language with no recorded status was typed in by staff and has not been checked either.
        return self.translation_status.get(language, TranslationStatus.WORKING)

    def is_unverified(self, language: str) -> bool:
        return self.language_status(language) == TranslationStatus.WORKING

    def unverified_languages(self) -> list[str]:
        return [code for code, _name in settings.LANGUAGES if self.is_unverified(code)]


class AuditEntry(models.Model):
    """An append-only record of a state change: who did what to which object, with before and after."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the entry still names the person after their account is deleted.
    actor_label = models.CharField(_("who (as recorded)"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries are append-only.")
