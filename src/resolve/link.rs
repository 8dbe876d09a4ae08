//! Knowledge-base linking: gives each entity of an article a [`KbLink`] when the knowledge base
//! knows it and the choice is safe.
//!
//! Candidates come from the entity's canonical name (its aliases only when the name finds none)
//! through [`Kb::candidates`], keeping those of the entity's kind. Among them:
//! - places: a country beats a continent, which beats a state or city of the same name; a state
//!   and a city share a name ("New York", "Washington") → the city when it is a big US city, else
//!   the state; several cities → the one in a country the article mentions (in its dateline or
//!   as another place or a demonym), else the most populous when it is five times bigger than the
//!   next (context never makes a town under 100,000 beat a namesake five times its size); a small
//!   city is linked only with such context;
//! - organizations: one international organization; a political party of a country the article
//!   or one of its parties names (also when named without "Party": "Labour"), or the only party
//!   with that name in the world when the name is written in full (three words or more);
//! - people and events (user knowledge bases only): the only candidate, or the only one of a
//!   country the article mentions.
//!
//! A city under a million people is linked only when one of its mentions reads as a place ("in
//! Leeds", "Portland, Maine", the dateline): smaller cities share names with firms and brands
//! ("Nokia", "Batman", "Mercedes").
//!
//! Parties dissolved more than ten years before the article are history, not news ("Tories" is
//! also an 18th-century party). In a sports report, a country or city named as a team ("beat
//! Italy", "Wales coach") is not linked: the team is not the place.
//!
//! Precision first: when the rules leave more than one choice, or an alias points elsewhere, the
//! entity stays unlinked. Metonymy stays apart by construction: "the Kremlin" matches no country.

use crate::doc::{Doc, Entity, EntityKind, KbLink, MentionKind};
use crate::kb::{normalise, Kb, KbEntry};
use std::collections::BTreeSet;

/// A place with fewer people than this is linked only when its country is in the article.
const SMALL_CITY: u64 = 100_000;
/// The most populous candidate city wins without context when it is this many times bigger.
const DOMINANCE: u64 = 5;
/// A US city this big is what news means by a name it shares with a state.
const BIG_US_CITY: u64 = 500_000;

/// Links the entities of `doc` to `kb` (sets [`Entity::link`]); entities already linked keep
/// their link.
pub fn link(doc: &mut Doc, kb: &Kb) {
    let anchors = Anchors::of(doc, kb);
    let sports_report = is_sports_report(doc);
    let mut links = Vec::with_capacity(doc.entities.len());
    for (i, entity) in doc.entities.iter().enumerate() {
        let chosen = match entity.link {
            Some(_) => None,
            // In a sports report, a country or city named as a team ("beat Italy", "Wales
            // coach") is not the place: no link, whatever the recogniser typed it as.
            None if sports_report && entity.kind == EntityKind::Place && named_as_team(doc, &entity.mentions) => None,
            // An entity is no context for itself: "Georgia" must not vouch for Georgia.
            None => choose(entity, kb, &anchors.context_without(i))
                .filter(|entry| !needs_a_place_reading(entry) || read_as_place(doc, kb, &entity.mentions)),
        };
        links.push(chosen.map(to_link));
    }
    for (entity, link) in doc.entities.iter_mut().zip(links) {
        if link.is_some() {
            entity.link = link;
        }
    }
}

/// Cities smaller than this share their names with firms, brands and people ("Batman",
/// "Nokia", "Mercedes"): they are linked only where the text reads them as places.
const WORLD_CITY: u64 = 1_000_000;
/// Words before a name that make it a place ("in Leeds", "from Omaha").
const PLACE_CUES_BEFORE: &[&str] = &[
    "in", "at", "from", "near", "outside", "around", "across", "into", "towards", "toward", "via", "between",
    "throughout", "inside", "visit", "visited", "visiting",
];

/// Whether linking this entry needs a mention that reads as a place: a city below world size.
fn needs_a_place_reading(entry: &KbEntry) -> bool {
    class_is(entry, "City") && entry.population.unwrap_or(0) < WORLD_CITY
}

