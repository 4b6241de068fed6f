from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.models import ConsultationSummary, OutcomeDocument
from reports.services import render_document_now


class Command(BaseCommand):
    help = (
        "Render a review's outcome document (or, with --consultation, a consultation's summary report) to a PDF "
        "file, synchronously and without storing anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("--review", required=True, help="The review's slug.")
        parser.add_argument(
            "--consultation", help="A consultation's slug: render its summary report instead."
        )
        parser.add_argument("--lang", required=True, choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument("--out", required=True, help="Where to write the PDF.")

    def handle(self, *args, review, consultation, lang, out, **options):
        if consultation:
            document = ConsultationSummary.objects.filter(
                consultation__slug=consultation, consultation__review__slug=review
            ).first()
        else:
            document = OutcomeDocument.objects.filter(review__slug=review).first()
        if document is None:
            raise CommandError("No such document: write it first (documents page or admin).")
        content = render_document_now(document=document, language=lang)
        Path(out).write_bytes(content)
        self.stdout.write(f"Wrote {out} ({len(content)} bytes).")
