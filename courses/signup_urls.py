from django.urls import path

from . import signup_views as views

app_name = "signups"

urlpatterns = [
    path("signup/<uuid:uid>/", views.session_signup, name="session"),
    path("signup/done/<str:token>/", views.done, name="done"),
    path("signup/confirm/<str:token>/", views.confirm, name="confirm"),
    path("signup/cancel/<str:token>/", views.cancel, name="cancel"),
    path("signup/release/<str:token>/", views.release, name="release"),
    path("signup/coming/<str:token>/", views.coming, name="coming"),
    path("signup/mine/<str:token>/", views.mine, name="mine"),
]
