//! No word escapes the catalogue: every `view!` in `src/` is read as leptos
//! reads it (rstml inside syn), and a string literal a user would see (a text
//! node, a visible attribute such as `title` or `aria-label`, a component's
//! prop, a string inside a `{…}` block) fails the test unless it is in the
//! allow-list below (commands and names that are the same in every language).
//! The words belong in `src/i18n/catalogue/`, shown with `tr(…)`.
//!
//! Files not yet moved to the catalogue are listed in `PENDING`; the test
//! prints what each still holds, and fails when a listed file has become clean
//! (so the list only shrinks). The catalogue's own checks (both languages,
//! same placeholders, the glossary's words) are unit tests in
//! `src/i18n/catalogue/mod.rs`; a missing language does not compile.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use rstml::node::{KeyedAttribute, Node, NodeAttribute};
use syn::visit::Visit;

/// Files whose views still hold English literals, to be moved to the catalogue (issue 15).
const PENDING: &[&str] = &[];

/// Literals shown as they are in every language: commands, product names, symbols.
const ALLOWED: &[&str] = &["az account get-access-token"];

/// Attributes no one reads as words (identifiers, CSS, URLs, ARIA references, state).
const SILENT_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "href",
    "src",
    "type",
    "role",
    "for",
    "name",
    "autocomplete",
    "spellcheck",
    "inputmode",
    "rel",
    "target",
    "scope",
    "tabindex",
    "rows",
    "cols",
    "min",
    "max",
    "step",
    "pattern",
    "value",
    "lang",
    "method",
    "width",
    "height",
    "viewBox",
    "d",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "fill",
    "stroke",
    "stroke-width",
    "xmlns",
    "transform",
    "points",
    "preserveAspectRatio",
    "novalidate",
    "readonly",
    "disabled",
    "selected",
    "checked",
    "hidden",
    "open",
    "download",
    "aria-controls",
    "aria-labelledby",
    "aria-describedby",
    "aria-hidden",
    "aria-live",
    "aria-expanded",
    "aria-current",
    "aria-modal",
    "aria-haspopup",
    "aria-busy",
    "aria-invalid",
    "aria-pressed",
    "aria-selected",
    "aria-checked",
    "aria-atomic",
    "aria-sort",
    "aria-rowcount",
    "aria-rowindex",
    "aria-colcount",
    "aria-valuenow",
    "aria-valuemin",
    "aria-valuemax",
    "node_ref",
    "testid",
    "style",
    "kind",
    "variant",
    "key",
    "each",
    "children",
    "fallback",
    "path",
    "view",
    "when",
    // KeyValue's ARM field name (`keyIdentifier`), shown as ARM spells it.
    "field",
];

/// Attribute prefixes that never show words: test ids, data, events, properties, classes, styles.
const SILENT_PREFIXES: &[&str] = &["data-", "on:", "prop:", "class:", "style:", "bind:", "use:", "let:", "clone:"];

#[derive(Debug)]
struct Finding {
    file: String,
    line: usize,
    literal: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_words(literal: &str) -> bool {
    literal.chars().any(char::is_alphabetic) && !ALLOWED.contains(&literal)
}

/// Collects the visible literals of every `view!` in one file.
struct Scanner<'a> {
    source: &'a str,
    file: String,
    findings: Vec<Finding>,
    errors: Vec<String>,
}

impl Scanner<'_> {
    fn flag(&mut self, literal: String) {
        if is_words(&literal) {
            // Spans carry no lines without proc-macro2's `span-locations`; the text finds it.
            let needle = literal.lines().next().unwrap_or_default();
            let line = self.source.find(needle).map(|at| self.source[..at].lines().count().max(1)).unwrap_or(0);
            self.findings.push(Finding { file: self.file.clone(), line, literal });
        }
    }

    fn view(&mut self, tokens: TokenStream) {
        let parser = rstml::Parser::new(rstml::ParserConfig::default().recover_block(true));
        let (nodes, errors) = parser.parse_recoverable(tokens).split_vec();
        if !errors.is_empty() {
            self.errors.push(format!(
                "{}: a view! did not parse: {:?}",
                self.file,
                errors.iter().map(|e| format!("{e:?}")).collect::<Vec<_>>()
            ));
        }
        for node in &nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Text(text) => self.flag(text.value_string()),
            Node::RawText(raw) => self.flag(raw.to_string_best()),
            Node::Block(block) => match block.try_block() {
                Some(block) => self.visit_block(block),
                None => self.errors.push(format!("{}: a block in a view! did not parse", self.file)),
            },
            Node::Fragment(fragment) => fragment.children.iter().for_each(|n| self.node(n)),
            Node::Element(element) => {
                for attribute in &element.open_tag.attributes {
                    match attribute {
                        NodeAttribute::Attribute(keyed) => self.attribute(keyed),
                        NodeAttribute::Block(block) => {
                            if let Some(block) = block.try_block() {
                                self.visit_block(block)
                            }
                        }
                    }
                }
                element.children.iter().for_each(|n| self.node(n));
            }
            Node::Comment(_) | Node::Doctype(_) | Node::Custom(_) => {}
        }
    }

    fn attribute(&mut self, attribute: &KeyedAttribute) {
        let key = attribute.key.to_string().replace(' ', "");
        let key = key.strip_prefix("attr:").unwrap_or(&key);
        if SILENT_ATTRIBUTES.contains(&key) || SILENT_PREFIXES.iter().any(|p| key.starts_with(p)) {
            return;
        }
        if let Some(value) = attribute.value() {
            self.visit_expr(value);
        }
    }
}

