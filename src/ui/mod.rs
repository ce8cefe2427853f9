//! Small building blocks shared by every feature: icons, avatars, time, theme.

pub mod avatar;
pub mod icons;
pub mod theme;
pub mod time;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

/// Replaces the current URL once rendering has finished. (The router's `<Redirect>`
/// navigates while the route tree is still rendering, which panics in CSR.)
#[component]
pub fn GoTo(path: String) -> impl IntoView {
    let navigate = use_navigate();
    request_animation_frame(move || {
        navigate(
            &path,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
}