/// True when a mention reads as a place: after a locative word ("in Leeds"; not when the name
/// is also an ordinary word, as "in Man Utd" shows), before a comma and another name
/// ("Portland, Maine"), or in the dateline. Entities without mentions (built by hand) are read
/// as places.
fn read_as_place(doc: &Doc, kb: &Kb, mentions: &[usize]) -> bool {
    if mentions.is_empty() {
        return true;
    }
    let dateline = doc.dateline_span();
    let word = |i: usize| doc.tokens.get(i).and_then(|t| doc.text.get(t.span.clone()));
    mentions.iter().filter_map(|&m| doc.mentions.get(m)).any(|mention| {
        let in_dateline = dateline.as_ref().is_some_and(|d| d.start <= mention.span.start && mention.span.end <= d.end);
        let before = mention.tokens.start.checked_sub(1).and_then(word).map(str::to_lowercase);
        let ordinary_word = doc.text.get(mention.span.clone()).is_some_and(|t| kb.is_common_word(t));
        let locative = !ordinary_word && before.as_deref().is_some_and(|w| PLACE_CUES_BEFORE.contains(&w));
        let then_region = word(mention.tokens.end) == Some(",")
            && word(mention.tokens.end + 1).is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
        in_dateline || locative || then_region
    })
}

/// Words before a name that make it a side in a match ("against Italy", "beat Wales").
const TEAM_CUES_BEFORE: &[&str] =
    &["against", "beat", "beating", "beaten", "v", "vs", "versus", "face", "faces", "facing", "host", "hosts", "hosting"];
/// Nouns that make "game with X", "draw with X" a match against X.
const MATCH_NOUNS: &[&str] = &["game", "match", "draw", "clash", "friendly", "tie", "win", "victory", "defeat"];
/// Words after a name (or after its possessive) that make it a team ("Wales coach", "Italy's
/// friendly").
const TEAM_CUES_AFTER: &[&str] = &[
    "manager", "coach", "captain", "skipper", "squad", "team", "side", "international", "internationals", "boss",
    "striker", "midfielder", "defender", "goalkeeper", "winger", "centre", "fly-half", "scrum-half", "flanker", "prop",
    "hooker", "lock", "full-back", "friendly", "game", "match", "fans", "supporters", "players", "win", "victory",
    "defeat", "have",
];
/// Words that make an article a sports report, where countries and cities name teams.
const SPORTS_WORDS: &[&str] = &[
    "match", "matches", "goal", "goals", "league", "cup", "championship", "championships", "tournament", "squad",
    "coach", "striker", "rugby", "football", "cricket", "tennis", "scored", "friendly", "fixture", "qualifier",
    "qualifiers", "semi-final", "final", "kick-off", "innings", "wicket", "penalty", "penalties",
    "kicker", "referee", "flanker", "fly-half", "scrum-half", "midfielder", "defender", "goalkeeper", "winger",
];

/// True when the article reads as a sports report (three sports words or more), where "against
/// Italy" or "Wales have" name teams rather than countries.
fn is_sports_report(doc: &Doc) -> bool {
    let mut count = 0;
    for token in &doc.tokens {
        let Some(text) = doc.text.get(token.span.clone()) else { continue };
        if SPORTS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(text)) {
            count += 1;
            if count >= 3 {
                return true;
            }
        }
    }
    false
}

/// True when these mentions name a sports team rather than a place: the article is a sports
/// report and one of them reads as a side in a match ("beat Italy", "the Italian game"). For
/// resolvers that link by other paths (demonyms) and want the same guard.
pub fn names_a_team(doc: &Doc, mentions: &[usize]) -> bool {
    is_sports_report(doc) && named_as_team(doc, mentions)
}

