//! Resolution: clusters the name mentions of an article into entities with one canonical name and
//! one type, and links them to the knowledge base.
//!
//! Mentions join a cluster when they write the same name (ignoring case, a leading "the", the
//! periods of "U.S."); when an acronym is introduced in brackets after its expansion ("Islamic
//! State (IS)") or spells its initials ("United Nations"/"UN", "Group of 20"/"G20"); when a lone
//! surname or first name matches exactly one person named in full in the same article ("Roe",
//! "Ms Roe" → "Jane Roe"); and when they link to the same knowledge-base entry ("US",
//! "United States"). Demonyms ("Russian president") resolve to their country.

pub mod corpus;
pub mod index;
pub mod link;
pub mod names;

use crate::doc::{is_acronym, Doc, Entity, EntityKind, MentionKind};
use crate::kb::{Kb, KbEntry};
use std::collections::{BTreeSet, HashMap};

pub fn resolve(doc: &mut Doc, kb: &Kb) {
    let names: Vec<usize> = (0..doc.mentions.len())
        .filter(|&i| matches!(doc.mentions[i].kind, MentionKind::Person | MentionKind::Organization | MentionKind::Place | MentionKind::Event | MentionKind::Misc | MentionKind::Nationality))
        .collect();
    let mut clusters = Clusters::new(doc.mentions.len());
    let keys: HashMap<usize, String> = names.iter().map(|&i| (i, name_key(doc.mention_text(&doc.mentions[i])))).collect();

    // Same name, same entity.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for &i in &names {
        if demonym_entry(doc, kb, i).is_some() {
            continue;
        }
        match by_key.get(keys[&i].as_str()) {
            Some(&j) => clusters.union(i, j),
            None => {
                by_key.insert(keys[&i].as_str(), i);
            }
        }
    }
    join_bracketed_acronyms(doc, &names, &mut clusters);
    join_initials(doc, &names, &keys, &mut clusters);
    join_partial_person_names(doc, &names, &keys, &mut clusters);

    // Build entities from clusters.
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for &i in &names {
        groups.entry(clusters.find(i)).or_default().push(i);
    }
    let mut entities = Vec::new();
    let mut roots: Vec<usize> = groups.keys().copied().collect();
    roots.sort_by_key(|r| groups[r].iter().min().copied());
    for root in roots {
        let members = &groups[&root];
        if let Some(entry) = members.iter().find_map(|&i| demonym_entry(doc, kb, i)) {
            // "the Italian side" in a match report is a team, not the country
            if !link::names_a_team(doc, members) {
                entities.push(entity_for_entry(entry, members.clone()));
            }
            continue;
        }
        let Some(mut kind) = vote_kind(doc, members) else { continue };
        if members.iter().all(|&m| is_capitalised_common_word(doc, kb, m)) {
            continue;
        }
        let name = canonical_name(doc, members, kind);
        if kind == EntityKind::Person && !name.contains(' ') && names_only_organizations(kb, &name) {
            // "Labour", "Tories": a one-word "person" the knowledge base knows only as a party
            kind = EntityKind::Organization;
        }
        if kind == EntityKind::Organization && is_acronym(&name) && names_only_a_country(kb, &name) {
            // "US", "UK": the tagger's ORG for a country's abbreviation (its government, at most)
            kind = EntityKind::Place;
        }
        // the other names let the linker try "NATO" when the expansion is spelt unlike the KB's
        let aliases: BTreeSet<String> = members.iter().map(|&m| surface_name(doc.mention_text(&doc.mentions[m]))).filter(|a| *a != name).collect();
        entities.push(Entity { kind, name, aliases: aliases.into_iter().collect(), mentions: members.clone(), link: None });
    }
    doc.entities = entities;
    link::link(doc, kb);
    for entity in &mut doc.entities {
        if let Some(label) = entity.link.as_ref().and_then(|l| l.label.clone()) {
            entity.name = label;
        }
    }
    let entities = merge_same_links(std::mem::take(&mut doc.entities));

    for m in &mut doc.mentions {
        m.entity = None;
    }
    for (index, entity) in entities.iter().enumerate() {
        for &m in &entity.mentions {
            doc.mentions[m].entity = Some(index);
        }
    }
    doc.entities = entities;
    for index in 0..doc.entities.len() {
        let aliases: BTreeSet<String> = doc.entities[index]
            .mentions
            .iter()
            .filter(|&&m| demonym_entry(doc, kb, m).is_none())
            .map(|&m| surface_name(doc.mention_text(&doc.mentions[m])))
            .filter(|s| !s.is_empty())
            .collect();
        // one alias per spelling: "LISBON" in a dateline adds nothing to "Lisbon"
        let mut seen = BTreeSet::from([doc.entities[index].name.to_lowercase()]);
        let mut kept: Vec<String> = Vec::new();
        for alias in aliases.into_iter().rev().filter(|a| a.chars().any(char::is_lowercase) || is_acronym(a)) {
            if seen.insert(alias.to_lowercase()) {
                kept.push(alias);
            }
        }
        kept.sort();
        doc.entities[index].aliases = kept;
    }
}

