//! The probing plan for large label and search sets returns the same rows, and the same
//! counts where they stay exact (a large search's counts are capped: see counts.rs).

use crate::common;

use common::TestApp;

#[tokio::test]
async fn both_set_plans_agree() {
    let app = TestApp::new().await;
    let maya = app.sign_in("maya").await;
    let jonas = app.sign_in("jonas").await;
    let filters = [
        "q=order",
        "q=the",
        "label=refund%20request&status=open",
        "label=vip&status=resolved",
        "q=thanks&label=refund%20request",
        "q=zzzz",
    ];
    let mut before = Vec::new();
    for token in [&maya, &jonas] {
        for filter in filters {
            before.push(
                app.get(&format!("/api/v1/conversations?limit=200&{filter}"), token)
                    .await
                    .body,
            );
        }
    }
    convoroom_server::conversations::list::set_large_set_threshold(0);
    let mut after = Vec::new();
    for token in [&maya, &jonas] {
        for filter in filters {
            after.push(
                app.get(&format!("/api/v1/conversations?limit=200&{filter}"), token)
                    .await
                    .body,
            );
        }
    }
    convoroom_server::conversations::list::set_large_set_threshold(3000);
    let filters_twice = filters.iter().chain(filters.iter());
    for ((filter, before), after) in filters_twice.zip(&before).zip(&after) {
        assert_eq!(before["items"], after["items"], "items for {filter}");
        assert_eq!(
            before["next_cursor"], after["next_cursor"],
            "cursor for {filter}"
        );
        if !filter.contains("q=") {
            assert_eq!(before["counts"], after["counts"], "counts for {filter}");
        }
    }
    assert!(
        before
            .iter()
            .any(|page| !page["items"].as_array().unwrap().is_empty())
    );
}