/// True when one of the mentions reads as a sports team: "beat Italy", "draw with Fulham",
/// "Wales coach", "Italy's friendly", "Bath have signed".
fn named_as_team(doc: &Doc, mentions: &[usize]) -> bool {
    let word = |i: usize| doc.tokens.get(i).and_then(|t| doc.text.get(t.span.clone())).map(str::to_lowercase);
    mentions.iter().filter_map(|&m| doc.mentions.get(m)).any(|mention| {
        let (start, end) = (mention.tokens.start, mention.tokens.end);
        let before = start.checked_sub(1).and_then(word);
        let before_that = start.checked_sub(2).and_then(word);
        let mut after = word(end);
        let mut after_that = word(end + 1);
        if matches!(after.as_deref(), Some("'s" | "’s" | "'")) {
            after = word(end + 1);
            after_that = word(end + 2);
        }
        // "Moldova at home", "Italy away".
        let venue = after.as_deref() == Some("away")
            || (after.as_deref() == Some("at") && matches!(after_that.as_deref(), Some("home")));
        let cue_before = before.as_deref().is_some_and(|w| TEAM_CUES_BEFORE.contains(&w))
            || (before.as_deref() == Some("with") && before_that.as_deref().is_some_and(|w| MATCH_NOUNS.contains(&w)))
            || (before.as_deref() == Some("over") && before_that.as_deref().is_some_and(|w| MATCH_NOUNS.contains(&w)));
        venue || cue_before || after.as_deref().is_some_and(|w| TEAM_CUES_AFTER.contains(&w))
    })
}

/// What the article says about where it happens.
#[derive(Debug, Default, Clone)]
struct ArticleContext {
    /// ISO2 codes of countries the article names, directly, by demonym, by a state or a
    /// well-known city, or in its dateline.
    countries: BTreeSet<String>,
    /// (country, region code) of the states the article names ("Maine" → ("US", "ME")).
    regions: BTreeSet<(String, String)>,
    /// Ids of the places the dateline's parts may name.
    dateline_places: BTreeSet<String>,
    /// The publication year, when known.
    year: Option<i16>,
}

/// Where each entity puts the article (a place's country and state, a party's country), and
/// what the dateline and demonyms say.
struct Anchors {
    by_entity: Vec<Option<(String, Option<String>)>>,
    shared: ArticleContext,
}

impl Anchors {
    fn of(doc: &Doc, kb: &Kb) -> Anchors {
        let mut shared = ArticleContext { year: doc.article.published_date().map(|d| d.year()), ..ArticleContext::default() };
        let by_entity = doc
            .entities
            .iter()
            .map(|e| match (&e.link, e.kind) {
                (Some(link), _) => kb.get(&link.id).and_then(|entry| entry.country.clone()).map(|c| (c, None)),
                (None, EntityKind::Place) => anchor(kb, &e.name),
                (None, EntityKind::Organization) => party_anchor(kb, &e.name),
                _ => None,
            })
            .collect();
        for mention in doc.mentions.iter().filter(|m| m.kind == MentionKind::Misc) {
            let Some(text) = doc.text.get(mention.span.clone()) else { continue };
            if let Some(country) = kb.demonym(text).and_then(|e| e.country.clone()) {
                shared.countries.insert(country);
            }
        }
        let dateline = doc.article.dateline.as_ref().and_then(|d| d.place.as_deref());
        for part in dateline.into_iter().flat_map(|place| place.split(',')).map(str::trim) {
            shared.add(anchor(kb, part));
            // "PORTLAND, Maine": every Portland may be the dateline's place; the state, the
            // country or the other places decide between them.
            shared.dateline_places.extend(places_of(kb.candidates(part)).iter().map(|e| e.id.clone()));
        }
        Anchors { by_entity, shared }
    }

    fn context_without(&self, entity: usize) -> ArticleContext {
        let mut context = self.shared.clone();
        for (i, anchor) in self.by_entity.iter().enumerate() {
            if i != entity {
                context.add(anchor.clone());
            }
        }
        context
    }
}

impl ArticleContext {
    fn add(&mut self, anchor: Option<(String, Option<String>)>) {
        let Some((country, region)) = anchor else { return };
        if let Some(region) = region {
            self.regions.insert((country.clone(), region));
        }
        self.countries.insert(country);
    }
}

