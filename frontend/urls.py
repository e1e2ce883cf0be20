from django.urls import path

from .views import (, accounts, catalogue, custom, products, recommend, samples, trials
    accounts,
    catalog_import,
    catalogue,
    custom,
    notifications,
    profiles,
    samples,
    search,
    signup,
    trials,
)

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
    # Bulk catalog import (factories): template, upload → preview with row errors, confirm.
    path("me/products/import/", catalog_import.catalog_import_upload, name="catalog-import"),
    path("me/products/import/confirm/", catalog_import.catalog_import_confirm, name="catalog-import-confirm"),
    path(
        "me/products/import/template.<str:fmt>",
        catalog_import.catalog_import_template,
        name="catalog-import-template",
    ),
    # Accounts: sign-up, first run, profiles, password reset (web-accounts).
    path("sign-up/", signup.sign_up, name="signup"),
    path("welcome/", signup.welcome, name="welcome"),
    path("me/profile/", profiles.my_profile, name="profile"),
    path("me/profile/factory/", profiles.factory_profile, name="factory-profile"),
    path("me/profile/streamer/", profiles.streamer_profile, name="streamer-profile"),
    path("password-reset/", signup.password_reset, name="password-reset"),
    path("password-reset/sent/", signup.password_reset_sent, name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>/", signup.password_reset_confirm, name="password-reset-confirm"),
    path("password-reset/done/", signup.password_reset_complete, name="password-reset-complete"),
    # Public search page and the notifications inbox (web-public).
    path("search/", search.search, name="search"),
    path("me/notifications/", notifications.notification_list, name="notifications"),
    path("me/notifications/read-all/", notifications.notification_read_all, name="notifications-read-all"),
    path("me/notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
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
