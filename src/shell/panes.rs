use crate::auth::use_auth;
use crate::chat::ChatView;
use crate::details::DetailsPanel;
use crate::ui::{CONVERSATION_GONE, ErrorNotice};
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
    let details_visible =
        crate::layout::use_details_visible().expect("the shell provides the details switch");
    crate::layout::SessionJump::provide();
    let merged_away = crate::layout::MergedAway::provide();

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
                    Err(error) if error.merged_into().is_some() => {
                        let into = error.merged_into().unwrap_or_default().to_string();
                        merged_away.follow(&id.get_untracked(), &into);
                        view! { <section class="chat-pane"><p class="muted pad">"Opening the conversation it was merged into…"</p></section> }.into_any()
                    }
                    Err(error) => view! {
                        <section class="chat-pane chat-pane--empty">
                            <ErrorNotice
                                what="open this conversation"
                                error
                                not_found=CONVERSATION_GONE
                                retry=move || loaded.refetch()
                            />
                        </section>
                    }
                    .into_any(),
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