/// The key under which two written names count as the same name.
pub fn name_key(surface: &str) -> String {
    let s = surface_name(surface);
    let s = s.strip_prefix("the ").or_else(|| s.strip_prefix("The ")).unwrap_or(&s);
    s.replace('.', "").to_lowercase()
}

/// A surface form cleaned for use as a name: curly apostrophes straightened, spaces collapsed,
/// a trailing possessive dropped.
pub fn surface_name(surface: &str) -> String {
    let s: String = surface.replace(['’', 'ʼ'], "'");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = s.strip_suffix("'s").unwrap_or(&s);
    s.trim_end_matches('\'').to_string()
}

fn demonym_entry<'k>(doc: &Doc, kb: &'k Kb, mention: usize) -> Option<KbEntry<'k>> {
    let m = &doc.mentions[mention];
    if !matches!(m.kind, MentionKind::Misc | MentionKind::Nationality) {
        return None;
    }
    let text = doc.mention_text(m);
    kb.demonym(text).or_else(|| continent_of_adjective(kb, text))
}

/// "European", "African", "Asians": the continent whose name the adjective is made of (the
/// name and "-n" or "-an"; the demonym table knows countries only).
fn continent_of_adjective<'k>(kb: &'k Kb, word: &str) -> Option<KbEntry<'k>> {
    let singular = word.strip_suffix('s').unwrap_or(word);
    let stems = [singular.strip_suffix("an"), singular.strip_suffix('n')];
    stems.into_iter().flatten().filter(|stem| stem.len() >= 3).find_map(|stem| {
        let key = crate::kb::normalise::alias_key(stem);
        kb.candidates(stem)
            .into_iter()
            .find(|e| e.class == Some("Continent") && crate::kb::normalise::alias_key(e.label) == key)
    })
}

fn names_only_a_country(kb: &Kb, name: &str) -> bool {
    let candidates = kb.candidates(name);
    candidates.len() == 1 && candidates[0].class == Some("Country")
}

fn names_only_organizations(kb: &Kb, name: &str) -> bool {
    let candidates = kb.candidates(name);
    !candidates.is_empty() && candidates.iter().all(|e| e.kind == EntityKind::Organization)
}

/// A one-word mention that opens its sentence and is an ordinary word in lower case
/// ("Alternatively", "Officials"): capitalised by position, not because it is a name.
fn is_capitalised_common_word(doc: &Doc, kb: &Kb, mention: usize) -> bool {
    let m = &doc.mentions[mention];
    let opens_sentence = doc.sentences.iter().any(|s| s.tokens.start == m.tokens.start)
        || (m.tokens.start > 0 && matches!(doc.token_text(m.tokens.start - 1), ":" | "\"" | "“" | "‘" | "(" | "-" | "—"));
    m.tokens.len() == 1 && opens_sentence && kb.is_common_word(doc.mention_text(m))
}

