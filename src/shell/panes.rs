use super::shortcuts::DetailsVisible;
use crate::auth::use_auth;
use crate::chat::ChatView;
use crate::details::DetailsPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The open conversation: the chat view and, beside it, its details.
#[component]
pub fn ConversationPanes() -> impl IntoView {
    let auth = use_auth();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).unwrap_or_default());
    let loaded = LocalResource::new(move || {
        let id = id.get();
        let client = auth.client();
        async move { client.conversation(&id).await.map(|c| (id, c)) }
    });
    let details_visible = expect_context::<DetailsVisible>();
    // The details panel's session history asks the chat beside it to show a session.
    provide_context(crate::details::sessions::SessionJump(RwSignal::new(None)));

    view! {
        <Transition fallback=|| view! { <section class="chat-pane"><p class="muted pad">"Opening conversation…"</p></section> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok((id, found)) => {
                        let conversation = RwSignal::new(found);
                        view! {
                            <ChatView id=id.clone() conversation/>
                            <Show when=move || details_visible.get()>
                                <DetailsPanel conversation/>
                            </Show>
                        }
                        .into_any()
                    }
                    Err(err) => {
                        let message = if err.status() == Some(404) {
                            "This conversation doesn't exist, or you don't have access to it.".to_string()
                        } else {
                            format!("Couldn't open this conversation. {err}")
                        };
                        view! {
                            <section class="chat-pane chat-pane--empty">
                                <div class="notice notice--error" role="alert">
                                    <p>{message}</p>
                                    <button type="button" class="button" on:click=move |_| loaded.refetch()>"Try again"</button>
                                </div>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn NoConversation() -> impl IntoView {
    view! {
        <section class="chat-pane chat-pane--empty" aria-label="Conversation">
            <div class="empty">
                <p class="empty__title">"No conversation open"</p>
                <p class="muted">"Choose one from the list, or press j and Enter."</p>
            </div>
        </section>
    }
}
