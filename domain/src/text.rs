//! Text in the console's two languages, English and Korean.
//!
//! Every sentence the console shows is a [`Text`]: both languages side by side,
//! so a missing translation does not compile. The catalogues (the console's
//! `src/i18n/catalogue/`) are lists of `Text` constants; a view picks the
//! language at render time. Placeholders are named (`{name}`), because Korean
//! puts them in a different order than English; [`Text::fill`] replaces them.
//!
//! Text that comes from Azure (ARM's error messages, resource names) is never a
//! `Text`: it is shown as Azure sent it, with our own words around it.

use std::fmt;

/// Declares catalogue entries, `NAME: "English" => "한국어";` (`, same` after
/// the Korean when it is the English on purpose), plus `ENTRIES` (name, text,
/// same-on-purpose) for [`check_entry`] in tests. Used by the console's
/// catalogue and by the domain's modules for the sentences they make.
#[macro_export]
macro_rules! catalogue {
    ($($(#[$doc:meta])* $name:ident: $en:literal => $ko:literal $(, $same:ident)?;)*) => {
        $($(#[$doc])* pub const $name: $crate::text::Text = $crate::text::Text::new($en, $ko);)*
        #[cfg(test)]
        #[allow(dead_code)]
        pub const ENTRIES: &[(&str, $crate::text::Text, bool)] =
            &[$((stringify!($name), $name, $crate::catalogue!(@same $($same)?))),*];
    };
    (@same same) => { true };
    (@same) => { false };
}

/// A language the console speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Ko,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// The language's own name, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ko => "한국어",
        }
    }

    /// The language a tag asks for: `ko`, `ko-KR`, `EN-us`; `None` for others.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// The first language of the browser's list (`navigator.languages`, most
    /// wanted first) that the console speaks; English when none is.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        tags.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// One sentence (or label) in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    pub ko: &'static str,
}

impl Text {
    pub const fn new(en: &'static str, ko: &'static str) -> Text {
        Text { en, ko }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ko => self.ko,
        }
    }

    /// The text in `lang` with each `{name}` replaced by its value. A name the
    /// text does not have is ignored; a `{` that opens no known name stays.
    pub fn fill(self, lang: Lang, args: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(self.get(lang).len() + 16);
        let mut rest = self.get(lang);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let name = &after[..close];
                args.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v, close))
            });
            match value {
                Some((value, close)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The `{name}` placeholders of one language, sorted: both languages must
    /// have the same set (the catalogue tests check it).
    pub fn placeholders(self, lang: Lang) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut rest = self.get(lang);
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) if is_name(&after[..close]) => {
                    names.push(&after[..close]);
                    rest = &after[close + 1..];
                }
                _ => rest = after,
            }
        }
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// A sentence the domain made: a catalogue entry and the values of its
/// placeholders, rendered in whichever language the page shows. A value is
/// either verbatim (a name, an id, a command) or words of its own (a duration,
/// "auto-rotation"), which follow the language too. `Display` is English, for
/// reports and logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    text: Text,
    args: Vec<(&'static str, Part)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Verbatim(String),
    Words(Sentence),
}

impl Sentence {
    pub fn new(text: Text) -> Sentence {
        Sentence { text, args: Vec::new() }
    }

    /// `{name}` shown as given, in every language.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Sentence {
        self.args.push((name, Part::Verbatim(value.into())));
        self
    }

    /// `{name}` in words of its own, in the same language as the sentence.
    pub fn with_words(mut self, name: &'static str, words: impl Into<Sentence>) -> Sentence {
        self.args.push((name, Part::Words(words.into())));
        self
    }

    pub fn get(&self, lang: Lang) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, part)| {
                let value = match part {
                    Part::Verbatim(v) => v.clone(),
                    Part::Words(s) => s.get(lang),
                };
                (*name, value)
            })
            .collect();
        let pairs: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.text.fill(lang, &pairs)
    }
}

/// A placeholder value that is the text itself, in every language.
const VERBATIM: Text = Text::new("{text}", "{text}");

