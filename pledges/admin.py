"""The secretariat's screening queue for pledges and written inputs.

The changelist opens on the queue (submitted items); publish, return and decline are actions that ask for
the reason on an intermediate page. Staff see the items of the reviews they manage (ReviewMembership);
superusers see everything. Workflow fields are read-only; staff edits (e.g. translations) are audited.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from gcm_portal.admin_mixins import TranslationStatusAdminMixin

from . import access, services
from .forms import DecisionReasonForm
from .models import Pledge, ProgressUpdate, SubmissionStatus, WrittenInput

WORKFLOW_FIELDS = (
    "status",
    "organization",
    "original_language",
    "submitted_at",
    "decided_at",
    "decided_by",
    "decision_reason",
    "published_at",
    "created_by",
    "submitter_membership",
    "document_link",
    "document_size",
)


class QueueFilter(admin.SimpleListFilter):
    """Opens on the items waiting for a decision; "All" is an explicit choice."""

    title = _("status")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("all", _("All")), *SubmissionStatus.choices]

    def queryset(self, request, queryset):
        value = self.value() or SubmissionStatus.SUBMITTED
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or SubmissionStatus.SUBMITTED
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


def _decision_action(decision: str, description):
    needs_reason = decision in services.DECISIONS_NEEDING_REASON

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        form = DecisionReasonForm(
            request.POST if "apply" in request.POST else None, reason_required=needs_reason
        )
        if form.is_bound and form.is_valid():
            done = 0
            for submission in queryset:
                try:
                    services.decide_submission(
                        actor=request.user,
                        submission=submission,
                        decision=decision,
                        reason=form.cleaned_data["reason"],
                    )
                    done += 1
                except (ValidationError, PermissionDenied) as exc:
                    modeladmin.message_user(
                        request, f"{submission}: {' '.join(_messages(exc))}", messages.WARNING
                    )
            modeladmin.message_user(
                request,
                ngettext("%(count)d item decided.", "%(count)d items decided.", done) % {"count": done},
                messages.SUCCESS,
            )
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": description,
            "opts": modeladmin.model._meta,
            "queryset": queryset,
            "form": form,
            "action": action.__name__,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "needs_reason": needs_reason,
        }
        return TemplateResponse(request, "admin/pledges/decision.html", context)

    action.__name__ = f"{decision}_selected"
    return action


def _messages(exc: Exception) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


publish_selected = _decision_action("publish", _("Publish the selected items"))
return_selected = _decision_action("return", _("Return the selected items for changes (with a reason)"))
decline_selected = _decision_action("decline", _("Decline the selected items (with a reason)"))


class SubmissionAdmin(TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_filter = (QueueFilter, "original_language")
    readonly_fields = WORKFLOW_FIELDS
    actions = [publish_selected, return_selected, decline_selected]
    date_hierarchy = "submitted_at"

    def get_queryset(self, request):
        # No select_related here: the changelist applies list_select_related only to a queryset without one.
        return access.restrict_to_managed(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        # Submissions come from their organizations through the portal, never typed in by staff.
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_model(self, request, obj):
        services.delete_submission(actor=request.user, submission=obj)

    def delete_queryset(self, request, queryset):
        # One by one, so each deletion is audited and its stored document removed.
        for submission in queryset:
            services.delete_submission(actor=request.user, submission=submission)

    @admin.display(description=_("submitter's membership"))
    def submitter_membership(self, obj) -> str:
        """Whether the secretariat confirmed that whoever created the item represents its organization:
        anyone may name an organization in their profile and submit in its name."""
        if obj.created_by_id is None:
            return "—"
        profile = getattr(obj.created_by, "profile", None)
        if (
            profile is not None
            and profile.organization_confirmed
            and profile.organization_id == obj.organization_id
        ):
            return _("Confirmed")
        return _("Not confirmed")

    @admin.display(description=_("supporting document (PDF)"))
    def document_link(self, obj) -> str:
        if not obj.document:
            return "—"
        name = "pledges:document" if isinstance(obj, Pledge) else "pledges:input_document"
        return format_html('<a href="{}">{}</a>', reverse(name, kwargs={"pk": obj.pk}), obj.document_name)

    def save_model(self, request, obj, form, change):
        services.save_submission_by_staff(
            actor=request.user, submission=obj, changed_fields=form.changed_data
        )


class ProgressUpdateInline(admin.TabularInline):
    model = ProgressUpdate
    extra = 0
    fields = ("date", "implementation_status", "narrative", "indicator_value", "created_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pledge)
class PledgeAdmin(SubmissionAdmin):
    list_display = (
        "__str__",
        "organization",
        "submitter_membership",
        "form",
        "status",
        "submitted_at",
        "is_synthetic",
    )
    list_select_related = ("organization", "form", "created_by__profile")
    list_filter = (QueueFilter, "form", "original_language", "is_synthetic")
    search_fields = ("title_en", "title_fr", "title_ar", "organization__name", "organization__acronym")
    readonly_fields = (*WORKFLOW_FIELDS, "implementation_status", "last_progress_on", "is_synthetic")
    filter_horizontal = ("objectives", "principles", "reviews", "regions", "partner_organizations")
    raw_id_fields = ("matches",)
    inlines = [ProgressUpdateInline]
    exclude = ("document",)


@admin.register(WrittenInput)
class WrittenInputAdmin(SubmissionAdmin):
    list_display = (
        "__str__",
        "organization",
        "submitter_membership",
        "review",
        "stakeholder_group",
        "status",
        "submitted_at",
    )
    list_select_related = ("organization", "review", "stakeholder_group", "created_by__profile")
    list_filter = (QueueFilter, "review", "stakeholder_group", "original_language")
    search_fields = ("title_en", "title_fr", "title_ar", "organization__name", "organization__acronym")
    readonly_fields = (*WORKFLOW_FIELDS, "review")
    filter_horizontal = ("objectives",)
    exclude = ("document",)
