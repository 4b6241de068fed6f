from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi


def languages(request):
    """Links to the current page in each language, and the page direction, for the base template."""
    current = get_language()
    path = request.get_full_path()
    return {
        "language_links": [
            {
                "code": code,
                "name": settings.LANGUAGE_SELF_NAMES[code],
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, _name in settings.LANGUAGES
        ],
        "page_dir": "rtl" if get_language_bidi() else "ltr",
    }
