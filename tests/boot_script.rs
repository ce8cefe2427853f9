//! The boot script in `index.html` repeats what the Rust side owns — where the session is
//! kept, the API's path, the default list request, the request timeout, where it leaves its
//! responses — because it runs before the WebAssembly exists. If any of them drift, the app
//! silently stops using the prefetched responses; this test fails instead.
#![cfg(not(target_arch = "wasm32"))]

fn boot_script() -> String {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html"))
        .expect("index.html");
    let start = html.find("<script>").expect("the boot script");
    let end = html[start..].find("</script>").expect("its end") + start;
    html[start..end].to_string()
}

#[test]
fn the_boot_script_asks_for_what_the_app_will_ask_for() {
    let script = boot_script();
    let expect = |needle: String, what: &str| {
        assert!(
            script.contains(&needle),
            "index.html's boot script no longer matches the app's {what}: expected `{needle}`"
        );
    };
    expect(
        format!("localStorage.getItem(\"{}\")", convoroom::auth::SESSION_KEY),
        "session key (auth::SESSION_KEY)",
    );
    expect(
        format!("location.origin + \"{}\"", convoroom_api::API_PREFIX),
        "API prefix (convoroom_api::API_PREFIX)",
    );
    let default_list = convoroom::conversation_list::filters::from_query(|_| None);
    expect(
        format!(
            "paths.push(\"{}\")",
            convoroom::api::conversations_path(&default_list, None)
        ),
        "first page of the default list (filters::from_query + api::conversations_path)",
    );
    expect(
        format!(
            "AbortSignal.timeout({})",
            convoroom::api::REQUEST_TIMEOUT_MS
        ),
        "request timeout (api::REQUEST_TIMEOUT_MS)",
    );
    expect(
        format!("window.{} = prefetched", convoroom::api::prefetch::GLOBAL),
        "prefetch global (api::prefetch::GLOBAL)",
    );
}
