"""The rapporteur page: key messages of one consultation, grouped by guiding question, entered during or
after the consultation by staff with rights on its review."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from reviews.models import Objective
from reviews.permissions import can_manage_review

from . import key_messages as services
from .models import Consultation, KeyMessage


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Objective) -> str:
        return str(obj)


class KeyMessageForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=KeyMessage.Kind.choices)
    objectives = ObjectiveChoiceField(
        label=_("objectives"),
        queryset=Objective.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
    )
    guiding_question = forms.ModelChoiceField(label=_("guiding question"), queryset=None, required=False)
    agenda_item = forms.ModelChoiceField(label=_("agenda item"), queryset=None, required=False)
    original_language = forms.ChoiceField(label=_("original language"), choices=settings.LANGUAGES)
    order = forms.IntegerField(label=_("order"), min_value=0, initial=0)

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guiding_question"].queryset = consultation.guiding_questions.order_by("order", "id")
        self.fields["agenda_item"].queryset = consultation.agenda_items.order_by("order", "starts_at", "id")
        for code, name in settings.LANGUAGES:
            self.fields[f"text_{code}"] = forms.CharField(
                label=format_lazy("{} ({})", _("text"), name),
                required=False,
                widget=forms.Textarea(
                    attrs={"rows": 4, "lang": code, "dir": "rtl" if code == "ar" else "ltr"}
                ),
            )

    def clean(self):
        cleaned = super().clean()
        language = cleaned.get("original_language")
        if language and not (cleaned.get(f"text_{language}") or "").strip():
            self.add_error(f"text_{language}", _("Enter the text in its original language."))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "objectives": data["objectives"],
            "texts": {code: data[f"text_{code}"] for code, _name in settings.LANGUAGES},
            "original_language": data["original_language"],
            "order": data["order"],
            "agenda_item": data["agenda_item"],
            "guiding_question": data["guiding_question"],
        }

    @classmethod
    def initial_for(cls, key_message: KeyMessage) -> dict:
        return {
            "kind": key_message.kind,
            "objectives": list(key_message.objectives.all()),
            "guiding_question": key_message.guiding_question_id,
            "agenda_item": key_message.agenda_item_id,
            "original_language": key_message.original_language,
            "order": key_message.order,
            **{f"text_{code}": getattr(key_message, f"text_{code}") for code, _name in settings.LANGUAGES},
        }


def _managed_consultation(request: HttpRequest, slug: str) -> Consultation:
    consultation = get_object_or_404(Consultation.objects.select_related("review"), slug=slug)
    if not can_manage_review(request.user, consultation.review):
        raise PermissionDenied
    return consultation


@login_required
def key_message_list(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = _managed_consultation(request, slug)
    form = KeyMessageForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        services.create_key_message(consultation=consultation, actor=request.user, **form.service_arguments())
        return redirect("consultations:key_messages", slug=consultation.slug)
    groups = services.group_key_messages_by_question(consultation=consultation)
    return render(
        request,
        "consultations/key_messages/list.html",
        {"consultation": consultation, "groups": groups, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def key_message_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _managed_consultation(request, slug)
    key_message = get_object_or_404(KeyMessage, pk=pk, consultation=consultation)
    form = KeyMessageForm(
        request.POST or None, consultation=consultation, initial=KeyMessageForm.initial_for(key_message)
    )
    if request.method == "POST" and form.is_valid():
        services.update_key_message(key_message=key_message, actor=request.user, **form.service_arguments())
        return redirect("consultations:key_messages", slug=consultation.slug)
    return render(
        request,
        "consultations/key_messages/edit.html",
        {"consultation": consultation, "key_message": key_message, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def key_message_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = _managed_consultation(request, slug)
    key_message = get_object_or_404(KeyMessage, pk=pk, consultation=consultation)
    status = request.POST.get("status", "")
    if status not in KeyMessage.Status.values:
        return HttpResponse(status=400)
    services.set_key_message_status(key_message=key_message, actor=request.user, status=status)
    url = reverse("consultations:key_messages", kwargs={"slug": consultation.slug})
    return redirect(f"{url}#key-message-{key_message.pk}")