/// Where a place name, read without context, puts the article: its country, and its region
/// when it is a state.
fn anchor(kb: &Kb, name: &str) -> Option<(String, Option<String>)> {
    let place = choose_place(name, &places_of(kb.candidates(name)), &ArticleContext::default())?;
    let region = place.region.clone().filter(|_| class_is(place, "State"));
    Some((place.country.clone()?, region))
}

/// The country of the party a name, read without context, stands for ("UK Independence Party").
fn party_anchor(kb: &Kb, name: &str) -> Option<(String, Option<String>)> {
    let organizations: Vec<&KbEntry> =
        kb.candidates(name).into_iter().filter(|e| e.kind == EntityKind::Organization).collect();
    let party = choose_organization(name, &organizations, &ArticleContext::default())?;
    Some((party.country.clone().filter(|_| class_is(party, "PoliticalParty"))?, None))
}

fn places_of(candidates: Vec<&KbEntry>) -> Vec<&KbEntry> {
    candidates.into_iter().filter(|e| e.kind == EntityKind::Place).collect()
}

fn choose<'kb>(entity: &Entity, kb: &'kb Kb, context: &ArticleContext) -> Option<&'kb KbEntry> {
    let of_kind = |name: &str| -> Vec<&'kb KbEntry> {
        let mut found: Vec<&KbEntry> = kb.candidates(name).into_iter().filter(|e| e.kind == entity.kind).collect();
        // A newsroom's own entries outrank the bundled ones outright.
        if found.iter().any(|e| kb.is_user_entry(e)) {
            found.retain(|e| kb.is_user_entry(e));
        }
        found
    };
    let by_name = of_kind(&entity.name);
    let demonym = || kb.demonym(&entity.name).filter(|_| entity.kind == EntityKind::Place);
    let chosen = if !by_name.is_empty() {
        decide(entity.kind, &entity.name, &by_name, context)?
    } else if let Some(country) = demonym() {
        // A place recorded by its demonym ("Russian" for Russia).
        country
    } else if let Some(party) = party_by_short_name(entity, &of_kind, context) {
        party
    } else {
        choose_by_aliases(entity, &of_kind, context)?
    };
    // An alias that names other things, not this one, means the cluster or the match is wrong.
    // Abbreviations are exempt: "BNP" names parties in several countries.
    for alias in entity.aliases.iter().filter(|a| !normalise::is_abbreviation(a)) {
        let found = of_kind(alias);
        if !found.is_empty() && !found.iter().any(|e| e.id == chosen.id) {
            return None;
        }
    }
    Some(chosen)
}

/// A party named without "Party" ("Labour", "Conservatives"): a party of a country the
/// article names whose label is the name plus "Party", when exactly one fits.
fn party_by_short_name<'kb>(
    entity: &Entity,
    of_kind: &dyn Fn(&str) -> Vec<&'kb KbEntry>,
    context: &ArticleContext,
) -> Option<&'kb KbEntry> {
    if entity.kind != EntityKind::Organization || entity.name.split_whitespace().count() != 1 {
        return None;
    }
    let singular = entity.name.strip_suffix('s').filter(|stem| stem.len() > 2);
    let mut found: Vec<&KbEntry> = Vec::new();
    for stem in std::iter::once(entity.name.as_str()).chain(singular) {
        found.extend(
            of_kind(&format!("{stem} Party")).into_iter().filter(|e| class_is(e, "PoliticalParty") && current(e, context)),
        );
    }
    unique(found.into_iter().filter(|p| in_context(p, context)))
}

