use crate::ui::avatar::Avatar;
use crate::ui::icons::ChannelIcon;
use crate::ui::time;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, Conversation};
use leptos::prelude::*;

/// Every row has this height (px) so the list can be windowed by arithmetic.
pub const ROW_HEIGHT: f64 = 78.0;

/// One conversation in the list. All text is rendered as text: names and previews come
/// from customers and may contain anything.
#[component]
pub fn ConversationRow(
    conversation: Conversation,
    index: usize,
    set_size: usize,
    #[prop(into)] selected: Signal<bool>,
    #[prop(into)] active: Signal<bool>,
    /// The app path of the conversation, so the row is a real link (Ctrl-, Shift- or
    /// middle-click opens it in another tab).
    link: String,
    on_open: Callback<String>,
) -> impl IntoView {
    let workspace = use_workspace();
    let id = conversation.id.clone();
    let contact = conversation.contact.clone();
    let assignee = conversation
        .assignee_id
        .as_deref()
        .and_then(|id| workspace.owner_label(id));
    let stage = conversation
        .pipeline_stage
        .as_deref()
        .and_then(|id| workspace.stage_name(id));
    let when_ms = time::parse_rfc3339(&conversation.lifecycle.last_activity_at).unwrap_or(0);
    let preview = conversation
        .last_message
        .as_ref()
        .map(|m| match m.kind {
            api::MessageKind::Outbound => format!("You: {}", m.text),
            api::MessageKind::Note => format!("Note: {}", m.text),
            _ => m.text.clone(),
        })
        .unwrap_or_default();
    let unread = conversation.unread_count;
    let has_unread = unread > 0;
    let status = conversation.status;
    let labels: Vec<String> = conversation.labels.iter().take(3).cloned().collect();
    let more_labels = conversation.labels.len().saturating_sub(3);
    let more_title = conversation.labels[labels.len()..].join(", ");
    let assignee = assignee.unwrap_or_else(|| "Unassigned".to_string());
    let access = conversation.access.clone();
    let open_id = id.clone();

    let href = crate::nav::href(&link);
    view! {
        <a
            role="option"
            href=href
            tabindex="-1"
            id=format!("conversation-option-{id}")
            class="row"
            class:row--selected=selected
            class:row--active=active
            class:row--unread=has_unread
            aria-selected=move || selected.get().to_string()
            aria-setsize=set_size
            aria-posinset=index + 1
            style:top=format!("{}px", index as f64 * ROW_HEIGHT)
            on:click=move |ev| {
                // Another tab is the browser's business; in place, the list decides (it may be
                // selecting rows rather than opening them).
                if !crate::nav::opens_elsewhere(&ev) {
                    ev.prevent_default();
                    on_open.run(open_id.clone());
                }
            }
        >
            <Avatar id=contact.id.clone() name=contact.name.clone()/>
            <div class="row__main">
                <div class="row__top">
                    <span class="row__name" title=contact.name.clone()>{contact.name.clone()}</span>
                    <ChannelIcon channel=conversation.channel/>
                    {delivery_failed_marker(conversation.failed_deliveries)}
                    <time class="row__time" datetime=conversation.lifecycle.last_activity_at.clone()>
                        {time::relative(when_ms, time::now_ms())}
                    </time>
                </div>
                <div class="row__preview">{preview}</div>
                <div class="row__meta">
                    <span class=format!("chip chip--status-{}", status.as_str())>{status.label()}</span>
                    {priority_chip(conversation.priority)}
                    {stage.map(|stage| view! { <span class="chip chip--stage" title=stage.clone()>{stage.clone()}</span> })}
                    {access_chips(&access)}
                    {labels
                        .into_iter()
                        .map(|label| {
                            let scoped = api::label_scope(&label).is_some();
                            let name = label.clone();
                            view! {
                                <span class="label-pill" class:label-pill--scoped=scoped title=label.clone()
                                    style:--label-color=move || workspace.label_color_var(&name)>{label.clone()}</span>
                            }
                        })
                        .collect_view()}
                    {(more_labels > 0).then(|| view! {
                        <span class="label-pill label-pill--more" title=more_title>{format!("+{more_labels}")}</span>
                    })}
                    <span class="row__assignee" title=assignee.clone()>{assignee.clone()}</span>
                </div>
            </div>
            {(unread > 0).then(|| view! {
                <span class="badge" aria-label=format!("{unread} unread")>{unread.min(99)}</span>
            })}
        </a>
    }
}

/// Replies that did not reach the customer: an alert in the row's top line (which keeps the
/// row's height), with the count when there are several. Each can be retried in the chat.
pub fn delivery_failed_marker(failed: u32) -> impl IntoView + use<> {
    (failed > 0).then(|| {
        let label = if failed == 1 {
            "Delivery failed".to_string()
        } else {
            format!("Delivery failed ({failed} replies)")
        };
        view! {
            <span class="row__delivery-failed" role="img" aria-label=label.clone() title=label>
                {crate::ui::icons::icon("alert")}
                {(failed > 1).then(|| view! { <span aria-hidden="true">{failed.min(99)}</span> })}
            </span>
        }
    })
}

/// High and urgent conversations say so in words (the colour only repeats it); lower
/// priorities stay out of the way of the row.
pub fn priority_chip(priority: api::Priority) -> impl IntoView + use<> {
    matches!(priority, api::Priority::High | api::Priority::Urgent).then(|| {
        view! {
            <span
                class=format!("chip chip--priority-{}", priority.as_str())
                title=format!("Priority: {}", priority.label())
            >
                <span class="sr-only">"Priority "</span>
                {priority.label()}
            </span>
        }
    })
}

/// "Blocked" (the contact: messages dropped, replies off) and "Spam" (this conversation) are
/// different states, each with its own chip; "AI off" says the AI leaves it alone.
pub fn access_chips(access: &api::Access) -> impl IntoView + use<> {
    (
        access
            .blocked
            .then(|| view! { <span class="chip chip--danger">"Blocked"</span> }),
        access
            .spam
            .then(|| view! { <span class="chip chip--danger">"Spam"</span> }),
        (!access.ai_enabled).then(|| view! { <span class="chip" title="AI access is off: no summary, no score, no automatic review">"AI off"</span> }),
    )
}
