from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be searched but never edited or pruned from the admin."""

    list_display = ("created_at", "actor_label", "action", "content_type", "object_label")
    list_filter = ("action", "content_type")
    search_fields = ("actor_label", "object_label", "action", "object_id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
