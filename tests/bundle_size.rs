//! The console's size budget: the release build in `dist/` (`ACR_CMK_DIST`, set
//! by `scripts/test.sh`) must not send more gzip bytes on the first load, nor
//! in all, than `bundle-budget.txt` allows. The first load is what index.html
//! loads before the console starts (the main wasm, its JS and the split loader,
//! CSS, icon); the total adds the lazily loaded wasm chunks (`#[lazy]` pages,
//! scripts/build_split.sh), fetched on the first visit to their page. Sizes are those of the `.gz` files
//! the build writes (what a host sends), so the figure is deterministic. A
//! change that needs more raises the budget in that file, in its own commit
//! that says why: it is meant to be seen. `scripts/bench.sh` prints the same
//! figures with brotli and per file.

#[path = "support/bundle.rs"]
mod bundle;

use std::path::PathBuf;

use bundle::{Budget, Bundle};

/// The budget counts zopfli's `.gz`; without zopfli the build writes `gzip -9`'s, about 5 % larger.
const ZOPFLI: &str = "; if the build said \"no zopfli on PATH\", source scripts/setup.sh, which installs it, and build again";

#[test]
fn the_console_fits_its_size_budget() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dist = std::env::var_os("ACR_CMK_DIST").map(PathBuf::from).unwrap_or_else(|| root.join("dist"));
    assert!(dist.join("index.html").is_file(), "no built console at {}: run `bash scripts/test.sh`", dist.display());
    let budget = Budget::read(&root.join("bundle-budget.txt"));
    let bundle = Bundle::read(&dist);
    let listing: String = bundle
        .files
        .iter()
        .map(|f| format!("\n  {:>9} B gzip {} {}", f.sizes.gzip, if f.first_load { "first load" } else { "lazy chunk" }, f.name))
        .collect();
    let (first, total) = (bundle.first_load(), bundle.total());
    assert!(
        first.gzip <= budget.first_load_gzip,
        "first load is {} B gzip, over the budget of {} B (bundle-budget.txt){ZOPFLI}:{listing}",
        first.gzip,
        budget.first_load_gzip
    );
    assert!(
        total.gzip <= budget.total_gzip,
        "the console is {} B gzip in all, over the budget of {} B (bundle-budget.txt){ZOPFLI}:{listing}",
        total.gzip,
        budget.total_gzip
    );
    // Every file the first load names is there (a renamed chunk would drop out of the count).
    let html = std::fs::read_to_string(dist.join("index.html")).unwrap();
    assert!(bundle.files.iter().any(|f| f.first_load && f.name.ends_with(".wasm")), "index.html names no .wasm:\n{html}");
    assert!(bundle.files.iter().any(|f| f.first_load && f.name.ends_with(".js")), "index.html names no .js:\n{html}");
    // style/'s files arrive as one (scripts/bundle_css.sh): one request, one gzip stream.
    let sheets: Vec<_> = bundle.files.iter().filter(|f| f.name.ends_with(".css")).map(|f| &f.name).collect();
    assert!(sheets.len() == 1 && sheets[0].starts_with("console-"), "expected one bundled stylesheet, found {sheets:?}");
    // Every lazy file is a wasm chunk that a first-load JS module (the split loader) names: anything else
    // in dist/ would be counted in the total but never loaded, or loaded but not counted in the first load.
    let loaders: String = bundle
        .files
        .iter()
        .filter(|f| f.first_load && f.name.ends_with(".js"))
        .map(|f| std::fs::read_to_string(dist.join(&f.name)).unwrap())
        .collect();
    for lazy in bundle.files.iter().filter(|f| !f.first_load) {
        assert!(lazy.name.ends_with(".wasm"), "{} is in dist/ but not loaded first, and is no wasm chunk:{listing}", lazy.name);
        assert!(loaders.contains(&format!("\"./{}\"", lazy.name)), "no first-load JS fetches the chunk {}:{listing}", lazy.name);
    }
}

#[test]
fn static_imports_are_the_relative_specifiers_of_import_declarations() {
    let js = "import * as import1 from \"./__wasm_split-ab.js\"\nimport { initSync } from './main-ab.js';\nimport './side.js';\n\
              const src = fetch(new URL(\"./split_x-ab.wasm\", import.meta.url));";
    let mut found = bundle::static_imports(js);
    found.sort();
    assert_eq!(found, ["./__wasm_split-ab.js", "./main-ab.js", "./side.js"]);
}
