//! The committed docs/openapi.json must match the document the server generates.

#[test]
fn openapi_document_is_committed_and_current() {
    let generated = convoroom_server::openapi::pretty();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write docs/openapi.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is out of date with the server's handlers and the api types.\n\
         Regenerate it with: UPDATE_OPENAPI=1 cargo test -p convoroom-server --test openapi"
    );
}
