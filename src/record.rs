//! Versioned records of the API (conversations, contacts, notes, views, dispositions, teams,
//! pipeline stages, integrations).
//! Answers and live events can arrive out of order, so wherever one is kept the same rule
//! holds: the newer version wins, and an older one never replaces what is shown.

use convoroom_api::{
    Contact, Conversation, Disposition, Integration, Note, PipelineStage, Team, View,
};

pub trait Versioned {
    fn version(&self) -> i64;
}

macro_rules! versioned {
    ($($record:ty),+) => {
        $(impl Versioned for $record {
            fn version(&self) -> i64 {
                self.version
            }
        })+
    };
}
versioned!(
    Conversation,
    Contact,
    Note,
    View,
    Disposition,
    Team,
    PipelineStage,
    Integration
);

/// Replaces `held` with `incoming` unless `held` is newer; says whether it did.
pub fn keep_newer<T: Versioned>(held: &mut T, incoming: T) -> bool {
    if incoming.version() < held.version() {
        return false;
    }
    *held = incoming;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Record(i64, &'static str);
    impl Versioned for Record {
        fn version(&self) -> i64 {
            self.0
        }
    }

    #[test]
    fn the_newer_version_wins_and_the_same_one_refreshes() {
        let mut held = Record(3, "three");
        assert!(!keep_newer(&mut held, Record(2, "two")));
        assert_eq!(held.1, "three");
        assert!(keep_newer(&mut held, Record(3, "three again")));
        assert_eq!(held.1, "three again");
        assert!(keep_newer(&mut held, Record(4, "four")));
        assert_eq!((held.0, held.1), (4, "four"));
    }
}
