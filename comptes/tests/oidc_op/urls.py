from django.contrib.auth.views import LoginView
from django.urls import include, path, re_path
from oauth2_provider import views

# ProConnect's paths under /api/v2, named as django-oauth-toolkit reverses them.
proconnect = (
    [
        path("authorize", views.AuthorizationView.as_view(), name="authorize"),
        path("token", views.TokenView.as_view(), name="token"),
        path("userinfo", views.UserInfoView.as_view(), name="user-info"),
        path("jwks", views.JwksInfoView.as_view(), name="jwks-info"),
        path("session/end", views.RPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
        re_path(
            r"^\.well-known/openid-configuration$",
            views.ConnectDiscoveryInfoView.as_view(),
            name="oidc-connect-discovery-info",
        ),
    ],
    "oauth2_provider",
)

urlpatterns = [
    path("api/v2/", include(proconnect)),
    path("login/", LoginView.as_view(), name="login"),
]
