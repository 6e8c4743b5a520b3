from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class SwedishFirstLocaleMiddleware(MiddlewareMixin):
    """Swedish unless the user chose another language with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show an
    English-configured browser an English Fonden; a Swedish public service starts in Swedish.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