/// "Islamic State (IS)": the bracketed acronym names the mention before it. A person's brackets
/// give an affiliation ("Jane Roe (U.S.)" in a results list, "(R-Texas)"), never a short name, and
/// an acronym must at least start as its long form does: "Federal Security Service (FSB)" keeps a
/// transliterated acronym, "Acme Corp (US)" does not join the country.
fn join_bracketed_acronyms(doc: &Doc, names: &[usize], clusters: &mut Clusters) {
    for pair in names.windows(2) {
        let (full, short) = (&doc.mentions[pair[0]], &doc.mentions[pair[1]]);
        let bracketed = short.tokens.start == full.tokens.end + 1
            && doc.token_text(full.tokens.end) == "("
            && doc.tokens.get(short.tokens.end).is_some_and(|t| doc.slice(&t.span) == ")");
        let short_text = doc.mention_text(short);
        let same_first_letter = short_text.chars().find(|c| c.is_alphanumeric()) == doc.initials(full.tokens.clone()).chars().next();
        if bracketed && is_acronym(short_text) && full.tokens.len() > 1 && full.kind != MentionKind::Person && same_first_letter {
            clusters.union(pair[0], pair[1]);
        }
    }
}

/// "UN" spells "United Nations"; "G20" spells "Group of 20". Joined when exactly one longer name
/// of the article fits.
fn join_initials(doc: &Doc, names: &[usize], keys: &HashMap<usize, String>, clusters: &mut Clusters) {
    let mut by_initials: HashMap<String, BTreeSet<&str>> = HashMap::new();
    let mut first_with_key: HashMap<&str, usize> = HashMap::new();
    for &i in names {
        let m = &doc.mentions[i];
        if m.tokens.len() < 2 || m.kind == MentionKind::Person {
            continue;
        }
        first_with_key.entry(keys[&i].as_str()).or_insert(i);
        by_initials.entry(doc.initials(m.tokens.clone())).or_default().insert(keys[&i].as_str());
    }
    for &i in names {
        let text = doc.mention_text(&doc.mentions[i]).replace('.', "");
        if !is_acronym(&text) && !text.chars().any(|c| c.is_ascii_digit()) || doc.mentions[i].tokens.len() != 1 {
            continue;
        }
        if let Some(expansions) = by_initials.get(&text) {
            if expansions.len() == 1 {
                let key = *expansions.iter().next().expect("one expansion");
                clusters.union(i, first_with_key[key]);
            }
        }
    }
}

/// A lone name joins the one person named in full whose last (or else first) name it is, whatever
/// it was typed as. With two candidates ("Ed Miliband", "David Miliband") it stays apart.
fn join_partial_person_names(doc: &Doc, names: &[usize], keys: &HashMap<usize, String>, clusters: &mut Clusters) {
    let full: Vec<usize> = names
        .iter()
        .copied()
        .filter(|&i| doc.mentions[i].kind == MentionKind::Person && doc.mentions[i].tokens.len() >= 2)
        .collect();
    for &i in names {
        let m = &doc.mentions[i];
        // any kind: the article naming a person in full outweighs a gazetteer's town of that name
        if m.tokens.len() != 1 || is_acronym(doc.mention_text(m)) {
            continue;
        }
        let key = &keys[&i];
        let by_position = |last: bool| -> BTreeSet<&str> {
            full.iter()
                .filter(|&&f| {
                    let toks = &doc.mentions[f].tokens;
                    let t = if last { toks.end - 1 } else { toks.start };
                    name_key(doc.token_text(t)) == *key
                })
                .map(|&f| keys[&f].as_str())
                .collect()
        };
        let mut matches = by_position(true);
        if matches.is_empty() {
            matches = by_position(false);
        }
        if matches.is_empty() {
            matches = short_organization_name(doc, names, keys, key);
        }
        if matches.len() == 1 {
            let target = matches.into_iter().next().expect("one match");
            if let Some(&f) = names.iter().find(|&&f| keys[&f] == target && doc.mentions[f].tokens.len() >= 2) {
                clusters.union(i, f);
            }
        }
    }
}

