//! The AI summary and quality score of a conversation, and regenerating them on demand.

use super::ConversationSection;
use super::edit::Editor;
use super::section::Section;
use crate::ui::time;
use convoroom_api as api;
use leptos::prelude::*;

#[component]
pub fn AiSummary(editor: Editor) -> impl IntoView {
    let conversation = editor.current;
    let review = move || conversation.with(|c| c.ai_review.clone());
    let enabled = move || conversation.with(|c| c.access.ai_enabled);
    let error = RwSignal::new(None::<String>);
    let auth = crate::auth::use_auth();
    let regenerate = Action::new_local(move |_: &()| {
        let client = auth.client();
        let id = editor.id();
        async move { client.regenerate_ai_review(&id).await }
    });
    Effect::new(move |_| match regenerate.value().get() {
        Some(Ok(review)) => {
            error.set(None);
            conversation.update(|c| c.ai_review = Some(review));
        }
        Some(Err(err)) => error.set(Some(format!("Couldn't regenerate the summary. {err}"))),
        None => {}
    });
    if let Some(live) = use_context::<crate::live::LiveHub>() {
        let id = editor.id();
        live.subscribe(move |event| {
            if let api::EventPayload::AiReviewed {
                conversation_id,
                review,
            } = &event.payload
                && *conversation_id == id
            {
                conversation.update(|c| c.ai_review = Some(review.clone()));
            }
        });
    }
    view! {
        <Section section=ConversationSection::AiSummary>
            {move || if !enabled() {
                view! { <p class="muted">"AI access is off for this conversation, so no summary is made. Turn it on under AI access."</p> }.into_any()
            } else {
                match review() {
                    Some(r) => {
                        let ms = time::parse_rfc3339(&r.reviewed_at).unwrap_or(0);
                        let band = match r.quality_score { 80..=100 => "good", 50..=79 => "fair", _ => "poor" };
                        view! {
                            <p class="ai-summary">{r.summary.clone()}</p>
                            <div class="score">
                                <meter min="0" max="100" low="50" high="80" optimum="100" value=r.quality_score.to_string() aria-label="Quality score"></meter>
                                <span class=format!("score__value score__value--{band}")>{format!("Quality {} / 100", r.quality_score)}</span>
                            </div>
                            <p class="muted">{format!("Reviewed {} {}", time::short_date(ms, time::now_ms()), time::clock(ms))}</p>
                        }.into_any()
                    }
                    None => view! { <p class="muted">"Not reviewed yet. Reviews run about 10 minutes after the last message."</p> }.into_any(),
                }
            }}
            <Show when=move || error.get().is_some()>
                <p class="inline-error" role="alert">{move || error.get()}</p>
            </Show>
            <button
                type="button"
                class="button button--small"
                disabled=move || !enabled() || regenerate.pending().get()
                on:click=move |_| { regenerate.dispatch(()); }
            >
                {move || if regenerate.pending().get() { "Regenerating…" } else { "Regenerate" }}
            </button>
        </Section>
    }
}
