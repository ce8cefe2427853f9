//! The composer's canned-response lists (the slash list under `/query`, the searchable one
//! behind the toolbar button) and the warnings naming the variables left in a draft.

use super::{ComposerCanned, Placement, SEARCH_LIST_ID, SLASH_LIST_ID, WARNINGS_ID};
use crate::nav::A;
use crate::ui::icons::icon;
use crate::workspace::use_workspace;
use convoroom_api as api;
use leptos::prelude::*;

/// The first line of a body, cut to a preview (always text, never markup).
fn preview(body: &str) -> String {
    let line = body.lines().next().unwrap_or_default();
    let mut out: String = line.chars().take(90).collect();
    if line.chars().count() > 90 || body.lines().nth(1).is_some() {
        out.push('…');
    }
    out
}

/// Whose a response is, as the list says it: "Personal", "Shared", "Shared · Sales".
fn scope_label(
    response: &api::CannedResponse,
    team_name: impl Fn(&str) -> Option<String>,
) -> String {
    match (
        response.scope,
        response.team_id.as_deref().and_then(team_name),
    ) {
        (api::CannedScope::Shared, Some(team)) => format!("Shared · {team}"),
        (scope, _) => scope.label().to_string(),
    }
}

/// One list of options (`role="listbox"`), highlighted by `canned.active`; a click inserts.
#[component]
fn Options(
    canned: ComposerCanned,
    list_id: &'static str,
    options: Signal<Vec<api::CannedResponse>>,
    /// How many match in all (more than the options shown: typing more narrows them).
    total: Signal<usize>,
    placement: Placement,
    /// What the list says when nothing matches.
    #[prop(into)]
    empty: Signal<String>,
) -> impl IntoView {
    let workspace = use_workspace();
    let count = move || options.with(Vec::len);
    view! {
        <Show when=move || canned.load_problem().is_none() fallback=move || view! {
            <p class="canned-popup__note" role="status">
                {move || canned.load_problem()}
                <Show when=move || canned.load_problem().is_some_and(|p| p.starts_with("Couldn't"))>
                    " "
                    <button type="button" class="button button--small"
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| canned.reload()>"Try again"</button>
                </Show>
            </p>
        }>
            <Show when=move || count() == 0>
                <p class="canned-popup__note" role="status">{move || empty.get()}</p>
            </Show>
            <ul class="canned-popup__list" role="listbox" id=list_id aria-label="Canned responses"
                hidden=move || count() == 0>
                <For
                    each=move || options.get().into_iter().enumerate()
                    key=|(i, r)| (*i, r.id.clone(), r.version)
                    let((i, response))
                >
                    {
                        let scope = scope_label(&response, |id| workspace.team_name(id));
                        let title = response.title.clone().unwrap_or_default();
                        let body = preview(&response.body);
                        let code = format!("/{}", response.short_code);
                        let selected = move || canned.active.get().min(count().saturating_sub(1)) == i;
                        let picked = response.clone();
                        view! {
                            <li
                                role="option"
                                id=format!("{list_id}-{i}")
                                class="canned-option"
                                class:canned-option--active=selected
                                aria-selected=move || selected().to_string()
                                // The message box (or search box) keeps the focus.
                                on:mousedown=|ev| ev.prevent_default()
                                on:mousemove=move |_| if !selected() { canned.active.set(i) }
                                on:click=move |_| canned.insert(picked.clone(), placement)
                            >
                                // The spaces keep the words apart in the option's accessible name.
                                <span class="canned-option__head">
                                    <span class="canned-option__code">{code}</span>" "
                                    <span class="canned-option__title">{title}</span>" "
                                    <span class="canned-option__scope">{scope}</span>
                                </span>" "
                                <span class="canned-option__body">{body}</span>
                            </li>
                        }
                    }
                </For>
            </ul>
            <Show when=move || { total.get() > count() }>
                <p class="canned-popup__note">
                    {move || format!("{} of {} shown: type more to narrow them down.", count(), total.get())}
                </p>
            </Show>
        </Show>
    }
}

/// The list under a `/query` typed at the start of the message box.
#[component]
pub fn SlashList(canned: ComposerCanned) -> impl IntoView {
    let query = Memo::new(move |_| canned.slash_query().unwrap_or_default());
    let found = Memo::new(move |_| canned.matches(&query.get()));
    let options = Signal::derive(move || found.get().0);
    let total = Signal::derive(move || found.get().1);
    let empty = Signal::derive(move || {
        let query = query.get();
        if query.is_empty() {
            "You have no canned responses yet.".to_string()
        } else {
            format!("No canned response matches “/{query}”. Enter sends the text as it is.")
        }
    });
    view! {
        <Show when=move || canned.slash_open()>
            <div class="canned-popup">
                <Options canned list_id=SLASH_LIST_ID options total placement=Placement::ReplaceAll empty/>
                <p class="canned-popup__hint">
                    "↑ ↓ to choose · Enter to insert · Esc to close · "
                    <A href="/settings/canned-responses">"Manage canned responses"</A>
                </p>
            </div>
        </Show>
    }
}

