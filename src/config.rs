//! Runtime configuration, read from the page rather than compiled in, so one build
//! deploys anywhere: edit `<meta name="convoroom-api-base">` in `index.html`.

/// Where the API lives, without a trailing slash, e.g. `https://helpdesk.example.com/api/v1`.
pub fn api_base() -> String {
    let configured = meta_content("convoroom-api-base").unwrap_or_default();
    resolve_api_base(&configured, &origin())
}

/// The path the app is served under (from `<base href>`, which Trunk writes from `--public-url`),
/// without a trailing slash: `""` at the root, `"/app"` under a sub-path.
pub fn router_base() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    let path = base
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_default();
    path.trim_end_matches('/').to_string()
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

fn meta_content(name: &str) -> Option<String> {
    let document = web_sys::window()?.document()?;
    let element = document
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()??;
    element.get_attribute("content")
}

/// An empty setting means "the same origin as the page"; a path is taken relative to the origin.
pub fn resolve_api_base(configured: &str, origin: &str) -> String {
    let configured = configured.trim().trim_end_matches('/');
    if configured.is_empty() {
        format!("{origin}{}", convoroom_api::API_PREFIX)
    } else if configured.starts_with('/') {
        format!("{origin}{configured}")
    } else {
        configured.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::resolve_api_base;

    #[test]
    fn api_base_defaults_to_the_page_origin() {
        let origin = "https://desk.example.com";
        assert_eq!(
            resolve_api_base("", origin),
            "https://desk.example.com/api/v1"
        );
        assert_eq!(
            resolve_api_base("/x/api/v1/", origin),
            "https://desk.example.com/x/api/v1"
        );
        assert_eq!(
            resolve_api_base("https://api.example.net/api/v1", origin),
            "https://api.example.net/api/v1"
        );
    }
}
