//! Workspace settings that admins change in the app's Settings area: the dispositions list
//! (`dispositions.rs`), the label catalogue (`labels.rs`), the pipeline stages (`stages.rs`) and the teams with their
//! after-conversation requirements (`teams.rs`). Everyone may read them; only admins change
//! them.

pub mod attributes;
pub mod dispositions;
pub mod labels;
pub mod stages;
pub mod teams;

use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .merge(attributes::router())
        .merge(dispositions::router())
        .merge(labels::router())
        .merge(stages::router())
        .merge(teams::router())
}

/// Settings are the admins' to change: 403 for agents (and their API tokens).
pub fn require_admin(caller: &Caller) -> AppResult<()> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("Only admins can change settings"))
    }
}

/// Moves the item `is_current` picks to `position` in `all` (which is in list order; past the
/// end means last, absent means where it is), the others closing up around it. Returns the new
/// order and its place in it.
pub fn place<T>(
    mut all: Vec<T>,
    is_current: impl Fn(&T) -> bool,
    position: Option<u32>,
) -> (Vec<T>, usize) {
    let Some(from) = all.iter().position(&is_current) else {
        return (all, 0);
    };
    let current = all.remove(from);
    let to = position.map_or(from, |p| p as usize).min(all.len());
    all.insert(to, current);
    (all, to)
}

/// A name as a key: lower case, the characters `keep` accepts, every run of others one `_`
/// ("Quote Request" → `quote_request`), with no `_` at the end.
pub fn slug(name: &str, keep: impl Fn(char) -> bool) -> String {
    let mut base = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if keep(c) {
            base.push(c);
        } else if !base.ends_with('_') && !base.is_empty() {
            base.push('_');
        }
    }
    base.trim_end_matches('_').to_string()
}

/// `base`, or the first of `base_2`, `base_3`… that is not `taken`.
pub fn unused_key(base: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|key| !taken(key))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::place;

    #[test]
    fn placing_moves_one_item_and_closes_up_the_others() {
        let all = vec!['a', 'b', 'c', 'd'];
        assert_eq!(
            place(all.clone(), |c| *c == 'c', Some(0)),
            (vec!['c', 'a', 'b', 'd'], 0)
        );
        assert_eq!(
            place(all.clone(), |c| *c == 'a', Some(9)),
            (vec!['b', 'c', 'd', 'a'], 3)
        );
        assert_eq!(place(all.clone(), |c| *c == 'b', None), (all.clone(), 1));
        assert_eq!(
            place(all.clone(), |c| *c == 'b', Some(2)),
            (vec!['a', 'c', 'b', 'd'], 2)
        );
    }
}
