//! Generates the C header from this crate's sources with cbindgen into `OUT_DIR/routeguard.h`.
//! The committed copy in `c-include/` is compared with it by `check-header.sh` (and refreshed by
//! `check-header.sh --update`); the build never writes outside `OUT_DIR`.

use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bindings/c/cbindgen.toml is valid");
    // Parsing `src/lib.rs` (and the modules it declares) directly avoids `cargo metadata`.
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header")
        .write_to_file(out_dir.join("routeguard.h"));
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src");
}
