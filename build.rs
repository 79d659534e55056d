//! Lists the pretrained weights under `assets/weights/` for the CLI to embed.

use std::{env, fs, path::Path};

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let weights = Path::new(&manifest).join("assets/weights");
    println!("cargo:rerun-if-changed=assets/weights");
    let mut files: Vec<_> = fs::read_dir(&weights)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|path| path.extension().is_some_and(|ext| ext == "safetensors"));
    files.sort();
    let mut out = String::from("pub static PRETRAINED: &[(&str, &[u8])] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let preset = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        out += &format!(
            "    ({preset:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        );
    }
    out += "];\n";
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    fs::write(Path::new(&out_dir).join("pretrained.rs"), out).expect("OUT_DIR is writable");
}