impl Sentence {
    /// Text shown as it is in every language: an error code, a message Azure wrote.
    pub fn verbatim(text: impl Into<String>) -> Sentence {
        Sentence::new(VERBATIM).with("text", text)
    }

    /// Nothing, in every language (an optional part of a sentence that is absent).
    pub fn empty() -> Sentence {
        Sentence::verbatim("")
    }

    pub fn is_empty(&self) -> bool {
        self.get(Lang::En).is_empty()
    }

    /// The sentence with each verbatim value equal to `value` (here or in its nested
    /// words) shown as `words` instead: for a stand-in made up in English before it
    /// reached a sentence that shows it verbatim (a key version that does not exist yet).
    pub fn replacing(mut self, value: &str, words: &Sentence) -> Sentence {
        for (_, part) in &mut self.args {
            match part {
                Part::Verbatim(v) if v == value => *part = Part::Words(words.clone()),
                Part::Words(s) => *s = s.clone().replacing(value, words),
                Part::Verbatim(_) => {}
            }
        }
        self
    }
}

impl From<Text> for Sentence {
    fn from(text: Text) -> Sentence {
        Sentence::new(text)
    }
}

impl fmt::Display for Sentence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.get(Lang::En))
    }
}

impl serde::Serialize for Sentence {
    /// As English text: reports and their JSON are in one language (support reads them).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.get(Lang::En))
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Problems with one catalogue entry: an empty language, placeholders that
/// differ between the languages, or Korean left as the English text (unless
/// the entry is the same in both on purpose, e.g. "Azure CLI").
pub fn check_entry(name: &str, text: Text, same_on_purpose: bool) -> Vec<String> {
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        if text.get(lang).trim().is_empty() {
            problems.push(format!("{name}: the {lang} text is empty"));
        }
    }
    if text.placeholders(Lang::En) != text.placeholders(Lang::Ko) {
        problems.push(format!("{name}: placeholders differ: en {:?}, ko {:?}", text.placeholders(Lang::En), text.placeholders(Lang::Ko)));
    }
    if !same_on_purpose && text.en == text.ko {
        problems.push(format!("{name}: the Korean text is the English one ({:?})", text.en));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every catalogue in the domain crate; a new one is added here.
    const CATALOGUES: &[(&str, &[(&str, Text, bool)])] = &[
        ("activity_log", crate::activity_log::words::ENTRIES),
        ("decoder", crate::decoder::words::ENTRIES),
        ("diagnosis", crate::diagnosis::words::ENTRIES),
        ("diagnosis::state_words", crate::diagnosis::state_words::ENTRIES),
        ("encryption", crate::encryption::words::ENTRIES),
        ("fleet", crate::fleet::words::ENTRIES),
        ("fleet_view", crate::fleet_view::words::ENTRIES),
        ("key", crate::key::words::ENTRIES),
        ("permissions", crate::permissions::words::ENTRIES),
        ("rotation_health", crate::rotation_health::words::ENTRIES),
        ("placement", crate::placement::words::ENTRIES),
        ("response", crate::response::words::ENTRIES),
        ("writes::creation::choices", crate::writes::creation::choices::words::ENTRIES),
        ("writes::creation::deployment", crate::writes::creation::deployment::words::ENTRIES),
        ("writes::creation::plan", crate::writes::creation::plan::words::ENTRIES),
        ("writes::creation::removal", crate::writes::creation::removal::words::ENTRIES),
        ("writes::creation::review", crate::writes::creation::review::words::ENTRIES),
        ("writes::creation::template", crate::writes::creation::template::words::ENTRIES),
        ("vault_location", crate::vault_location::words::ENTRIES),
        ("key_id", crate::key_id::words::ENTRIES),
        ("writes", crate::writes::words::ENTRIES),
        ("writes::access_grant", crate::writes::access_grant::words::ENTRIES),
        ("writes::firewall", crate::writes::firewall::words::ENTRIES),
        ("writes::fix", crate::writes::fix::words::ENTRIES),
        ("writes::identity_change", crate::writes::identity_change::words::ENTRIES),
        ("writes::rotation", crate::writes::rotation::words::ENTRIES),
    ];

    #[test]
    fn every_domain_catalogue_has_both_languages_and_the_same_placeholders() {
        let problems: Vec<String> = CATALOGUES
            .iter()
            .flat_map(|(module, entries)| {
                entries.iter().flat_map(move |(name, text, same)| check_entry(name, *text, *same)).map(move |p| format!("{module}: {p}"))
            })
            .collect();
        assert!(problems.is_empty(), "{problems:?}");
    }

    const ROTATED: Text = Text::new("Rotated {registry} to {key}.", "{registry}의 키를 {key}(으)로 회전했습니다.");

    #[test]
    fn the_browser_list_picks_the_first_language_spoken() {
        assert_eq!(Lang::preferred(["ko-KR", "en-US"]), Lang::Ko);
        assert_eq!(Lang::preferred(["fr-FR", "EN-gb", "ko"]), Lang::En);
        assert_eq!(Lang::preferred(["fr", "de"]), Lang::En);
        assert_eq!(Lang::preferred([]), Lang::En);
        assert_eq!(Lang::from_tag("ko_KR"), Some(Lang::Ko));
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::from_tag("kok"), None);
    }

