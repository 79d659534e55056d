//! Links the engine with threads (built with the `atomics` target feature, scripts/threads.sh):
//! its memory is shared between the workers of its pool, so it is imported (wasm-bindgen creates
//! it, shared, and hands it to each worker) with a declared maximum, and the thread-local
//! storage set-up is exported for wasm-bindgen to call on each worker. rustc does not pass these
//! to wasm-ld itself.

fn main() {
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    if !features.split(',').any(|feature| feature == "atomics") {
        return;
    }
    // 4 GiB, as much as the single-threaded module may grow to (the seed VGG's weights alone
    // are 515 MB).
    for arg in [
        "--shared-memory",
        "--import-memory",
        "--max-memory=4294967296",
        "--export=__wasm_init_tls",
        "--export=__tls_size",
        "--export=__tls_align",
        "--export=__tls_base",
    ] {
        println!("cargo:rustc-link-arg-cdylib={arg}");
    }
}
