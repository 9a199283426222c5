//! The built console's files and their sizes as served: raw, and the `.gz` and
//! `.br` copies the build writes beside them (`scripts/precompress.sh`, run by
//! trunk's post_build hook). The first load is `index.html`, every file it
//! names (stylesheets, icon, the loader's JS and the main wasm it preloads) and
//! every JS module those import statically (the split loader, `__wasm_split-….js`);
//! the lazily loaded wasm chunks (`split_…`, `chunk_…`, fetched by the split
//! loader when a `#[lazy]` function is first called) are not. The total is
//! every file in `dist/`. Used by `tests/bundle_size.rs` (the budget)
//! and `benches/page_load.rs` (the figures). No browser, no network.

use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl std::ops::AddAssign for Sizes {
    fn add_assign(&mut self, o: Sizes) {
        self.raw += o.raw;
        self.gzip += o.gzip;
        self.brotli += o.brotli;
    }
}

#[derive(Clone, Debug)]
pub struct File {
    /// Relative to `dist/`, with `/`.
    pub name: String,
    pub sizes: Sizes,
    pub first_load: bool,
}

#[derive(Clone, Debug)]
pub struct Bundle {
    pub files: Vec<File>,
}

impl Bundle {
    /// Reads `dist`; panics when a file has no `.gz` beside it (a build without the hook).
    pub fn read(dist: &Path) -> Bundle {
        let html = std::fs::read_to_string(dist.join("index.html")).expect("dist/index.html");
        let named = with_static_imports(dist, referenced(&html));
        let mut files = Vec::new();
        for path in walk(dist) {
            let name = path.strip_prefix(dist).unwrap().to_string_lossy().replace('\\', "/");
            if name.ends_with(".gz") || name.ends_with(".br") || name == "config.json" {
                continue;
            }
            let len = |p: &Path| std::fs::metadata(p).map(|m| m.len());
            let raw = len(&path).unwrap();
            let gz = PathBuf::from(format!("{}.gz", path.display()));
            let br = PathBuf::from(format!("{}.br", path.display()));
            let gzip = len(&gz).unwrap_or_else(|_| {
                panic!(
                    "{} has no .gz beside it: build with `trunk build` (its post_build hook runs scripts/precompress.sh)",
                    path.display()
                )
            });
            // Without the brotli tool the build skips .br (it says so); count the raw size then.
            let brotli = len(&br).unwrap_or(raw);
            let first_load = name == "index.html" || named.iter().any(|n| *n == name);
            files.push(File { name, sizes: Sizes { raw, gzip, brotli }, first_load });
        }
        files.sort_by(|a, b| b.first_load.cmp(&a.first_load).then(b.sizes.raw.cmp(&a.sizes.raw)));
        Bundle { files }
    }

    pub fn first_load(&self) -> Sizes {
        let mut s = Sizes::default();
        for f in self.files.iter().filter(|f| f.first_load) {
            s += f.sizes.clone();
        }
        s
    }

    pub fn total(&self) -> Sizes {
        let mut s = Sizes::default();
        for f in &self.files {
            s += f.sizes.clone();
        }
        s
    }
}

/// Root-relative paths `index.html` names: `href="/…"`, `src="/…"`, and the
/// loader's `'/….js'` / `'/…_bg.wasm'`.
fn referenced(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    for quote in ['"', '\''] {
        let opening = format!("{quote}/");
        let mut rest = html;
        while let Some(at) = rest.find(&opening) {
            rest = &rest[at + 2..];
            let Some(end) = rest.find(quote) else { break };
            let name = &rest[..end];
            if !name.is_empty() && !name.contains(char::is_whitespace) && name.contains('.') {
                names.push(name.to_string());
            }
            rest = &rest[end + 1..];
        }
    }
    names
}

/// `names` and every JS module that a `.js` among them imports statically
/// (`import … from "./x.js"`, `import "./x.js"`), transitively: the browser
/// fetches those before the first line runs. `import(…)` and `fetch(new URL(…))`
/// (the split loader's chunks) are lazy and not followed.
fn with_static_imports(dist: &Path, mut names: Vec<String>) -> Vec<String> {
    let mut i = 0;
    while i < names.len() {
        let name = names[i].clone();
        i += 1;
        if !name.ends_with(".js") {
            continue;
        }
        let Ok(js) = std::fs::read_to_string(dist.join(&name)) else { continue };
        let dir = name.rsplit_once('/').map(|(d, _)| format!("{d}/")).unwrap_or_default();
        for imported in static_imports(&js) {
            let path = format!("{dir}{}", imported.trim_start_matches("./"));
            if !names.contains(&path) {
                names.push(path);
            }
        }
    }
    names
}

/// The relative module specifiers (`./…`) of a module's static `import` declarations.
pub fn static_imports(js: &str) -> Vec<String> {
    let mut found = Vec::new();
    for keyword in ["from", "import"] {
        for quote in ['"', '\''] {
            let opening = format!("{keyword} {quote}./");
            let mut rest = js;
            while let Some(at) = rest.find(&opening) {
                rest = &rest[at + opening.len() - 2..];
                let Some(end) = rest[1..].find(quote) else { break };
                found.push(rest[..end + 1].to_string());
                rest = &rest[end + 2..];
            }
        }
    }
    found
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// What the budget file (`bundle-budget.txt`) allows, in bytes of gzip.
#[derive(Debug)]
pub struct Budget {
    pub first_load_gzip: u64,
    pub total_gzip: u64,
}

impl Budget {
    pub fn read(path: &Path) -> Budget {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value = |key: &str| -> u64 {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.starts_with('#'))
                .find_map(|l| l.strip_prefix(key)?.trim().strip_prefix('=').map(|v| v.trim().replace('_', "")))
                .unwrap_or_else(|| panic!("{} has no `{key} = N`", path.display()))
                .parse()
                .unwrap_or_else(|e| panic!("{}: {key}: {e}", path.display()))
        };
        Budget { first_load_gzip: value("first_load_gzip"), total_gzip: value("total_gzip") }
    }
}
