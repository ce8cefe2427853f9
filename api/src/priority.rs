//! Priority is one field of the conversation (`Conversation::priority`). Labels of the
//! `priority` scope (`priority::high`) are only another way to write it: adding one sets the
//! field, and no conversation ever carries such a label.

use crate::Priority;

/// The label scope that aliases the priority field.
pub const PRIORITY_LABEL_SCOPE: &str = "priority";

impl Priority {
    /// Higher is more pressing: `Urgent` 4 … `None` 0. The list's `priority` sort uses it.
    pub fn rank(self) -> u8 {
        match self {
            Priority::None => 0,
            Priority::Low => 1,
            Priority::Medium => 2,
            Priority::High => 3,
            Priority::Urgent => 4,
        }
    }

    /// What a label means for the priority field: `None` when it is an ordinary label,
    /// `Some(Ok(p))` for `priority::p` (any case), `Some(Err(()))` for a `priority::` label
    /// that names no priority (`priority::whenever`).
    pub fn of_label(label: &str) -> Option<Result<Priority, ()>> {
        let (scope, value) = label.trim().split_once("::")?;
        if !scope.trim().eq_ignore_ascii_case(PRIORITY_LABEL_SCOPE) {
            return None;
        }
        Some(Priority::parse(&value.trim().to_ascii_lowercase()).ok_or(()))
    }

    /// The label that aliases this priority (`priority::high`).
    pub fn as_label(self) -> String {
        format!("{PRIORITY_LABEL_SCOPE}::{}", self.as_str())
    }

    /// A `priority` filter value: one priority or several, comma-separated (`high,urgent`).
    /// `None` when it is empty or names something that is not a priority.
    pub fn parse_list(text: &str) -> Option<Vec<Priority>> {
        let mut out = Vec::new();
        for part in text.split(',') {
            let priority = Priority::parse(part.trim())?;
            if !out.contains(&priority) {
                out.push(priority);
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_labels_alias_the_field() {
        assert_eq!(
            Priority::of_label("priority::high"),
            Some(Ok(Priority::High))
        );
        assert_eq!(
            Priority::of_label(" Priority::Low "),
            Some(Ok(Priority::Low))
        );
        assert_eq!(
            Priority::of_label("priority::none"),
            Some(Ok(Priority::None))
        );
        assert_eq!(Priority::of_label("priority::whenever"), Some(Err(())));
        assert_eq!(Priority::of_label("vip"), None);
        assert_eq!(Priority::of_label("tier::gold"), None);
        assert_eq!(Priority::Urgent.as_label(), "priority::urgent");
    }

    #[test]
    fn filter_values_are_one_or_several_priorities() {
        assert_eq!(Priority::parse_list("high"), Some(vec![Priority::High]));
        assert_eq!(
            Priority::parse_list("urgent, high,urgent"),
            Some(vec![Priority::Urgent, Priority::High])
        );
        assert_eq!(Priority::parse_list(""), None);
        assert_eq!(Priority::parse_list("high,soon"), None);
    }

    #[test]
    fn ranks_follow_urgency() {
        let ranks: Vec<u8> = Priority::ALL.iter().map(|p| p.rank()).collect();
        assert_eq!(ranks, [0, 1, 2, 3, 4]);
    }
}
