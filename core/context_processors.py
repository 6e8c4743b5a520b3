from django.conf import settings

from .menu import menu_for


def site(request):
    return {"DEMO_MODE": settings.DEMO_MODE}


def menu(request):
    return {"menu": menu_for(request.user)}
