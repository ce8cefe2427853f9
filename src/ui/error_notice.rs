//! The one way a failed load is shown: what could not be done, why, and a way to try again.

use crate::api::ClientError;
use leptos::prelude::*;

/// What a conversation the agent can't open says (gone, or not theirs to see: the API does not
/// tell the two apart).
pub const CONVERSATION_GONE: &str =
    "This conversation doesn't exist, or you don't have access to it.";

/// "Couldn't {what}. {reason}" with a Try again button when `retry` is given. A 404 reads
/// `not_found` instead, when given: the thing is gone, or the agent may not see it.
#[component]
pub fn ErrorNotice(
    /// The end of "Couldn't …", e.g. "load conversations".
    what: &'static str,
    error: ClientError,
    #[prop(optional)] not_found: Option<&'static str>,
    #[prop(optional, into)] retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert">
            <p>{describe(what, &error, not_found)}</p>
            {retry.map(|retry| view! {
                <button type="button" class="button button--small" on:click=move |_| retry.run(())>
                    "Try again"
                </button>
            })}
        </div>
    }
}

/// The notice's sentence.
pub fn describe(what: &str, error: &ClientError, not_found: Option<&str>) -> String {
    match not_found {
        Some(gone) if error.status() == Some(404) => gone.to_string(),
        _ => format!("Couldn't {what}. {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use convoroom_api as api;

    fn api_error(status: u16, message: &str) -> ClientError {
        ClientError::Api {
            status,
            error: api::ApiError {
                code: api::ErrorCode::NotFound,
                message: message.into(),
                field: None,
                current: None,
                merged_into: None,
            },
        }
    }

    #[test]
    fn a_missing_thing_reads_as_gone_and_anything_else_as_what_failed() {
        let gone = "This conversation doesn't exist, or you don't have access to it.";
        assert_eq!(
            describe(
                "open this conversation",
                &api_error(404, "Not found"),
                Some(gone)
            ),
            gone
        );
        assert_eq!(
            describe(
                "open this conversation",
                &api_error(500, "Boom."),
                Some(gone)
            ),
            "Couldn't open this conversation. Boom."
        );
        assert_eq!(
            describe("load notes", &api_error(404, "Not found."), None),
            "Couldn't load notes. Not found."
        );
    }
}
