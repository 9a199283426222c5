//! Every word the console shows, in English and Korean, one module per area.
//!
//! An entry is `NAME: "English" => "한국어",`: a missing language does not
//! compile. Placeholders are `{name}` and must match in both languages, and
//! Korean equal to English must be marked `same` (e.g. a product name): the
//! tests below check both. Korean terms follow the Korean Azure portal and the
//! seed documents: see `docs/glossary.md`, and use its words.

pub mod activity;
pub mod create;
pub mod decode;
pub mod diagnosis;
pub mod fleet;
pub mod home;
pub mod registry;
pub mod report;
pub mod shell;
pub mod sign_in;
pub mod tour;
pub mod writes;

#[cfg(test)]
mod tests {
    use acr_cmk_domain::text::check_entry;

    /// Every module's entries, for the checks.
    const MODULES: &[(&str, &[(&str, acr_cmk_domain::text::Text, bool)])] = &[
        ("shell", super::shell::ENTRIES),
        ("decode", super::decode::ENTRIES),
        ("sign_in", super::sign_in::ENTRIES),
        ("home", super::home::ENTRIES),
        ("registry", super::registry::ENTRIES),
        ("diagnosis", super::diagnosis::ENTRIES),
        ("report", super::report::ENTRIES),
        ("fleet", super::fleet::ENTRIES),
        ("writes", super::writes::ENTRIES),
        ("create", super::create::ENTRIES),
        ("tour", super::tour::ENTRIES),
        ("activity", super::activity::ENTRIES),
    ];

    #[test]
    fn every_entry_has_both_languages_and_the_same_placeholders() {
        let problems: Vec<String> = MODULES
            .iter()
            .flat_map(|(module, entries)| {
                entries.iter().flat_map(move |(name, text, same)| check_entry(&format!("{module}::{name}"), *text, *same))
            })
            .collect();
        assert!(problems.is_empty(), "catalogue problems:\n{}", problems.join("\n"));
        let count: usize = MODULES.iter().map(|(_, entries)| entries.len()).sum();
        assert!(count > 50, "the catalogue has {count} entries");
    }

    #[test]
    fn the_glossary_terms_are_the_ones_the_catalogue_uses() {
        // A Korean word the glossary rejects must not appear in any entry.
        let glossary = include_str!("../../../docs/glossary.md");
        let rejected: Vec<&str> = glossary
            .lines()
            .filter_map(|line| line.split("not: ").nth(1))
            .flat_map(|rest| rest.split(',').map(|w| w.trim().trim_end_matches('|').trim()))
            .filter(|w| !w.is_empty())
            .collect();
        assert!(!rejected.is_empty(), "the glossary names the words it rejects");
        // A rejected word inside a term the glossary uses is that term (플릿 in 템플릿).
        let used: Vec<&str> = glossary
            .lines()
            .filter_map(|line| line.strip_prefix('|')?.split('|').nth(1))
            .flat_map(|korean| korean.split(',').map(|w| w.split('(').next().unwrap_or_default().trim()))
            .filter(|w| !w.is_empty())
            .collect();
        for (module, entries) in MODULES {
            for (name, text, _) in *entries {
                for word in &rejected {
                    let ko = used.iter().filter(|term| term.contains(word)).fold(text.ko.to_string(), |ko, term| ko.replace(term, ""));
                    assert!(!ko.contains(word), "{module}::{name} uses {word:?}, which the glossary rejects: {:?}", text.ko);
                }
            }
        }
    }
}
