from django.urls import path

from . import views

app_name = "donations"
urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("manage/<uuid:reference>/", views.manage_monthly_gift, name="manage"),
]