/// When the canonical name is unknown: the entry every alias with candidates agrees on.
fn choose_by_aliases<'kb>(
    entity: &Entity,
    of_kind: &dyn Fn(&str) -> Vec<&'kb KbEntry>,
    context: &ArticleContext,
) -> Option<&'kb KbEntry> {
    // An entity written out in full under a name the KB lacks ("International Olympic
    // Committee") is not whatever its abbreviation means in the KB ("IOC": an olive council).
    let written_out = !normalise::is_abbreviation(&entity.name);
    let mut chosen: Option<&KbEntry> = None;
    for alias in entity.aliases.iter().filter(|a| !(written_out && normalise::is_abbreviation(a))) {
        let found = of_kind(alias);
        if found.is_empty() {
            continue;
        }
        let entry = decide(entity.kind, alias, &found, context)?;
        if chosen.is_some_and(|c| c.id != entry.id) {
            return None;
        }
        chosen = Some(entry);
    }
    chosen
}

/// The entry `name` (which found `candidates`) stands for, if the rules single one out.
fn decide<'kb>(
    kind: EntityKind,
    name: &str,
    candidates: &[&'kb KbEntry],
    context: &ArticleContext,
) -> Option<&'kb KbEntry> {
    match kind {
        EntityKind::Place => choose_place(name, candidates, context),
        EntityKind::Organization => choose_organization(name, candidates, context),
        EntityKind::Person | EntityKind::Event => only_or_in_context(candidates, context),
    }
}

fn class_is(entry: &KbEntry, class: &str) -> bool {
    entry.class.as_deref() == Some(class)
}

fn in_context(entry: &KbEntry, context: &ArticleContext) -> bool {
    entry.country.as_ref().is_some_and(|c| context.countries.contains(c))
}

fn choose_place<'kb>(name: &str, candidates: &[&'kb KbEntry], context: &ArticleContext) -> Option<&'kb KbEntry> {
    let of_class = |class: &str| -> Vec<&'kb KbEntry> {
        candidates.iter().copied().filter(|e| class_is(e, class)).collect()
    };
    let countries = of_class("Country");
    let states = of_class("State");
    let mut cities = of_class("City");
    cities.sort_by_key(|e| std::cmp::Reverse(e.population.unwrap_or(0)));
    // GeoNames gives some towns a neighbour's name as an alternate ("Cambridge" for Newton,
    // Massachusetts): a town found only by an alternate name counts when it is bigger than
    // every town that bears the name ("St. Petersburg" is Saint Petersburg, not Florida's).
    let key = normalise::alias_key(name);
    let biggest_bearer = cities
        .iter()
        .filter(|c| normalise::alias_key(&c.label) == key)
        .map(|c| c.population.unwrap_or(0))
        .max();
    if let Some(biggest) = biggest_bearer {
        cities.retain(|c| normalise::alias_key(&c.label) == key || c.population.unwrap_or(0) > biggest);
    }
    if !countries.is_empty() {
        // "Georgia" in an article set in the US is the state.
        if !states.is_empty() && context.countries.contains("US") && !countries.iter().any(|c| in_context(c, context)) {
            return None;
        }
        return match countries.as_slice() {
            [country] => Some(country),
            _ => unique(countries.iter().copied().filter(|c| in_context(c, context))),
        };
    }
    if let [continent] = of_class("Continent").as_slice() {
        return Some(continent);
    }
    if let Some(&state) = states.first() {
        let big_city = cities
            .first()
            .copied()
            .filter(|c| c.country.as_deref() == Some("US") && c.population.unwrap_or(0) >= BIG_US_CITY);
        return match (states.len(), big_city) {
            (1, Some(city)) => Some(city),
            (1, None) => Some(state),
            _ => None,
        };
    }
    if cities.is_empty() {
        // User classes (Landform, Building, plain places): only when unambiguous.
        return only_or_in_context(candidates, context);
    }
    // The dateline names the place the article is written from.
    let in_dateline: Vec<&KbEntry> = cities.iter().copied().filter(|c| context.dateline_places.contains(&c.id)).collect();
    let supported: Vec<&KbEntry> = cities.iter().copied().filter(|c| in_context(c, context)).collect();
    let in_region = |c: &&KbEntry| match (&c.country, &c.region) {
        (Some(country), Some(region)) => context.regions.contains(&(country.clone(), region.clone())),
        _ => false,
    };
    let groups = [
        in_dateline.iter().copied().filter(in_region).collect::<Vec<_>>(),
        cities.iter().copied().filter(in_region).collect(),
        in_dateline.iter().copied().filter(|c| in_context(c, context)).collect(),
        supported,
    ];
    for (level, group) in groups.into_iter().enumerate() {
        if let Some(city) = dominant(&group) {
            // That the article names a country is weak evidence for a small town there when a
            // far bigger namesake exists elsewhere (a US article's "Geneva" is still most likely
            // the Swiss city, not Geneva, New York); that it names the town's state is strong.
            let country_level = level >= 2;
            if country_level && city.population.unwrap_or(0) < SMALL_CITY {
                if let Some(top) = dominant(&cities).filter(|top| top.id != city.id) {
                    return Some(top);
                }
            }
            return Some(city);
        }
        if group.len() > 1 {
            return None;
        }
    }
    let city = dominant(&cities)?;
    let known_without_context = city.population.unwrap_or(0) >= SMALL_CITY;
    known_without_context.then_some(city)
}

