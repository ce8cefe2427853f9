//! One saved view as a table: the view's filter paged in from the server, only the rows near
//! the viewport in the DOM, rows kept live, and a play button for call recordings.

use super::ViewsContext;
use super::columns::{cell_text, shown};
use super::editor::ViewEditorTarget;
use crate::auth::use_auth;
use crate::conversation_list::state::{self, ListState, ListStateStoreFields};
use crate::conversation_list::{filters, window};
use crate::nav::{A, use_navigate};
use crate::ui::ErrorNotice;
use crate::ui::icons::icon;
use crate::workspace::use_workspace;
use convoroom_api::{self as api, Conversation, View, ViewColumn};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use reactive_stores::Store;

/// Every table row has this height (px) so the table can be windowed by arithmetic.
const ROW_HEIGHT: f64 = 40.0;

/// `/views/:view_id`: the chosen view, once the views are loaded.
#[component]
pub fn ViewTable() -> impl IntoView {
    let ctx = expect_context::<ViewsContext>();
    let params = use_params_map();
    let view_id = Memo::new(move |_| params.with(|p| p.get("view_id")).unwrap_or_default());
    let current = Memo::new(move |_| {
        let id = view_id.get();
        ctx.list
            .with(|list| list.iter().find(|v| v.id == id).cloned())
    });
    move || {
        match (ctx.loaded.get(), current.get()) {
        (false, _) => view! {
            <section class="view-main" aria-label="View"><p class="muted pad" role="status">"Opening view…"</p></section>
        }
        .into_any(),
        (true, None) => view! {
            <section class="view-main view-main--empty" aria-label="View">
                <div class="empty">
                    <p class="empty__title">"This view doesn't exist"</p>
                    <p class="muted">"It may have been deleted. Pick another view on the left."</p>
                </div>
            </section>
        }
        .into_any(),
        (true, Some(view)) => view! { <ViewRows view/> }.into_any(),
    }
    }
}

