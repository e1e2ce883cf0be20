from django.urls import path

from .views import accounts, catalogue, custom, products, recommend, samples, trials

app_name = "frontend"
urlpatterns = [
    path("", catalogue.home, name="home"),
    path("products/<int:pk>/", catalogue.product_detail, name="product"),
    path("factories/<int:pk>/", catalogue.factory_detail, name="factory"),
    path("sign-in/", accounts.sign_in, name="login"),
    path("sign-out/", accounts.sign_out, name="logout"),
    path("me/", accounts.dashboard, name="dashboard"),
    path("products/<int:pk>/trial/", trials.trial_request, name="trial-request"),
    path("products/<int:pk>/sample/", samples.sample_request, name="sample-request"),
    path("me/trials/", trials.trial_list, name="trials"),
    path("me/trials/<int:pk>/", trials.trial_detail, name="trial"),
    path("me/trials/<int:pk>/<slug:action>/", trials.trial_action, name="trial-action"),
    path("me/samples/", samples.sample_list, name="samples"),
    path("me/samples/<int:pk>/", samples.sample_detail, name="sample"),
    path("me/samples/<int:pk>/<slug:action>/", samples.sample_action, name="sample-action"),
    path("me/custom/", custom.custom_request_list, name="customs"),
    path("me/custom/new/", custom.custom_request_new, name="custom-new"),
    path("me/custom/<int:pk>/", custom.custom_request_detail, name="custom"),
    path("me/custom/<int:pk>/cancel/", custom.custom_request_cancel, name="custom-cancel"),
    path("me/custom/<int:pk>/quote/", custom.quote_submit, name="quote-submit"),
    path("me/custom/<int:pk>/quotes/<int:quote_id>/accept/", custom.quote_accept, name="quote-accept"),
    path("me/custom/<int:pk>/messages/", custom.message_post, name="custom-message"),
    # Factory listings and matching (issue 9, point 3 / 4).
    path("me/products/", products.product_list, name="my-products"),
    path("me/products/new/", products.product_new, name="my-product-new"),
    path("me/products/<int:pk>/", products.product_edit, name="my-product-edit"),
    path("me/products/<int:pk>/delist/", products.product_delist, name="my-product-delist"),
    path(
        "me/products/<int:pk>/images/<int:image_id>/<slug:action>/",
        products.product_image_action,
        name="my-product-image",
    ),
    path("me/fit/", recommend.streamers_for_factory, name="fit-streamers"),
    path("me/recommended/", recommend.recommended_for_streamer, name="recommended"),
]