/// The "Canned responses" toolbar button and the searchable list it opens.
#[component]
pub fn CannedButton(canned: ComposerCanned) -> impl IntoView {
    let search_ref = NodeRef::<leptos::html::Input>::new();
    let found = Memo::new(move |_| canned.search.with(|q| canned.matches(q)));
    let options = Signal::derive(move || found.get().0);
    let total = Signal::derive(move || found.get().1);
    let empty = Signal::derive(move || {
        canned.search.with(|q| {
            if q.trim().is_empty() {
                "You have no canned responses yet.".to_string()
            } else {
                format!("No canned response matches “{}”.", q.trim())
            }
        })
    });
    // Opening the list puts the cursor in its search box.
    Effect::new(move |_| {
        if canned.search_open.get()
            && let Some(input) = search_ref.get()
        {
            let _ = input.focus();
        }
    });
    let active_id = move || {
        let count = options.with(Vec::len);
        (count > 0).then(|| format!("{SEARCH_LIST_ID}-{}", canned.active.get().min(count - 1)))
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let count = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                ev.prevent_default();
                canned.step(if ev.key() == "ArrowDown" { 1 } else { -1 }, count);
            }
            "Enter" if !ev.is_composing() => {
                ev.prevent_default();
                if count > 0 {
                    let at = canned.active.get_untracked().min(count - 1);
                    let picked = options.with_untracked(|o| o[at].clone());
                    canned.insert(picked, Placement::AtCursor);
                }
            }
            "Escape" => {
                ev.prevent_default();
                canned.close_search();
            }
            _ => {}
        }
    };
    view! {
        <div class="canned-tool">
            <button
                type="button"
                class="button button--small button--ghost canned-tool__button"
                aria-expanded=move || canned.search_open.get().to_string()
                aria-controls="canned-search-popup"
                on:click=move |_| {
                    if canned.search_open.get_untracked() {
                        canned.close_search();
                    } else {
                        canned.search_open.set(true);
                    }
                }
            >
                {icon("note")}
                "Canned responses"
            </button>
            <Show when=move || canned.search_open.get()>
                <div class="canned-popup canned-popup--search" id="canned-search-popup">
                    <input
                        node_ref=search_ref
                        type="search"
                        class="canned-popup__search"
                        role="combobox"
                        aria-label="Search canned responses"
                        aria-autocomplete="list"
                        aria-expanded="true"
                        aria-controls=SEARCH_LIST_ID
                        aria-activedescendant=active_id
                        placeholder="Search by short code, title or text"
                        autocomplete="off"
                        prop:value=move || canned.search.get()
                        on:input:target=move |ev| canned.search.set(ev.target().value())
                        on:keydown=on_keydown
                    />
                    <Options canned list_id=SEARCH_LIST_ID options total placement=Placement::AtCursor empty/>
                    <p class="canned-popup__hint">
                        "↑ ↓ to choose · Enter to insert at the cursor · Esc to close · "
                        <A href="/settings/canned-responses">"Manage canned responses"</A>
                    </p>
                </div>
            </Show>
        </div>
    }
}

/// Under the message box: each `{{…}}` left in the draft, and why sending waits.
#[component]
pub fn VariableWarnings(canned: ComposerCanned) -> impl IntoView {
    let warnings = Memo::new(move |_| canned.warnings());
    view! {
        <Show when=move || canned.error.get().is_some()>
            <p class="composer__variables-error" role="alert">{move || canned.error.get()}</p>
        </Show>
        <Show when=move || !warnings.with(Vec::is_empty)>
            <div class="composer__variables" id=WARNINGS_ID role="status">
                <p class="composer__variables-title">
                    {icon("alert")}
                    "Sending waits until every variable is filled in:"
                </p>
                <ul>
                    {move || warnings.get().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                </ul>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_the_first_line_cut_short() {
        assert_eq!(preview("Hi there"), "Hi there");
        assert_eq!(preview("Hi\nthere"), "Hi…");
        assert_eq!(preview(&"x".repeat(100)).chars().count(), 91);
    }

    #[test]
    fn shared_ones_for_a_team_name_it() {
        let mut r = api::CannedResponse {
            id: "1".into(),
            short_code: "x".into(),
            title: None,
            body: "b".into(),
            scope: api::CannedScope::Shared,
            team_id: Some("2".into()),
            owner_id: None,
            version: 1,
        };
        assert_eq!(scope_label(&r, |_| Some("Sales".into())), "Shared · Sales");
        r.team_id = None;
        assert_eq!(scope_label(&r, |_| None), "Shared");
        r.scope = api::CannedScope::Personal;
        assert_eq!(scope_label(&r, |_| None), "Personal");
    }
}