#[component]
fn ViewRows(view: View) -> impl IntoView {
    let auth = use_auth();
    let ctx = expect_context::<ViewsContext>();
    let workspace = use_workspace();
    let rows = Store::new(ListState::default());
    let filter = view.filter.clone();
    let columns = shown(&view.columns);
    state::load_first_page(rows, auth.client(), filter.clone());

    if let Some(hub) = use_context::<crate::live::LiveHub>() {
        crate::conversation_list::follow_live(rows, Signal::stored(filter.clone()), hub);
    }

    let viewport = window::Viewport::follow(600.0);
    let count = move || rows.items().with(Vec::len);
    let range = Memo::new(move |_| viewport.range(ROW_HEIGHT, count()));
    let next_filter = filter.clone();
    Effect::new(move |_| {
        let (_, end) = range.get();
        if rows.loaded().get()
            && window::near_end(end, count())
            && rows.next_cursor().with(Option::is_some)
        {
            state::load_next_page(rows, auth.client(), next_filter.clone());
        }
    });
    let player = Player::new();
    let start = start_conversation_action();
    let ownership = filter.ownership.unwrap_or(api::Ownership::All);
    let total = move || {
        let counts = rows.counts().get();
        let n = match ownership {
            api::Ownership::Mine => counts.mine,
            api::Ownership::Unassigned => counts.unassigned,
            api::Ownership::All => counts.all,
        };
        let n = crate::conversation_list::count_badge(n, counts.approximate);
        if n == "1" {
            "1 conversation".to_string()
        } else {
            format!("{n} conversations")
        }
    };
    let list_query = filters::to_query(&filter);
    let column_count = columns.len();
    let header_columns = columns.clone();
    let refresh_filter = filter.clone();
    let delete_open = RwSignal::new(false);
    let for_edit = view.clone();

    view! {
        <section class="view-main" aria-labelledby="view-title">
            <div class="view-head">
                <h2 id="view-title" class="view-head__title">{view.name.clone()}</h2>
                <span class="muted" role="status">{move || rows.loaded().get().then(total)}</span>
                <span class="view-head__spacer"></span>
                <button
                    type="button"
                    class="button button--small"
                    on:click=move |_| ctx.editor.set(Some(ViewEditorTarget::Edit(Box::new(for_edit.clone()))))
                >
                    "Edit view"
                </button>
                <button type="button" class="button button--small" on:click=move |_| delete_open.set(true)>
                    "Delete view"
                </button>
            </div>
            <DeleteViewDialog view=view.clone() open=delete_open/>
            {move || rows.error().get().map(|error| {
                let filter = refresh_filter.clone();
                view! {
                    <ErrorNotice
                        what="load this view's conversations"
                        error
                        retry=move || state::load_first_page(rows, auth.client(), filter.clone())
                    />
                }
            })}
            {move || start.value().get().and_then(Result::err).map(|error| view! {
                <p class="notice notice--error" role="alert">{format!("Couldn't start the conversation. {error}")}</p>
            })}
            <Show when=move || rows.loaded().get() && count() == 0 && rows.error().with(Option::is_none)>
                <div class="empty">
                    <p class="empty__title">"No conversations match this view"</p>
                    <p class="muted">"Edit the view to widen its filters."</p>
                </div>
            </Show>
            <div class="view-viewport" node_ref=viewport.node on:scroll=move |_| viewport.measure()>
                <table class="view-table" aria-labelledby="view-title" aria-rowcount=move || count() + 1>
                    <thead>
                        <tr aria-rowindex="1">
                            {header_columns
                                .iter()
                                .map(|c| view! { <th scope="col" class=format!("view-col view-col--{}", c.as_str())>{c.label()}</th> })
                                .collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="view-spacer" aria-hidden="true" style:height=move || format!("{}px", range.get().0 as f64 * ROW_HEIGHT)>
                            <td colspan=column_count></td>
                        </tr>
                        {move || {
                            let client = auth.client();
                            let (start_index, end) = range.get();
                            let w = workspace.get();
                            rows.items().with(|items| {
                                items[start_index.min(items.len())..end.min(items.len())]
                                    .iter()
                                    .enumerate()
                                    .map(|(offset, c)| {
                                        table_row(&client, c, &columns, &w, start_index + offset + 2, &list_query, (player, start))
                                    })
                                    .collect_view()
                            })
                        }}
                        <tr
                            class="view-spacer"
                            aria-hidden="true"
                            style:height=move || format!("{}px", count().saturating_sub(range.get().1) as f64 * ROW_HEIGHT)
                        >
                            <td colspan=column_count></td>
                        </tr>
                    </tbody>
                </table>
                <Show when=move || { rows.loading().get() && count() > 0 }>
                    <p class="list-more muted">"Loading more…"</p>
                </Show>
            </div>
            <audio node_ref=player.audio preload="none" hidden on:ended=move |_| player.playing.set(None)></audio>
        </section>
    }
}

fn table_row(
    client: &crate::api::ApiClient,
    c: &Conversation,
    columns: &[ViewColumn],
    w: &api::Workspace,
    row_index: usize,
    list_query: &str,
    (player, start): (Player, StartConversation),
) -> impl IntoView + use<> {
    let id = c.id.clone();
    let href = format!("/conversations/{}{list_query}", crate::api::encode(&id));
    // Loaded from the API's origin when it is a site path (`/media/recordings/…`).
    let recording = c
        .recording_url
        .as_deref()
        .and_then(|url| client.media_url(url, false));
    let cells = columns
        .iter()
        .map(|column| {
            let class = format!("view-col view-col--{}", column.as_str());
            if *column == ViewColumn::ConversationId {
                let play = recording.clone().map(|url| {
                    let id = id.clone();
                    let playing = {
                        let id = id.clone();
                        move || player.playing.with(|p| p.as_deref() == Some(id.as_str()))
                    };
                    let label = {
                        let playing = playing.clone();
                        let id = id.clone();
                        move || {
                            if playing() {
                                format!("Pause recording of conversation {id}")
                            } else {
                                format!("Play recording of conversation {id}")
                            }
                        }
                    };
                    let icon_playing = playing.clone();
                    view! {
                        <button
                            type="button"
                            class="icon-button icon-button--small"
                            aria-label=label
                            aria-pressed=move || playing().to_string()
                            on:click=move |_| player.toggle(&id, &url)
                        >
                            {move || icon(if icon_playing() { "pause" } else { "play" })}
                        </button>
                    }
                });
                view! {
                    <th scope="row" class=class>
                        <span class="view-id">
                            <A href=href.clone()>{format!("#{}", id)}</A>
                            {play}
                        </span>
                    </th>
                }
                .into_any()
            } else if *column == ViewColumn::Contact {
                // Shown on hover or focus: a new outgoing conversation with this contact.
                let text = cell_text(*column, c, w);
                let request = (c.contact.id.clone(), c.channel);
                view! {
                    <td class=class title=text.clone()>
                        <span class="view-contact">
                            <span class="view-contact__text">{text.clone()}</span>
                            <button
                                type="button"
                                class="button button--small view-contact__start"
                                aria-label=format!("Start conversation with {text}")
                                disabled=move || start.pending().get()
                                on:click=move |_| { start.dispatch(request.clone()); }
                            >
                                "Start conversation"
                            </button>
                        </span>
                    </td>
                }
                .into_any()
            } else {
                let text = cell_text(*column, c, w);
                let title = (text.chars().count() > 24).then(|| text.clone());
                let shown = if text.is_empty() {
                    "—".to_string()
                } else {
                    text
                };
                view! { <td class=class title=title>{shown}</td> }.into_any()
            }
        })
        .collect_view();
    view! {
        <tr class="view-row" aria-rowindex=row_index>
            {cells}
        </tr>
    }
}

/// Starts an outgoing conversation with a contact on a channel, then opens it.
type StartConversation = Action<(String, api::Channel), crate::api::ApiResult<Conversation>>;

fn start_conversation_action() -> StartConversation {
    let auth = use_auth();
    let navigate = use_navigate();
    let start: StartConversation =
        Action::new_local(move |(contact_id, channel): &(String, api::Channel)| {
            let client = auth.client();
            let request = api::CreateConversation {
                contact_id: contact_id.clone(),
                channel: *channel,
                team_id: None,
                body: None,
                client_id: Some(crate::api::new_client_id(
                    crate::ui::time::now_ms(),
                    js_sys::Math::random(),
                )),
                business_address: None,
            };
            async move { client.start_conversation(&request).await }
        });
    Effect::new(move |_| {
        if let Some(Ok(conversation)) = start.value().get() {
            navigate(
                &format!("/conversations/{}", crate::api::encode(&conversation.id)),
                Default::default(),
            );
        }
    });
    start
}

/// One audio element per table: playing a row's recording stops any other.
#[derive(Clone, Copy)]
struct Player {
    audio: NodeRef<html::Audio>,
    /// The conversation whose recording is playing.
    playing: RwSignal<Option<String>>,
}

impl Player {
    fn new() -> Self {
        Player {
            audio: NodeRef::new(),
            playing: RwSignal::new(None),
        }
    }

    fn toggle(&self, id: &str, url: &str) {
        let Some(audio) = self.audio.get_untracked() else {
            return;
        };
        if self.playing.with_untracked(|p| p.as_deref() == Some(id)) {
            let _ = audio.pause();
            self.playing.set(None);
            return;
        }
        audio.set_src(url);
        self.playing.set(Some(id.to_string()));
        let playing = self.playing;
        let id = id.to_string();
        if let Ok(started) = audio.play() {
            leptos::task::spawn_local(async move {
                if wasm_bindgen_futures::JsFuture::from(started).await.is_err() {
                    playing.update(|p| {
                        if p.as_deref() == Some(id.as_str()) {
                            *p = None;
                        }
                    });
                }
            });
        }
    }
}

#[component]
fn DeleteViewDialog(view: View, open: RwSignal<bool>) -> impl IntoView {
    let auth = use_auth();
    let ctx = expect_context::<ViewsContext>();
    let navigate = use_navigate();
    let dialog = NodeRef::<html::Dialog>::new();
    crate::ui::modal_follows(dialog, open);
    let error = RwSignal::new(None::<String>);
    let id = view.id.clone();
    // Leaving the page is part of the request, not of an effect of this component: the
    // view's own `view_deleted` event may remove the table (and this dialog) first.
    let remove = Action::new_local(move |_: &()| {
        let client = auth.client();
        let id = id.clone();
        let navigate = navigate.clone();
        async move {
            let result = client.delete_view(&id).await;
            if result.is_ok() {
                navigate("/views", Default::default());
                ctx.remove(&id);
            }
            result
        }
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => open.set(false),
        Some(Err(err)) => error.set(Some(format!("Couldn't delete the view. {err}"))),
        None => {}
    });
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="delete-view-title" on:close=move |_| open.set(false)>
            <h2 id="delete-view-title">{format!("Delete the view “{}”?", view.name)}</h2>
            <p>"The conversations stay as they are; only this saved view goes away."</p>
            <Show when=move || error.get().is_some()>
                <p class="form-error" role="alert">{move || error.get()}</p>
            </Show>
            <div class="dialog__actions">
                <button type="button" class="button" on:click=move |_| open.set(false)>"Cancel"</button>
                <button
                    type="button"
                    class="button button--danger"
                    disabled=move || remove.pending().get()
                    on:click=move |_| { remove.dispatch(()); }
                >
                    "Delete view"
                </button>
            </div>
        </dialog>
    }
}
