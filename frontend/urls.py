from django.urls import path

from . import views

app_name = "frontend"
urlpatterns = [
    path("", views.home, name="home"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("factories/<int:pk>/", views.factory_detail, name="factory"),
]
