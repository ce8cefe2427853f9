//! Inline SVG icons (24×24, stroked with `currentColor`), so nothing is fetched from a CDN.

use convoroom_api::Channel;
use leptos::prelude::*;

fn path_of(name: &str) -> &'static str {
    match name {
        "whatsapp" => {
            "M4 20l1.3-3.9A8 8 0 1 1 8 18.7L4 20zM9 8.5c0 3 3.5 6.5 6.5 6.5l1-1.5-2-1-1 1c-1-.5-2.5-2-3-3l1-1-1-2z"
        }
        "instagram" => {
            "M7 3h10a4 4 0 0 1 4 4v10a4 4 0 0 1-4 4H7a4 4 0 0 1-4-4V7a4 4 0 0 1 4-4zM12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM17.5 6.5v.01"
        }
        "messenger" => {
            "M12 3C7 3 3 6.6 3 11.2c0 2.6 1.3 4.9 3.4 6.4V21l3.1-1.7c.8.2 1.6.3 2.5.3 5 0 9-3.7 9-8.3S17 3 12 3zM7.5 13.5l3-3.2 2 2 3-2.3-3 3.2-2-2z"
        }
        "telegram" => "M21 4L3 11l6 2 2 6 3-4 4 3 3-14zM9 13l9-6-7 8",
        "live_chat" => "M4 5h16v11H9l-5 4V5zM8 9h8M8 12h5",
        "sms" => {
            "M7 3h10a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM10 18h4M9 8h6M9 11h4"
        }
        "email" => "M3 6h18v12H3zM3 6l9 7 9-7",
        "voice" => {
            "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a1 1 0 0 1-1 1A16 16 0 0 1 4 5a1 1 0 0 1 1-1z"
        }
        "compose" => "M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4",
        "search" => "M10.5 4a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13zM15.5 15.5L20 20",
        "back" => "M15 5l-7 7 7 7",
        "inbox" => "M3 13l3-8h12l3 8v6H3zM3 13h5l1 2h6l1-2h5",
        "table" => "M3 5h18v14H3zM3 10h18M3 14.5h18M9 5v14",
        "check" => "M5 12l5 5 9-10",
        "check-double" => "M2 12l5 5 9-10M12 16l1 1 9-10",
        "clock" => "M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zM12 7v5l3 2",
        "smile" => "M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zM8.5 14a4 4 0 0 0 7 0M9 9.5v.01M15 9.5v.01",
        "bell" => "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0",
        "alert" => "M12 3l10 18H2L12 3zM12 10v4M12 17.5v.01",
        "lock" => "M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4",
        "note" => "M5 3h10l4 4v14H5zM15 3v4h4M8 12h8M8 16h6",
        "send" => "M4 12l16-8-6 16-2-7-8-1z",
        "panel" => "M3 4h18v16H3zM15 4v16",
        "sign-out" => "M15 4h4v16h-4M10 8l-4 4 4 4M6 12h11",
        "theme-light" => {
            "M12 7a5 5 0 1 1 0 10 5 5 0 0 1 0-10zM12 1v3M12 20v3M1 12h3M20 12h3M4.2 4.2l2.1 2.1M17.7 17.7l2.1 2.1M4.2 19.8l2.1-2.1M17.7 6.3l2.1-2.1"
        }
        "theme-dark" => "M20 14.5A8.5 8.5 0 0 1 9.5 4a8.5 8.5 0 1 0 10.5 10.5z",
        "theme-system" => "M3 4h18v12H3zM8 20h8M12 16v4",
        "file" => "M6 3h8l5 5v13H6zM14 3v5h5",
        "paperclip" => {
            "M16.5 6.5l-8 8a2.1 2.1 0 0 0 3 3l8-8a4.2 4.2 0 0 0-6-6l-8 8a6.4 6.4 0 0 0 9 9l7-7"
        }
        "play" => "M7 4l13 8-13 8z",
        "pause" => "M7 4h4v16H7zM13 4h4v16h-4z",
        "arrow-down" => "M12 4v16M5 13l7 7 7-7",
        "arrow-up" => "M12 20V4M5 11l7-7 7 7",
        "close" => "M6 6l12 12M18 6L6 18",
        "settings" => "M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1M15 4v4M9 10v4M17 16v4",
        "keyboard" => "M2 6h20v12H2zM6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10",
        _ => "M4 4h16v16H4z",
    }
}

/// A decorative icon; the control around it carries the accessible name.
pub fn icon(name: &str) -> AnyView {
    let d = path_of(name);
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=d></path>
        </svg>
    }
    .into_any()
}

/// A channel's icon with its name for assistive technology.
#[component]
pub fn ChannelIcon(channel: Channel) -> impl IntoView {
    view! {
        <span
            class=format!("channel-icon channel-icon--{}", channel.as_str())
            role="img"
            aria-label=channel.label()
            title=channel.label()
        >
            {icon(channel.as_str())}
        </span>
    }
}
