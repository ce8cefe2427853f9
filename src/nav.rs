//! Every in-app link and navigation, kept under the path the app is served from.
//!
//! The app may live under a sub-path (`trunk build --public-url /support/app/`); the router
//! matches its routes under that base (`<Router base>`, from `<base href>`, see
//! [`crate::config::router_base`]). leptos_router 0.8.17 is not consistent about it:
//!
//! - its `<A href="/views">` renders the absolute href as written (`use_resolved_path` returns a
//!   path that starts with `/` unchanged), so the link leaves the app: `/views`, not
//!   `/support/app/views`, and the click is not even routed (it is outside the base);
//! - `use_navigate()` does put the base in front of an absolute path;
//! - `use_location().pathname` is the browser's path, base included, so a path read from it and
//!   navigated to gets the base twice.
//!
//! So the app speaks only in **app paths** (`/conversations/42?status=open`, without the base),
//! and the three things here translate: [`A`] for links, [`use_navigate`] for navigations, and
//! [`use_app_path`] / [`current_app_url`] for reading where we are. `clippy.toml` refuses
//! leptos_router's own `A` and `use_navigate` anywhere else.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use std::sync::Arc;

/// The router base for this app (`""` at the root, `"/support/app"` under a sub-path).
#[derive(Clone, Debug, Default)]
struct Base(Arc<str>);

/// Makes `base` (as given to `<Router base>`) the base of every link and navigation below.
pub fn provide_base(base: &str) {
    provide_context(Base(base.trim_end_matches('/').into()));
}

/// The router base, `""` when none was provided (component tests, the embedded panel).
fn base() -> Arc<str> {
    use_context::<Base>().map(|b| b.0).unwrap_or_default()
}

/// The browser path for an app path: `/support/app` + `/views` = `/support/app/views`.
/// Anything that is not an app path (a full URL, `//host`) is returned unchanged.
pub fn browser_path(base: &str, app_path: &str) -> String {
    let base = base.trim_end_matches('/');
    if base.is_empty() || !app_path.starts_with('/') || app_path.starts_with("//") {
        return app_path.to_string();
    }
    format!("{base}{app_path}")
}

/// The app path of a browser path: `/support/app/views/3` → `/views/3`; the base alone → `/`.
/// A path outside the base is returned unchanged.
pub fn app_path<'a>(base: &str, browser_path: &'a str) -> &'a str {
    let base = base.trim_end_matches('/');
    if base.is_empty() {
        return browser_path;
    }
    match browser_path.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => browser_path,
    }
}

/// A link to an app path (`<A href="/views">`), rendered with the router base in front and
/// routed on the client; `aria-current="page"` marks it while its page is open.
#[component]
pub fn A(
    /// An app path, e.g. `/conversations/42?status=open`.
    #[prop(into)]
    href: String,
    children: Children,
) -> impl IntoView {
    use leptos_router::components::A as RouterA;
    let href = browser_path(&base(), &href);
    #[allow(clippy::disallowed_methods)] // the one place: with the base in front of `href`
    let link = view! { <RouterA href=href>{children()}</RouterA> };
    link
}

/// The `href` of a plain `<a>` for an app path, for links the app routes itself (a list row that
/// is also an option of a listbox), or `None` outside the app (the embedded panel has no pages
/// to link to). Call it while building the view: it reads the base from context.
pub fn href(app_path: &str) -> Option<String> {
    let base = use_context::<Base>()?;
    Some(browser_path(&base.0, app_path))
}

/// Whether a click should open a link in another tab or window (a modifier or another button)
/// rather than be handled in place.
pub fn opens_elsewhere(ev: &leptos::ev::MouseEvent) -> bool {
    ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() || ev.button() != 0
}

/// Navigates to an app path (`navigate("/views", Default::default())`), keeping the router base.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone {
    #[allow(clippy::disallowed_methods)] // the one place: the base is added below
    let navigate = leptos_router::hooks::use_navigate();
    let base = base();
    move |path: &str, options: NavigateOptions| {
        // The base is added here, so the router must not resolve the path once more.
        navigate(
            &browser_path(&base, path),
            NavigateOptions {
                resolve: false,
                ..options
            },
        );
    }
}

/// The current app path, without the router base and without the query: `/conversations/42`.
pub fn use_app_path() -> Memo<String> {
    let location = leptos_router::hooks::use_location();
    let base = base();
    Memo::new(move |_| location.pathname.with(|p| app_path(&base, p).to_string()))
}

/// Where the app is now, as an app path with its query (`/conversations/42?status=open`), to
/// come back to later (e.g. after signing in). Not reactive.
pub fn current_app_url() -> String {
    let location = leptos_router::hooks::use_location();
    let path = location
        .pathname
        .with_untracked(|p| app_path(&base(), p).to_string());
    with_query(&path, &location.search.get_untracked())
}

/// `path` plus `?query` when there is one (the router's `search` comes without the `?`).
pub fn with_query(path: &str, query: &str) -> String {
    let query = query.trim_start_matches('?');
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_paths_get_the_base_in_front() {
        assert_eq!(browser_path("", "/views"), "/views");
        assert_eq!(browser_path("/support/app", "/views"), "/support/app/views");
        assert_eq!(
            browser_path("/support/app/", "/conversations/4?status=open"),
            "/support/app/conversations/4?status=open"
        );
        assert_eq!(browser_path("/support/app", "/"), "/support/app/");
        // Not app paths: left alone.
        assert_eq!(
            browser_path("/support/app", "https://example.com/x"),
            "https://example.com/x"
        );
        assert_eq!(
            browser_path("/support/app", "//evil.example"),
            "//evil.example"
        );
    }

    #[test]
    fn browser_paths_lose_the_base() {
        assert_eq!(app_path("", "/conversations/4"), "/conversations/4");
        assert_eq!(app_path("/support/app", "/support/app/views/3"), "/views/3");
        assert_eq!(app_path("/support/app/", "/support/app/"), "/");
        assert_eq!(app_path("/support/app", "/support/app"), "/");
        // A look-alike prefix is not the base.
        assert_eq!(
            app_path("/support/app", "/support/apple/views"),
            "/support/apple/views"
        );
        assert_eq!(app_path("/support/app", "/elsewhere"), "/elsewhere");
    }

    #[test]
    fn round_trip() {
        for path in ["/", "/views", "/conversations/12?ownership=mine"] {
            let full = browser_path("/a/b", path);
            assert_eq!(app_path("/a/b", &full), path);
        }
    }

    #[test]
    fn queries_are_joined_with_one_question_mark() {
        assert_eq!(with_query("/conversations/4", ""), "/conversations/4");
        assert_eq!(
            with_query("/conversations/4", "status=open"),
            "/conversations/4?status=open"
        );
        assert_eq!(with_query("/views", "?a=1"), "/views?a=1");
    }
}
