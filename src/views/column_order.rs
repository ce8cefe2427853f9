//! The order of a view's columns, as they will stand in the table from left to right: drag a
//! column onto another's place, or use its "Move … left/right" buttons. Each move is announced
//! to screen readers; the conversation id stays first.

use super::columns::{moved, shown};
use convoroom_api::ViewColumn;
use leptos::ev::DragEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn button_id(column: ViewColumn, direction: &str) -> String {
    format!("column-move-{direction}-{}", column.as_str())
}

/// Keyboard focus stays on the moved column's button (its item is drawn anew), or on its
/// other button once it reached an end.
fn refocus(column: ViewColumn, direction: &'static str) {
    request_animation_frame(move || {
        let other = if direction == "left" { "right" } else { "left" };
        let document = document();
        for id in [button_id(column, direction), button_id(column, other)] {
            let button = document
                .get_element_by_id(&id)
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(button) = button
                && !button.has_attribute("disabled")
            {
                let _ = button.focus();
                return;
            }
        }
    });
}

#[component]
pub fn ColumnOrder(
    columns: Signal<Vec<ViewColumn>>,
    set_columns: Callback<Vec<ViewColumn>>,
) -> impl IntoView {
    let announcement = RwSignal::new(String::new());
    // The position of the column being dragged, while one is.
    let dragging = RwSignal::new(None::<usize>);
    let move_column = move |from: usize, to: usize| -> bool {
        let current = shown(&columns.get_untracked());
        let next = moved(&current, from, to);
        if next == current {
            return false;
        }
        let column = current[from];
        let position = next.iter().position(|c| *c == column).unwrap_or(0);
        announcement.set(format!(
            "{} moved to position {} of {}",
            column.label(),
            position + 1,
            next.len()
        ));
        set_columns.run(next);
        true
    };

    let item = move |index: usize, column: ViewColumn, count: usize| {
        let fixed = index == 0;
        let label = column.label();
        let step = move |direction: &'static str| {
            let to = if direction == "left" {
                index.saturating_sub(1)
            } else {
                index + 1
            };
            if move_column(index, to) {
                refocus(column, direction);
            }
        };
        view! {
            <li
                class="column-order__item"
                class:column-order__item--fixed=fixed
                class:column-order__item--dragging=move || dragging.get() == Some(index)
                draggable=(!fixed).then_some("true")
                on:dragstart=move |ev: DragEvent| {
                    dragging.set(Some(index));
                    if let Some(data) = ev.data_transfer() {
                        data.set_effect_allowed("move");
                        let _ = data.set_data("text/plain", label);
                    }
                }
                on:dragover=move |ev: DragEvent| {
                    if dragging.get_untracked().is_some() {
                        ev.prevent_default();
                    }
                }
                on:drop=move |ev: DragEvent| {
                    ev.prevent_default();
                    if let Some(from) = dragging.get_untracked() {
                        move_column(from, index);
                    }
                    dragging.set(None)
                }
                on:dragend=move |_| dragging.set(None)
            >
                <span class="column-order__name">{label}</span>
                {if fixed {
                    view! { <span class="muted">"(always first)"</span> }.into_any()
                } else {
                    view! {
                        <button
                            type="button"
                            class="icon-button icon-button--small"
                            id=button_id(column, "left")
                            aria-label=format!("Move {label} left")
                            title="Move left"
                            disabled={index <= 1}
                            on:click=move |_| step("left")
                        >
                            "←"
                        </button>
                        <button
                            type="button"
                            class="icon-button icon-button--small"
                            id=button_id(column, "right")
                            aria-label=format!("Move {label} right")
                            title="Move right"
                            disabled={index + 1 >= count}
                            on:click=move |_| step("right")
                        >
                            "→"
                        </button>
                    }
                    .into_any()
                }}
            </li>
        }
    };

    view! {
        <div class="column-order">
            <p class="field__label" id="column-order-label">"Column order"</p>
            <p class="muted" id="column-order-help">
                "Left to right as in the table. Drag a column, or use its arrow buttons."
            </p>
            <ol class="column-order__list" aria-labelledby="column-order-label" aria-describedby="column-order-help">
                {move || {
                    let list = shown(&columns.get());
                    let count = list.len();
                    list.into_iter()
                        .enumerate()
                        .map(|(index, column)| item(index, column, count))
                        .collect_view()
                }}
            </ol>
            <p class="sr-only" role="status" aria-live="polite">{move || announcement.get()}</p>
        </div>
    }
}
