//! The built web app: static files, SPA fallback, and security headers with a CSP that
//! allows exactly the inline scripts found in each served HTML file.

use crate::error::AppError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::path::{Component, Path, PathBuf};
use tower::ServiceExt;

pub struct Csp {
    connect_extra: String,
}

impl Csp {
    pub fn new(config: &crate::config::Config) -> Csp {
        let origins: Vec<&str> = config
            .cors_origins
            .iter()
            .map(|o| o.trim())
            .filter(|o| !o.is_empty())
            .collect();
        Csp {
            connect_extra: origins.iter().map(|o| format!(" {o}")).collect(),
        }
    }

    pub fn header(&self, script_hashes: &[String], style_hashes: &[String]) -> String {
        let scripts: String = script_hashes.iter().map(|h| format!(" {h}")).collect();
        let styles: String = style_hashes.iter().map(|h| format!(" {h}")).collect();
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; style-src 'self'{styles}; img-src 'self' data: blob: https:; \
             media-src 'self' blob: https:; connect-src 'self'{}; font-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
            self.connect_extra
        )
    }
}

/// `'sha256-…'` sources for the contents of every inline `<tag>` (those without `src`).
pub fn inline_hashes(html: &str, tag: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find(&open) {
        let start = pos + found;
        let Some(gt) = lower[start..].find('>') else {
            break;
        };
        let attrs = &lower[start + open.len()..start + gt];
        let body_start = start + gt + 1;
        let Some(end) = lower[body_start..].find(&close) else {
            break;
        };
        let has_src = attrs
            .split(|c: char| c.is_whitespace())
            .any(|a| a == "src" || a.starts_with("src="));
        let body = &html[body_start..body_start + end];
        if !has_src && !body.trim().is_empty() {
            out.push(format!(
                "'sha256-{}'",
                crate::util::sha256_b64(body.as_bytes())
            ));
        }
        pos = body_start + end;
    }
    out
}

/// Adds the security headers to every response; HTML responses set their own CSP first.
pub async fn security_headers(State(state): State<AppState>, mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) = HeaderValue::from_str(&state.csp.header(&[], &[]))
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

fn relative(path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    let mut out = PathBuf::new();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

async fn serve_html(state: &AppState, file: &Path) -> Response {
    match tokio::fs::read_to_string(file).await {
        Ok(html) => {
            let csp = state.csp.header(
                &inline_hashes(&html, "script"),
                &inline_hashes(&html, "style"),
            );
            let mut response = Html(html).into_response();
            if let Ok(value) = HeaderValue::from_str(&csp) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_SECURITY_POLICY, value);
            }
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(_) => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

const MISSING: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Convoroom</title></head>\
<body><h1>Convoroom API is running</h1><p>The web app is not built yet. Run <code>trunk build</code> \
(or <code>trunk build --release</code>) in the repository root, then reload. The API lives under \
<a href=\"/api/v1/health\">/api/v1</a>; its description is at <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p></body></html>";

/// Everything that is not an API route: files from the assets directory, else the SPA's index.html.
pub async fn fallback(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if path == "/api" || path.starts_with("/api/") {
        return AppError::not_found("Endpoint").into_response();
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return AppError::not_found("Endpoint").into_response();
    }
    let dir = PathBuf::from(&state.config.assets);
    if !dir.is_dir() {
        return Html(MISSING).into_response();
    }
    let Some(rel) = relative(&path) else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    let mut file = dir.join(&rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    if file.is_file() {
        if file.extension().is_some_and(|e| e == "html" || e == "htm") {
            return serve_html(&state, &file).await;
        }
        // The build's `.br`/`.gz` siblings (tools/precompress.mjs) when the browser takes them.
        return match tower_http::services::ServeDir::new(&dir)
            .precompressed_br()
            .precompressed_gzip()
            .oneshot(request)
            .await
        {
            Ok(response) => response.map(Body::new),
            Err(_) => (StatusCode::NOT_FOUND, "Not found").into_response(),
        };
    }
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_html {
        return serve_html(&state, &dir.join("index.html")).await;
    }
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script src="/a.js"></script><script type="module">import x from '/x.js';</script><SCRIPT>1</SCRIPT>"#;
        let hashes = super::inline_hashes(html, "script");
        assert_eq!(hashes.len(), 2);
        assert_eq!(
            hashes[0],
            format!(
                "'sha256-{}'",
                crate::util::sha256_b64(b"import x from '/x.js';")
            )
        );
    }
}