/// "Acme" for "Acme Holdings": the one organization of the article whose name starts with this
/// word and goes on with a company or institution word.
fn short_organization_name<'a>(doc: &Doc, names: &[usize], keys: &'a HashMap<usize, String>, key: &str) -> BTreeSet<&'a str> {
    names
        .iter()
        .filter(|&&f| {
            let m = &doc.mentions[f];
            m.kind == MentionKind::Organization
                && m.tokens.len() >= 2
                && name_key(doc.token_text(m.tokens.start)) == key
                && !is_acronym(doc.token_text(m.tokens.start))
        })
        .map(|&f| keys[&f].as_str())
        .collect()
}

/// The cluster's kind by majority of its typed mentions; `None` when none is typed (a lone
/// capitalised word that matched nobody).
fn vote_kind(doc: &Doc, members: &[usize]) -> Option<EntityKind> {
    let mut votes: HashMap<EntityKind, usize> = HashMap::new();
    for &m in members {
        if let Some(kind) = doc.mentions[m].kind.entity_kind() {
            // longer mentions carry more evidence
            *votes.entry(kind).or_default() += doc.mentions[m].tokens.len();
        }
    }
    votes.into_iter().max_by_key(|&(kind, n)| (n, std::cmp::Reverse(kind))).map(|(kind, _)| kind)
}

/// The fullest written form: most tokens, then longest, acronyms only when nothing else.
fn canonical_name(doc: &Doc, members: &[usize], kind: EntityKind) -> String {
    members
        .iter()
        .map(|&m| (&doc.mentions[m], surface_name(doc.mention_text(&doc.mentions[m]))))
        .filter(|(m, _)| m.kind.entity_kind() == Some(kind) || m.kind == MentionKind::Misc)
        .max_by_key(|(m, s)| (!is_acronym(s), m.tokens.len(), s.chars().count(), std::cmp::Reverse(m.span.start)))
        .map(|(_, s)| s.strip_prefix("the ").or_else(|| s.strip_prefix("The ")).unwrap_or(&s).to_string())
        .unwrap_or_default()
}

fn entity_for_entry(entry: KbEntry<'_>, mentions: Vec<usize>) -> Entity {
    Entity { kind: entry.kind, name: entry.label.to_string(), aliases: Vec::new(), mentions, link: Some(link::to_link(&entry)) }
}

/// Entities linked to the same knowledge-base entry are one ("US" and "United States").
fn merge_same_links(entities: Vec<Entity>) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len());
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for entity in entities {
        let id = entity.link.as_ref().map(|l| l.id.clone());
        match id.as_ref().and_then(|id| by_id.get(id)) {
            Some(&k) => out[k].mentions.extend(entity.mentions),
            None => {
                if let Some(id) = id {
                    by_id.insert(id, out.len());
                }
                out.push(entity);
            }
        }
    }
    for e in &mut out {
        e.mentions.sort_unstable();
    }
    out
}

/// Union-find over mention indices.
struct Clusters {
    parent: Vec<usize>,
}

impl Clusters {
    fn new(n: usize) -> Clusters {
        Clusters { parent: (0..n).collect() }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Article, Mention};

