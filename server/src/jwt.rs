//! Host-signed JWTs for the embed exchange (`POST /auth/exchange {"jwt": …}`), like Zendesk's
//! and Chatwoot's SSO: HS256 only, signed with an `embed` token's `jwt_secret` and naming that
//! token in the header's `kid`; the agent in `sub` (their external id) or `email`; `exp` in
//! the future and at most an hour ahead, so a leaked one is soon worthless.

use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// The longest a JWT may still be valid for when it arrives.
pub const MAX_LIFETIME_SECS: i64 = 3600;

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct Claims {
    pub sub: Option<String>,
    pub email: Option<String>,
    pub exp: i64,
}

fn invalid(why: &str) -> AppError {
    AppError::new(
        convoroom_api::ErrorCode::Unauthorized,
        format!("The JWT is not valid: {why}"),
    )
}

fn part<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> AppResult<T> {
    let bytes = URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| invalid(&format!("its {what} is not base64url")))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| invalid(&format!("its {what} is not the expected JSON")))
}

/// The embed token (its id) a JWT says it was signed for, before its signature is checked.
pub fn key_id(jwt: &str) -> AppResult<String> {
    let header: Header = part(jwt.split('.').next().unwrap_or_default(), "header")?;
    if header.alg != "HS256" {
        return Err(invalid("only HS256 is accepted"));
    }
    header
        .kid
        .filter(|k| !k.is_empty())
        .ok_or_else(|| invalid("its header has no kid (the embed token's id)"))
}

/// The claims of `jwt` once its signature with `secret` and its expiry (against `now`, in
/// seconds) are checked.
pub fn verify(jwt: &str, secret: &str, now: i64) -> AppResult<Claims> {
    let mut parts = jwt.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("it is not three dot-separated parts"));
    };
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| invalid("its signature is not base64url"))?;
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| AppError::internal())?;
    mac.update(header.as_bytes());
    mac.update(b".");
    mac.update(payload.as_bytes());
    // Constant-time comparison.
    mac.verify_slice(&signature)
        .map_err(|_| invalid("the signature does not match the embed token's secret"))?;
    let claims: Claims = part(payload, "payload")?;
    if claims.exp <= now {
        return Err(invalid("it has expired"));
    }
    if claims.exp > now + MAX_LIFETIME_SECS {
        return Err(invalid("it expires more than an hour from now"));
    }
    Ok(claims)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sign(header: &str, claims: &str, secret: &str) -> String {
        let head = URL_SAFE_NO_PAD.encode(header);
        let body = URL_SAFE_NO_PAD.encode(claims);
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{head}.{body}").as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{head}.{body}.{signature}")
    }

    const HEADER: &str = r#"{"alg":"HS256","typ":"JWT","kid":"7"}"#;

    #[test]
    fn a_jwt_signed_with_the_secret_and_not_expired_is_accepted() {
        let jwt = sign(HEADER, r#"{"sub":"hd-42","exp":1000}"#, "s3cret");
        assert_eq!(key_id(&jwt).unwrap(), "7");
        let claims = verify(&jwt, "s3cret", 900).unwrap();
        assert_eq!(claims.sub.as_deref(), Some("hd-42"));
    }

    #[test]
    fn wrong_secrets_old_or_long_lived_tokens_and_other_algorithms_are_refused() {
        let jwt = sign(HEADER, r#"{"sub":"hd-42","exp":1000}"#, "s3cret");
        assert!(verify(&jwt, "other", 900).is_err());
        assert!(verify(&jwt, "s3cret", 1000).is_err(), "expired");
        let long = sign(HEADER, r#"{"sub":"hd-42","exp":99999}"#, "s3cret");
        assert!(
            verify(&long, "s3cret", 900).is_err(),
            "more than an hour ahead"
        );
        let none = sign(
            r#"{"alg":"none","kid":"7"}"#,
            r#"{"sub":"x","exp":1000}"#,
            "",
        );
        assert!(key_id(&none).is_err());
        let no_kid = sign(r#"{"alg":"HS256"}"#, r#"{"sub":"x","exp":1000}"#, "s3cret");
        assert!(key_id(&no_kid).is_err());
        assert!(verify("a.b", "s3cret", 900).is_err());
        let tampered = jwt.replacen(".", ".e30", 1);
        assert!(verify(&tampered, "s3cret", 900).is_err());
    }
}
