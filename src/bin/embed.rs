//! Entry of the embed bundle: exports `mount` and `PanelHandle` (see `convoroom::embed`);
//! the panel starts only when a host page mounts it.

pub use convoroom::embed::{PanelHandle, mount};

fn main() {
    console_error_panic_hook::set_once();
}
