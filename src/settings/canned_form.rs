//! The form that adds or edits a canned response: short code, title, text and (shared ones)
//! the team it is for. Checks what the server checks before asking it; the server's refusal
//! (a short code taken, say) is shown in the same place.

use crate::workspace::use_workspace;
use convoroom_api::{self as api, CannedScope};
use leptos::prelude::*;

/// What the form hands over: the checked fields.
#[derive(Clone, Debug, PartialEq)]
pub struct CannedDraft {
    pub short_code: String,
    pub title: Option<String>,
    pub body: String,
    pub team_id: Option<String>,
}

impl CannedDraft {
    pub fn create(self, scope: CannedScope) -> api::NewCannedResponse {
        api::NewCannedResponse {
            short_code: self.short_code,
            title: self.title,
            body: self.body,
            scope: Some(scope),
            team_id: self.team_id,
        }
    }

    /// Only what changed from `before` (an empty title removes it).
    pub fn change(self, before: &api::CannedResponse) -> api::UpdateCannedResponse {
        api::UpdateCannedResponse {
            short_code: (self.short_code != before.short_code).then_some(self.short_code),
            title: (self.title != before.title).then(|| self.title.unwrap_or_default()),
            body: (self.body != before.body).then_some(self.body),
            team_id: (before.scope == CannedScope::Shared && self.team_id != before.team_id)
                .then_some(self.team_id),
        }
    }
}

/// The fields as typed, checked as the server checks them.
pub fn check(
    short_code: &str,
    title: &str,
    body: &str,
    team_id: &str,
) -> Result<CannedDraft, String> {
    Ok(CannedDraft {
        short_code: api::canned_short_code(short_code)?,
        title: api::canned_title(Some(title))?,
        body: api::canned_body(body)?,
        team_id: (!team_id.is_empty()).then(|| team_id.to_string()),
    })
}

#[component]
pub fn CannedForm(
    /// The response edited, or `None` for a new one.
    current: Option<api::CannedResponse>,
    scope: CannedScope,
    /// The form's accessible name, e.g. "New personal response".
    #[prop(into)]
    name: String,
    #[prop(into)] busy: Signal<bool>,
    /// The server's refusal of the last save, if any.
    #[prop(into)]
    error: Signal<Option<String>>,
    on_save: Callback<CannedDraft>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let workspace = use_workspace();
    let short_code = RwSignal::new(
        current
            .as_ref()
            .map(|c| c.short_code.clone())
            .unwrap_or_default(),
    );
    let title = RwSignal::new(
        current
            .as_ref()
            .and_then(|c| c.title.clone())
            .unwrap_or_default(),
    );
    let body = RwSignal::new(current.as_ref().map(|c| c.body.clone()).unwrap_or_default());
    let team = RwSignal::new(
        current
            .as_ref()
            .and_then(|c| c.team_id.clone())
            .unwrap_or_default(),
    );
    let checked_error = RwSignal::new(None::<String>);
    let shown_error = move || checked_error.get().or_else(|| error.get());
    let error_id = format!(
        "canned-form-error-{}",
        current.as_ref().map_or("new", |c| c.id.as_str())
    );
    let error_ref = error_id.clone();
    let submit = move || match check(
        &short_code.get_untracked(),
        &title.get_untracked(),
        &body.get_untracked(),
        &team.get_untracked(),
    ) {
        Ok(draft) => {
            checked_error.set(None);
            on_save.run(draft);
        }
        Err(message) => checked_error.set(Some(message)),
    };
    // Archived teams are not offered, unless the response is for one already.
    let teams = move || {
        let chosen = team.get();
        workspace.with(|w| {
            w.teams
                .iter()
                .filter(|t| !t.archived || t.id == chosen)
                .map(|t| (t.id.clone(), t.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <form class="canned-form" aria-label=name
            on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <div class="canned-form__row">
                <label class="field canned-form__code">
                    <span class="field__label">"Short code"</span>
                    <span class="canned-form__slash">
                        <span aria-hidden="true">"/"</span>
                        <input type="text" required maxlength=api::CANNED_SHORT_CODE_MAX_CHARS.to_string()
                            placeholder="e.g. refund" autocomplete="off" spellcheck="false"
                            aria-describedby=move || shown_error().is_some().then(|| error_ref.clone())
                            prop:value=short_code on:input:target=move |ev| short_code.set(ev.target().value())/>
                    </span>
                </label>
                <label class="field canned-form__title">
                    <span class="field__label">"Title (optional)"</span>
                    <input type="text" maxlength=api::CANNED_TITLE_MAX_CHARS.to_string()
                        placeholder="What it is for"
                        prop:value=title on:input:target=move |ev| title.set(ev.target().value())/>
                </label>
                <Show when=move || scope == CannedScope::Shared>
                    <label class="field canned-form__team">
                        <span class="field__label">"For"</span>
                        <select prop:value=move || team.get() on:change:target=move |ev| team.set(ev.target().value())>
                            <option value="">"Every agent"</option>
                            {move || teams().into_iter().map(|(id, name)| view! {
                                <option value=id.clone() selected=move || team.get() == id>{format!("Team {name}")}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
            </div>
            <label class="field">
                <span class="field__label">"Text"</span>
                <textarea rows="4" required maxlength=api::CANNED_BODY_MAX_CHARS.to_string()
                    placeholder="Hi {{contact.first_name}}, …"
                    prop:value=body on:input:target=move |ev| body.set(ev.target().value())></textarea>
            </label>
            <p class="muted canned-form__hint">
                "Variables filled in when inserted: {{contact.first_name}}, {{contact.name}}, {{contact.email}}, {{contact.phone}}, {{agent.name}}, {{agent.first_name}}, {{conversation.id}}."
            </p>
            <Show when=move || shown_error().is_some()>
                <p class="form-error" role="alert" id=error_id.clone()>{shown_error}</p>
            </Show>
            <div class="canned-form__actions">
                <button type="submit" class="button button--small button--primary" disabled=busy>"Save"</button>
                <button type="button" class="button button--small" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_checks_as_the_server_does_and_sends_only_changes() {
        assert!(check("two words", "", "x", "").is_err());
        assert!(check("ok", "", "  ", "").is_err());
        let draft = check("/Hello", " ", "Hi {{contact.first_name}}", "2").unwrap();
        assert_eq!(draft.short_code, "hello");
        assert_eq!(draft.title, None);
        assert_eq!(draft.team_id.as_deref(), Some("2"));
        let before = api::CannedResponse {
            id: "1".into(),
            short_code: "hello".into(),
            title: Some("Greeting".into()),
            body: "Hi {{contact.first_name}}".into(),
            scope: CannedScope::Shared,
            team_id: None,
            owner_id: None,
            version: 4,
        };
        let change = draft.change(&before);
        assert_eq!(change.short_code, None);
        assert_eq!(change.body, None);
        assert_eq!(change.title.as_deref(), Some(""));
        assert_eq!(change.team_id, Some(Some("2".into())));
        // A personal one never sends a team.
        let personal = api::CannedResponse {
            scope: CannedScope::Personal,
            ..before
        };
        let change = check("hello", "Greeting", "New", "")
            .unwrap()
            .change(&personal);
        assert_eq!(change.team_id, None);
        assert_eq!(change.body.as_deref(), Some("New"));
    }
}
