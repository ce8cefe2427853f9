//! URLs the API hands out for media (attachments, call recordings): which may be loaded, and
//! from where. A site path such as `/media/images/7.svg` is a path on the **API's** origin, not
//! on the page's: the app's static files may be served from elsewhere (docs/api.md, "Media URLs").

/// Whether a media URL from the API may be loaded at all: `http(s)://`, a site path (`/…`, not
/// `//host`), or, where an image is shown, an inline raster image. Never `javascript:`, SVG
/// `data:` URLs or anything else.
pub fn safe_media_url(url: &str, allow_data_image: bool) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    convoroom_api::is_http_url(url)
        || (url.starts_with('/') && !url.starts_with("//") && !url.contains('\\'))
        || (allow_data_image
            && [
                "data:image/png",
                "data:image/jpeg",
                "data:image/gif",
                "data:image/webp",
            ]
            .iter()
            .any(|p| lower.starts_with(p)))
}

/// The URL to load a media URL from the API with, or `None` when it must not be loaded
/// ([`safe_media_url`]). Site paths are resolved against the origin of `api_base` (the API's
/// base URL, e.g. `https://desk.example.com/api/v1`), as a browser resolves a link found on a
/// page of the API server; absolute URLs and inline images are kept as they are. With an
/// `api_base` that is itself only a path (the API on the page's own origin), site paths stay
/// as they are.
pub fn resolve_media_url(api_base: &str, url: &str, allow_data_image: bool) -> Option<String> {
    if !safe_media_url(url, allow_data_image) {
        return None;
    }
    if !url.starts_with('/') {
        return Some(url.to_string());
    }
    Some(match origin(api_base) {
        Some(origin) => format!("{origin}{url}"),
        None => url.to_string(),
    })
}

/// `scheme://host[:port]` of an absolute URL.
fn origin(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if host_end == 0 {
        return None;
    }
    Some(&url[..scheme.len() + "://".len() + host_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_urls_are_filtered() {
        assert!(safe_media_url("/media/recordings/1.wav", false));
        assert!(safe_media_url("https://cdn.example.com/a.png", false));
        assert!(!safe_media_url("//evil.example/a.png", false));
        assert!(!safe_media_url("javascript:alert(1)", true));
        assert!(!safe_media_url(
            "data:image/svg+xml,<svg onload=alert(1)>",
            true
        ));
        assert!(safe_media_url("data:image/png;base64,AAAA", true));
        assert!(!safe_media_url("data:image/png;base64,AAAA", false));
    }

    #[test]
    fn site_paths_come_from_the_api_origin() {
        let api = "https://desk.example.com/api/v1";
        assert_eq!(
            resolve_media_url(api, "/media/images/7.svg", true).as_deref(),
            Some("https://desk.example.com/media/images/7.svg")
        );
        assert_eq!(
            resolve_media_url(
                "http://127.0.0.1:8081/api/v1",
                "/media/recordings/3.wav",
                false
            )
            .as_deref(),
            Some("http://127.0.0.1:8081/media/recordings/3.wav")
        );
        // An API behind a path prefix: a site path is still a path on that origin.
        assert_eq!(
            resolve_media_url("https://x.example/desk/api/v1/", "/media/a.pdf", false).as_deref(),
            Some("https://x.example/media/a.pdf")
        );
        // The API on the page's origin (a path as its base): the path stays as it is.
        assert_eq!(
            resolve_media_url("/api/v1", "/media/a.pdf", false).as_deref(),
            Some("/media/a.pdf")
        );
    }

    #[test]
    fn absolute_and_inline_urls_are_kept() {
        let api = "https://desk.example.com/api/v1";
        assert_eq!(
            resolve_media_url(api, "https://cdn.example.net/a.png", true).as_deref(),
            Some("https://cdn.example.net/a.png")
        );
        assert_eq!(
            resolve_media_url(api, "data:image/png;base64,AAAA", true).as_deref(),
            Some("data:image/png;base64,AAAA")
        );
    }

    #[test]
    fn unsafe_urls_are_refused_wherever_the_api_is() {
        let api = "https://desk.example.com/api/v1";
        for url in [
            "javascript:alert(1)",
            " javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example/a.png",
            "/\\evil.example/a.png",
            "media/relative.png",
            "vbscript:x",
            "",
        ] {
            assert_eq!(resolve_media_url(api, url, true), None, "{url:?}");
        }
        // An inline image only where an image is shown.
        assert_eq!(
            resolve_media_url(api, "data:image/png;base64,AAAA", false),
            None
        );
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin("https://a.example:8443/x/y"),
            Some("https://a.example:8443")
        );
        assert_eq!(
            origin("http://127.0.0.1:9/api/v1"),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(origin("https://a.example"), Some("https://a.example"));
        assert_eq!(origin("/api/v1"), None);
        assert_eq!(origin("https:///x"), None);
    }
}
