//! A picture chosen for one's profile, made small in the browser before it is sent: cropped
//! to a square and drawn at 128 px as a JPEG data URL (a few KB), so no upload store is needed
//! and the server only checks its shape (`api::avatar_problem`).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const SIDE: u32 = 128;
/// Pictures larger than this are refused before they are read.
pub const MAX_FILE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// Where the square crop of a `width`×`height` picture is drawn on a `side` canvas: the
/// picture scaled to cover it, centred (x, y, width, height).
pub fn cover(width: f64, height: f64, side: f64) -> (f64, f64, f64, f64) {
    let scale = (side / width).max(side / height);
    let (w, h) = (width * scale, height * scale);
    ((side - w) / 2.0, (side - h) / 2.0, w, h)
}

/// The file as a 128 px square JPEG data URL, or why it can't be used.
pub async fn small_picture(file: web_sys::File) -> Result<String, String> {
    let unreadable = || "That file is not a picture this browser can read.".to_string();
    if !["image/png", "image/jpeg", "image/webp", "image/gif"].contains(&file.type_().as_str()) {
        return Err("Choose a PNG, JPEG, WebP or GIF picture.".into());
    }
    if file.size() > MAX_FILE_BYTES {
        return Err("That picture is larger than 10 MB.".into());
    }
    // Decoded straight from the file: no object URL for an <img>, which the app's
    // Content-Security-Policy (img-src without blob:) would refuse.
    let decoding = leptos::prelude::window()
        .create_image_bitmap_with_blob(&file)
        .map_err(|_| unreadable())?;
    let image: web_sys::ImageBitmap = JsFuture::from(decoding)
        .await
        .map_err(|_| unreadable())?
        .unchecked_into();
    let (width, height) = (image.width(), image.height());
    if width == 0 || height == 0 {
        return Err(unreadable());
    }
    let canvas: web_sys::HtmlCanvasElement = leptos::prelude::document()
        .create_element("canvas")
        .map_err(|_| unreadable())?
        .unchecked_into();
    canvas.set_width(SIDE);
    canvas.set_height(SIDE);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or_else(unreadable)?
        .unchecked_into();
    let (x, y, w, h) = cover(width as f64, height as f64, SIDE as f64);
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&image, x, y, w, h)
        .map_err(|_| unreadable())?;
    canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &0.85.into())
        .map_err(|_| unreadable())
}

#[cfg(test)]
mod tests {
    use super::cover;

    #[test]
    fn a_picture_covers_the_square_centred() {
        assert_eq!(cover(256.0, 128.0, 128.0), (-64.0, 0.0, 256.0, 128.0));
        assert_eq!(cover(100.0, 400.0, 128.0), (0.0, -192.0, 128.0, 512.0));
        assert_eq!(cover(128.0, 128.0, 128.0), (0.0, 0.0, 128.0, 128.0));
    }
}
