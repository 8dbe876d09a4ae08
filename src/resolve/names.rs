//! Identity names: the form of an entity's name that its IRI is minted from, so that the ways
//! news writes one organization ("Apple", "Apple Inc.", "The Apple Inc") make one node.
//!
//! For organizations: legal-form suffixes (Inc, Corp, Ltd, plc, AG, SA, Co, NV, GmbH, LLC, …)
//! and a leading "The" are dropped, and "Group" or "Holdings" too when the knowledge base knows
//! the shorter name as the same organization. An acronym the knowledge base defines for exactly
//! one organization stands for its long form ("GM" → "General Motors"), as one the article defines
//! already does through coreference. A place never takes part: "Japan Airlines" keeps "Airlines",
//! and no organization's name is shortened to a place's ("Bank of England" stays whole).
//!
//! The function is per name and needs nothing of the article, so the corpus stage can apply the
//! same rule across articles (an acronym defined in one, used bare in another).

use crate::doc::{is_acronym, EntityKind};
use crate::kb::{normalise, Kb};

/// Legal forms that end company names, compared without periods and case.
const LEGAL_SUFFIXES: &[&str] = &[
    "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "plc", "ag", "sa", "nv", "gmbh", "llc",
    "llp", "lp", "spa", "bv", "se", "oyj", "asa", "kk", "pty", "sarl", "sas", "cia",
];

/// Words that join the whole group under one name when the KB says so.
const GROUP_WORDS: &[&str] = &["group", "holdings", "holding"];

/// The name an entity's IRI is minted from: for an organization, its name without legal form,
/// leading article, and (when `kb` knows them as one) "Group"/"Holdings", or the long form of
/// an acronym `kb` defines for one organization; other kinds keep their name.
pub fn identity_name(kind: EntityKind, name: &str, kb: &Kb) -> String {
    if kind != EntityKind::Organization {
        return name.to_string();
    }
    let trimmed = name.trim();
    if is_acronym(trimmed) {
        if let Some(long) = acronym_long_form(trimmed, kb) {
            return identity_name(kind, &long, kb);
        }
        return trimmed.to_string();
    }
    let stem = without_legal_form(trimmed);
    let words: Vec<&str> = stem.split_whitespace().collect();
    if let [rest @ .., last] = words.as_slice() {
        if !rest.is_empty() && GROUP_WORDS.contains(&last.to_lowercase().as_str()) {
            let shorter = rest.join(" ");
            if same_organization(&stem, &shorter, kb) {
                return shorter;
            }
        }
    }
    stem
}

/// The name without legal-form suffixes ("Apple Computer, Inc." → "Apple Computer"), a leading
/// "The", and the comma or "&" that joined a suffix ("Smith & Co" → "Smith"). A name that is
/// nothing but such words stays as it is.
pub fn without_legal_form(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if words.len() > 1 && words[0].eq_ignore_ascii_case("the") {
        words.remove(0);
    }
    while words.len() > 1 {
        let last = words[words.len() - 1];
        let bare: String = last.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
        if LEGAL_SUFFIXES.contains(&bare.as_str()) {
            words.pop();
            while words.len() > 1 && matches!(words[words.len() - 1], "&" | "and" | ",") {
                words.pop();
            }
            continue;
        }
        break;
    }
    let out = words.join(" ");
    let out = out.trim_end_matches(',');
    if out.is_empty() {
        name.trim().to_string()
    } else {
        out.to_string()
    }
}

/// The long form of an acronym the knowledge base gives exactly one organization.
fn acronym_long_form(acronym: &str, kb: &Kb) -> Option<String> {
    let organizations: Vec<_> =
        kb.candidates(acronym).into_iter().filter(|e| e.kind == EntityKind::Organization).collect();
    match organizations.as_slice() {
        [only] if !is_acronym(only.label) => Some(only.label.to_string()),
        _ => None,
    }
}

/// Whether `kb` knows both names, and as the same organization only.
fn same_organization(full: &str, shorter: &str, kb: &Kb) -> bool {
    let ids = |name: &str| -> Vec<String> {
        kb.candidates(name).into_iter().filter(|e| e.kind == EntityKind::Organization).map(|e| e.id.to_string()).collect()
    };
    let (a, b) = (ids(full), ids(shorter));
    // A place of the shorter name ("Virgin" is no place; "Japan" is) keeps the word.
    let shorter_is_a_place = kb.candidates(shorter).iter().any(|e| e.kind == EntityKind::Place);
    !shorter_is_a_place && a.len() == 1 && b.len() == 1 && a == b && normalise::alias_key(full) != normalise::alias_key(shorter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(name: &str) -> String {
        identity_name(EntityKind::Organization, name, &Kb::default())
    }

    #[test]
    fn legal_forms_and_the_article_go() {
        for name in ["Apple", "Apple Inc.", "Apple Inc", "The Apple Inc", "Apple, Inc.", "APPLE INC"] {
            assert_eq!(normalise::alias_key(&org(name)), "apple", "{name}");
        }
        assert_eq!(org("General Motors Corp."), "General Motors");
        assert_eq!(org("Tate & Lyle plc"), "Tate & Lyle");
        assert_eq!(org("Smith & Co"), "Smith");
        assert_eq!(org("Siemens AG"), "Siemens");
        assert_eq!(org("Nestlé S.A."), "Nestlé");
        assert_eq!(org("Samsung Electronics Co., Ltd."), "Samsung Electronics");
        assert_eq!(org("Royal Dutch Shell plc"), "Royal Dutch Shell");
        assert_eq!(org("Ford Motor Company"), org("Ford Motor Co."));
    }

    #[test]
    fn what_is_all_legal_form_or_not_an_organization_stays() {
        assert_eq!(org("Corp"), "Corp");
        assert_eq!(org("The Limited"), "Limited");
        assert_eq!(identity_name(EntityKind::Person, "John Smith Jr. Inc", &Kb::default()), "John Smith Jr. Inc");
        assert_eq!(identity_name(EntityKind::Place, "The Hague", &Kb::default()), "The Hague");
        // Not legal forms: the words that make the organization what it is.
        assert_eq!(org("Japan Airlines"), "Japan Airlines");
        assert_eq!(org("Bank of England"), "Bank of England");
        assert_eq!(org("Virgin Group"), "Virgin Group", "no knowledge base says they are one");
    }

    #[test]
    fn group_and_holdings_go_only_when_the_kb_says_they_are_one() {
        let acme = crate::kb::EntryData {
            aliases: vec!["Acme".into(), "ACW".into()],
            class: Some("Company".into()),
            ..crate::kb::EntryData::new("https://example.org/acme", EntityKind::Organization, "Acme Group")
        };
        let japan = crate::kb::EntryData::new("https://example.org/japan-group", EntityKind::Organization, "Japan Group");
        let kb = Kb::default().with_user_entries(vec![acme, japan]).expect("compiles");
        assert_eq!(identity_name(EntityKind::Organization, "Acme Group Ltd", &kb), "Acme");
        assert_eq!(identity_name(EntityKind::Organization, "ACW", &kb), "Acme", "the acronym is its long form");
        assert_eq!(identity_name(EntityKind::Organization, "Other Holdings", &kb), "Other Holdings");
    }
}
