//! uniffi's generator at the version this crate is built with (see `generate.sh`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