impl<'ast> Visit<'ast> for Scanner<'_> {
    fn visit_lit_str(&mut self, literal: &'ast syn::LitStr) {
        self.flag(literal.value());
    }

    // `locale.fill(TEXT, &[("name", value)])`: the placeholder names are not words.
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        if call.method != "fill" {
            return syn::visit::visit_expr_method_call(self, call);
        }
        self.visit_expr(&call.receiver);
        for arg in &call.args {
            let mut quiet = PlaceholderNames(self);
            quiet.visit_expr(arg);
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let name = mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        match name.as_str() {
            "view" => self.view(mac.tokens.clone()),
            // format!("Loading {what}…") and the like: the arguments are expressions.
            "format" | "concat" => {
                let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
                if let Ok(args) = syn::parse::Parser::parse2(parser, mac.tokens.clone()) {
                    args.iter().for_each(|arg| self.visit_expr(arg));
                }
            }
            _ => {}
        }
    }
}

/// The arguments of `fill`: a tuple's first literal is a placeholder's name.
struct PlaceholderNames<'s, 'a>(&'s mut Scanner<'a>);

impl<'ast> Visit<'ast> for PlaceholderNames<'_, '_> {
    fn visit_expr_tuple(&mut self, tuple: &'ast syn::ExprTuple) {
        for (i, element) in tuple.elems.iter().enumerate() {
            let is_name = i == 0 && matches!(element, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(_), .. }));
            if !is_name {
                self.0.visit_expr(element);
            }
        }
    }

    fn visit_lit_str(&mut self, literal: &'ast syn::LitStr) {
        self.0.flag(literal.value());
    }
}

/// Literals outside views are not scanned: only `view!` macros, found anywhere.
struct ViewFinder<'a, 'b> {
    scanner: &'b mut Scanner<'a>,
}

impl<'ast> Visit<'ast> for ViewFinder<'_, '_> {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac.path.segments.last().is_some_and(|s| s.ident == "view") {
            self.scanner.view(mac.tokens.clone());
        }
    }
}

fn scan(root: &Path, path: &Path) -> (Vec<Finding>, Vec<String>) {
    let source = std::fs::read_to_string(path).unwrap();
    let file = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
    let syntax = syn::parse_file(&source).unwrap_or_else(|e| panic!("{file} does not parse: {e}"));
    let mut scanner = Scanner { source: &source, file, findings: Vec::new(), errors: Vec::new() };
    ViewFinder { scanner: &mut scanner }.visit_file(&syntax);
    (scanner.findings, scanner.errors)
}

#[test]
fn every_word_in_a_view_comes_from_the_catalogue() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut failures = Vec::new();
    let mut pending_left = Vec::new();
    let mut scanned_views = 0;
    for path in &files {
        let (findings, errors) = scan(root, path);
        failures.extend(errors);
        let file = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        scanned_views += std::fs::read_to_string(path).unwrap().matches("view!").count();
        if PENDING.contains(&file.as_str()) {
            if findings.is_empty() {
                failures.push(format!("{file} has no literal words left: take it off PENDING"));
            } else {
                pending_left.push(format!("{file}: {}", findings.len()));
            }
            continue;
        }
        failures.extend(findings.iter().map(|f| format!("{}:{}: {:?} is not from the catalogue", f.file, f.line, f.literal)));
    }
    for pending in PENDING {
        assert!(root.join(pending).exists(), "PENDING names {pending}, which does not exist");
    }
    // Not silent: what is left to move is printed on every run.
    eprintln!("catalogue: {} files still hold literal words (PENDING, issue 15):\n  {}", pending_left.len(), pending_left.join("\n  "));
    assert!(scanned_views > 50, "the scan found only {scanned_views} view! macros");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The scanner itself: it must see each kind of literal, and not the silent ones.
#[test]
fn the_scanner_finds_text_visible_attributes_props_and_block_literals() {
    let source = r##"
        fn page() -> impl IntoView {
            let label = "not in a view";
            view! {
                <p class="lead" data-testid="x" title="A title">"Some words" {tr(home::TITLE)}</p>
                <Loading what="registries" testid="quiet" />
                <button aria-label=format!("Copy {}", 1) on:click=move |_| ()>{move || if on() { "On" } else { "Off" }}</button>
                {move || view! { <span>"nested"</span> }}
                <code>"az account get-access-token"</code>
                <p>"—" " · " "42"</p>
            }
        }
    "##;
    let dir = std::env::temp_dir().join(format!("catalogue-scan-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let path = dir.join("src/page.rs");
    std::fs::write(&path, source).unwrap();
    let (findings, errors) = scan(&dir, &path);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    let mut found: Vec<String> = findings.into_iter().map(|f| f.literal).collect();
    found.sort();
    assert_eq!(found, ["A title", "Copy {}", "Off", "On", "Some words", "nested", "registries"]);
}