    /// Resolves `text` with the given mentions (surface, kind), each found at its every
    /// occurrence, so the test does not depend on the recogniser.
    fn entities(text: &str, mentions: &[(&str, MentionKind)]) -> Vec<(String, EntityKind, Vec<String>)> {
        let mut doc = Doc::new(Article { body: text.into(), ..Article::default() });
        crate::segment::segment(&mut doc);
        for (surface, kind) in mentions {
            let n = surface.split(' ').count();
            for start in 0..doc.tokens.len().saturating_sub(n - 1) {
                let span = doc.tokens_span(start..start + n);
                let whole = doc.slice(&span) == *surface;
                let overlaps = doc.mentions.iter().any(|m| m.tokens.start < start + n && start < m.tokens.end);
                if whole && !overlaps {
                    doc.mentions.push(Mention { span, tokens: start..start + n, kind: *kind, entity: None });
                }
            }
        }
        doc.mentions.sort_by_key(|m| m.span.start);
        resolve(&mut doc, &Kb::default());
        let mut out: Vec<_> = doc.entities.iter().map(|e| (e.name.clone(), e.kind, e.aliases.clone())).collect();
        out.sort();
        out
    }

    use MentionKind::{Misc, Organization as Org, Person, Place};

    #[test]
    fn surnames_and_possessives_join_the_full_name() {
        let got = entities(
            "Jane Roe arrived. Later Roe spoke, and Roe's aides left.",
            &[("Jane Roe", Person), ("Roe", Person)],
        );
        assert_eq!(got, [("Jane Roe".to_string(), EntityKind::Person, vec!["Roe".to_string()])]);
    }

    #[test]
    fn a_surname_typed_as_a_place_still_joins_the_person() {
        let got = entities("Jane Dover spoke. Dover left.", &[("Jane Dover", Person), ("Dover", Place)]);
        assert_eq!(got, [("Jane Dover".to_string(), EntityKind::Person, vec!["Dover".to_string()])]);
    }

    #[test]
    fn ambiguous_surnames_stay_apart() {
        let got = entities("Ann Lee met Bob Lee. Then Lee left.", &[("Ann Lee", Person), ("Bob Lee", Person), ("Lee", Person)]);
        assert!(got.iter().all(|e| e.2.is_empty()), "{got:?}");
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn acronyms_join_their_expansion() {
        let got = entities(
            "The Ruritanian Liberation Front (RLF) met the Council of Nine Regions and the Group of 12. \
             Later the RLF, the CNR and the G12 agreed.",
            &[
                ("Ruritanian Liberation Front", Org),
                ("RLF", Org),
                ("Council of Nine Regions", Org),
                ("CNR", Org),
                ("Group of 12", Org),
                ("G12", Misc),
            ],
        );
        let find = |n: &str| got.iter().find(|e| e.0 == n).unwrap_or_else(|| panic!("{n} missing in {got:?}"));
        assert_eq!(find("Ruritanian Liberation Front").2, ["RLF"]);
        assert_eq!(find("Council of Nine Regions").2, ["CNR"]);
        assert_eq!(find("Group of 12").2, ["G12"]);
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn a_bracketed_country_after_a_name_is_not_its_acronym() {
        let got = entities(
            "Jane Roe (U.S.) beat Ann Doe (France). Acme Holdings (UK) grew.",
            &[("Jane Roe", Person), ("U.S.", Place), ("Ann Doe", Person), ("France", Place), ("Acme Holdings", Org), ("UK", Place)],
        );
        let find = |n: &str| got.iter().find(|e| e.0 == n).unwrap_or_else(|| panic!("{n} missing in {got:?}"));
        assert!(find("Jane Roe").2.is_empty(), "{got:?}");
        assert!(find("Acme Holdings").2.is_empty(), "{got:?}");
        assert_eq!(find("U.S.").1, EntityKind::Place, "{got:?}");
    }

    #[test]
    fn short_company_names_join_the_full_name() {
        let got = entities("Acme Holdings grew. Acme said so.", &[("Acme Holdings", Org), ("Acme", Org)]);
        assert_eq!(got, [("Acme Holdings".to_string(), EntityKind::Organization, vec!["Acme".to_string()])]);
    }

    #[test]
    fn keys_ignore_case_periods_and_the() {
        assert_eq!(name_key("the U.S."), name_key("US"));
        assert_eq!(name_key("Varga’s"), "varga");
    }
}
