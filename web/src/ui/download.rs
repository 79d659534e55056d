//! Saving bytes as a file the browser downloads.

use wasm_bindgen::JsCast;

/// Saves what `url` (an object or data URL) holds as `file_name`.
pub fn save_url(file_name: &str, url: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(anchor) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(url);
        anchor.set_download(file_name);
        anchor.click();
    }
}

pub fn save_bytes(file_name: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    save_url(file_name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
}
