"""What makes django-oauth-toolkit answer like ProConnect: its claims, each granted by the scope
of the same name, and a userinfo answered as a signed JWT (application/jwt) rather than JSON."""

from jwcrypto import jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

SIRET = "13002526500013"


class ValidateurProConnect(OAuth2Validator):
    oidc_claim_scope = {
        "sub": "openid",
        "email": "email",
        "given_name": "given_name",
        "usual_name": "usual_name",
        "siret": "siret",
        "uid": "uid",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "given_name": user.first_name,
            "usual_name": user.last_name,
            "siret": SIRET,
            "uid": str(user.pk),
        }

    def get_userinfo_claims(self, request):
        # A str is sent by oauthlib as application/jwt; signed with the id_token's key.
        claims = super().get_userinfo_claims(request)
        claims["iss"] = self.get_oidc_issuer_endpoint(request)
        claims["aud"] = request.client.client_id
        key = request.client.jwk_key
        token = jwt.JWT(
            header={"alg": request.client.algorithm, "kid": key.thumbprint()}, claims=claims
        )
        token.make_signed_token(key)
        return token.serialize()