/// The first (most populous) city when it is the only one or much bigger than the next.
fn dominant<'kb>(cities: &[&'kb KbEntry]) -> Option<&'kb KbEntry> {
    match cities {
        [] => None,
        [only] => Some(only),
        [first, second, ..] => {
            let (a, b) = (first.population.unwrap_or(0), second.population.unwrap_or(0));
            (a >= b.saturating_mul(DOMINANCE) && a > 0).then_some(first)
        }
    }
}

/// Whether an organization still existed when the article was written (within ten years: news
/// looks back a little). Without a date, organizations dissolved before 1990 are history.
fn current(entry: &KbEntry, context: &ArticleContext) -> bool {
    let year = context.year.map_or(2000, i32::from);
    entry.dissolved.is_none_or(|dissolved| dissolved + 10 >= year)
}

fn choose_organization<'kb>(name: &str, candidates: &[&'kb KbEntry], context: &ArticleContext) -> Option<&'kb KbEntry> {
    // "Tories" is also the 18th-century party's name: dissolved parties are not today's news.
    let candidates: Vec<&KbEntry> = candidates.iter().copied().filter(|e| current(e, context)).collect();
    let organizations: Vec<&KbEntry> =
        candidates.iter().copied().filter(|e| class_is(e, "InternationalOrganization")).collect();
    let parties: Vec<&KbEntry> = candidates.iter().copied().filter(|e| class_is(e, "PoliticalParty")).collect();
    if organizations.len() + parties.len() < candidates.len() {
        // User classes (companies, teams): alone, or not at all.
        return if organizations.is_empty() && parties.is_empty() { only_or_in_context(&candidates, context) } else { None };
    }
    let parties_in_context: Vec<&KbEntry> = parties.iter().copied().filter(|p| in_context(p, context)).collect();
    match (organizations.as_slice(), parties_in_context.as_slice(), parties.as_slice()) {
        ([organization], [], _) => Some(organization),
        ([], [party], _) => Some(party),
        // The only party of that name in the world, named in full (three words or more: two-word
        // names such as "Meeting Point" are often something else).
        ([], [], [party]) if name.split_whitespace().count() >= 3 && !normalise::is_abbreviation(name) => Some(party),
        _ => None,
    }
}

fn only_or_in_context<'kb>(candidates: &[&'kb KbEntry], context: &ArticleContext) -> Option<&'kb KbEntry> {
    match candidates {
        [only] => Some(only),
        _ => unique(candidates.iter().copied().filter(|e| in_context(e, context))),
    }
}

fn unique<'kb>(mut entries: impl Iterator<Item = &'kb KbEntry>) -> Option<&'kb KbEntry> {
    let first = entries.next()?;
    entries.next().is_none().then_some(first)
}

/// The link that names `entry`.
pub fn to_link(entry: &KbEntry) -> KbLink {
    KbLink {
        id: entry.id.clone(),
        wikidata: entry.wikidata.clone(),
        geonames: entry.geonames,
        class: entry.class.clone(),
        lat: entry.lat,
        long: entry.long,
        label: Some(entry.label.clone()),
    }
}