    #[test]
    fn placeholders_are_filled_by_name_in_each_languages_order() {
        let args = [("key", "kv/k1"), ("registry", "contoso")];
        assert_eq!(ROTATED.fill(Lang::En, &args), "Rotated contoso to kv/k1.");
        assert_eq!(ROTATED.fill(Lang::Ko, &args), "contoso의 키를 kv/k1(으)로 회전했습니다.");
        // Unknown or unfilled names and stray braces stay as written.
        assert_eq!(Text::new("a {x} {y", "가 {x} {y").fill(Lang::En, &[("z", "1")]), "a {x} {y");
        assert_eq!(Text::new("{a}{a}", "{a}").fill(Lang::En, &[("a", "{a}")]), "{a}{a}");
    }

    #[test]
    fn a_sentence_renders_its_values_and_nested_words_in_one_language() {
        const AGO: Text = Text::new("{n} min", "{n}분");
        const APPEARED: Text = Text::new("Version {v} appeared {ago} ago.", "버전 {v}이(가) {ago} 전에 나타났습니다.");
        let s = Sentence::new(APPEARED).with("v", "b002").with_words("ago", Sentence::new(AGO).with("n", "42"));
        assert_eq!(s.get(Lang::En), "Version b002 appeared 42 min ago.");
        assert_eq!(s.get(Lang::Ko), "버전 b002이(가) 42분 전에 나타났습니다.");
        assert_eq!(s.to_string(), s.get(Lang::En));
        assert_eq!(serde_json::to_value(&s).unwrap(), serde_json::json!("Version b002 appeared 42 min ago."));
    }

    #[test]
    fn a_verbatim_stand_in_can_be_shown_as_words() {
        const HAS: Text = Text::new("Newest: {version}.", "최신: {version}.");
        const FIRST: Text = Text::new("the first version", "첫 번째 버전");
        let s = Sentence::new(HAS).with("version", "the first version").replacing("the first version", &FIRST.into());
        assert_eq!(s.get(Lang::En), "Newest: the first version.");
        assert_eq!(s.get(Lang::Ko), "최신: 첫 번째 버전.");
        let kept = Sentence::new(HAS).with("version", "v1").replacing("the first version", &FIRST.into());
        assert_eq!(kept.get(Lang::Ko), "최신: v1.");
    }

    #[test]
    fn an_entry_with_a_missing_placeholder_or_untranslated_text_is_reported() {
        assert!(check_entry("ROTATED", ROTATED, false).is_empty());
        let missing = Text::new("Rotated {registry} to {key}.", "{registry}의 키를 회전했습니다.");
        assert_eq!(check_entry("M", missing, false).len(), 1);
        let untranslated = Text::new("Sign in", "Sign in");
        assert_eq!(check_entry("U", untranslated, false).len(), 1);
        assert!(check_entry("U", untranslated, true).is_empty());
        assert_eq!(check_entry("E", Text::new("x", " "), false).len(), 1);
    }
}
