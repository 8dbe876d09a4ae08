//! Knowledge-base linking: gives each entity of an article a [`KbLink`] when the knowledge base
//! knows it and the choice is safe, with a confidence.
//!
//! Candidates come from the entity's canonical name (its aliases only when the name finds none)
//! through [`Kb::candidates`], keeping those of the entity's kind (the tagger's type). Among them:
//! - places: a country beats a continent, which beats a state, a subdivision or a city of the
//!   same name; a state and a city share a name ("New York", "Washington") → the city when it is a
//!   big US city, else the state; a subdivision and a city → the city when it has 100,000 people
//!   ("Geneva", "Madrid"), else the subdivision; several cities → the one in a country the
//!   article mentions (in its dateline or as another place or a demonym), else the most populous
//!   when it is five times bigger than the next (context never makes a town under 100,000 beat a
//!   namesake five times its size); a small city is linked only with such context;
//! - organizations: one international organization; a political party of a country the article
//!   or one of its parties names (also when named without "Party": "Labour"), or the only party
//!   with that name in the world when the name is written in full (three words or more); any other
//!   organization (companies, media, clubs, government bodies) when it is the only one of its name,
//!   or the only one of a country the article names, or far more widely known (sitelinks);
//! - people: never by a bare surname; a full name that only one person in the knowledge base bears,
//!   when nothing in the article contradicts what the KB knows (a politician's countries against
//!   the countries the article names, a legislator in a sports report), or a namesake the article
//!   agrees with (a country, a party, or the person's title next to the name);
//! - events: the only candidate, or the only one of a country the article mentions.
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
/// their link. Places and organizations first; people after them, so the parties and countries
/// that were linked can speak for or against a person.
pub fn link(doc: &mut Doc, kb: &Kb) {
    let sports_report = is_sports_report(doc);
    let sport = sports_report.then(|| article_sport(doc)).flatten();
    for pass in [Pass::PlacesAndOrganizations, Pass::People] {
        let wanted = |e: &Entity| e.link.is_none() && (e.kind == EntityKind::Person) == (pass == Pass::People);
        if !doc.entities.iter().any(wanted) {
            continue;
        }
        let anchors = Anchors::of(doc, kb);
        let mut links = Vec::with_capacity(doc.entities.len());
        for (i, entity) in doc.entities.iter().enumerate() {
            let in_pass = (entity.kind == EntityKind::Person) == (pass == Pass::People);
            // An entity is no context for itself: "Georgia" must not vouch for Georgia.
            let as_usual = || {
                let mut context = anchors.context_without(i);
                context.sports_report = sports_report;
                choose(doc, entity, kb, &context)
                    .filter(|(entry, _)| !needs_a_place_reading(entry) || read_as_place(doc, kb, &entity.mentions))
            };
            let chosen = match entity.link {
                Some(_) => None,
                _ if !in_pass => None,
                // In a sports report, a country or city named as a team ("beat Italy", "Wales
                // coach") is not the place: no link, whatever the recogniser typed it as.
                // It is the team of that place in the article's sport, when the KB has exactly one.
                // In a report of an individual sport (cycling results), where no team sport
                // stands out, the side is the nationality its riders carry ("Jane Roe (Russia)").
                None if sports_report && entity.kind == EntityKind::Place && named_as_team(doc, &entity.mentions) => {
                    choose_team(entity, kb, sport).or_else(|| {
                        (sport.is_none() && read_as_place_or_nationality(doc, kb, &entity.mentions)).then(as_usual).flatten()
                    })
                }
                // Elsewhere in one, places are teams too ("Japan 2 Syria 1") unless the text
                // reads them as places ("in Berlin") or nationalities ("Jane Roe (Kenya)").
                None if sports_report && entity.kind == EntityKind::Place && !read_as_place_or_nationality(doc, kb, &entity.mentions) => {
                    choose_team(entity, kb, sport)
                }
                None => {
                    as_usual()
                        // An organization of a sports report that the rules leave unlinked
                        // ("CHICAGO", "Belgium" as the tagger's ORG) may be a team of a place.
                        .or_else(|| (sports_report && entity.kind == EntityKind::Organization).then(|| choose_team(entity, kb, sport)).flatten())
                }
            };
            links.push(chosen.map(|(entry, confidence)| KbLink { confidence: Some(confidence), ..to_link(&entry) }));
        }
        for (entity, link) in doc.entities.iter_mut().zip(links) {
            if link.is_some() {
                entity.link = link;
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    PlacesAndOrganizations,
    People,
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
fn needs_a_place_reading(entry: &KbEntry<'_>) -> bool {
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
        // A wire dateline the reader did not take apart: "LONDON 1996-08-30" opening a line.
        let then_date = mention.tokens.start == sentence_start(doc, mention.tokens.start)
            && word(mention.tokens.end).is_some_and(is_iso_date);
        in_dateline || locative || then_region || then_date
    })
}

/// The first token of the sentence that holds token `token`.
fn sentence_start(doc: &Doc, token: usize) -> usize {
    doc.tokens
        .get(token)
        .and_then(|t| doc.sentences.get(t.sentence))
        .map_or(token, |s| s.tokens.start)
}

/// "1996-08-30": a date as wire datelines write it.
fn is_iso_date(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())))
}

/// Whether a mention reads as a place, or stands in brackets as a nationality after a name.
fn read_as_place_or_nationality(doc: &Doc, kb: &Kb, mentions: &[usize]) -> bool {
    let word = |i: usize| doc.tokens.get(i).and_then(|t| doc.text.get(t.span.clone()));
    read_as_place(doc, kb, mentions)
        || mentions.iter().filter_map(|&m| doc.mentions.get(m)).any(|mention| {
            mention.tokens.start.checked_sub(1).and_then(word) == Some("(") && word(mention.tokens.end) == Some(")")
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
    // The sports' names: a results table ("SOCCER - ENGLISH LEAGUE RESULTS") has few other words.
    "soccer", "baseball", "basketball", "hockey", "athletics", "cycling", "golf", "boxing", "nfl", "nba", "nhl",
];

/// True when the article reads as a sports report (three sports words or more), where "against
/// Italy" or "Wales have" name teams rather than countries.
pub fn is_sports_report(doc: &Doc) -> bool {
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
    mentions.iter().filter_map(|&m| doc.mentions.get(m)).any(|mention| tokens_read_as_team(doc, mention.tokens.clone()))
}

/// Whether the name over `tokens` reads as a side in a match (see [`names_a_team`]).
pub fn tokens_read_as_team(doc: &Doc, tokens: std::ops::Range<usize>) -> bool {
    let word = |i: usize| doc.tokens.get(i).and_then(|t| doc.text.get(t.span.clone())).map(str::to_lowercase);
    {
        let (start, end) = (tokens.start, tokens.end);
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
    }
}

/// A team sport, as an article or a team's description names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sport {
    Football,
    AmericanFootball,
    Baseball,
    Basketball,
    Cricket,
    IceHockey,
    Rugby,
}

/// Words of an article that say which team sport it reports on.
const SPORT_CUES: &[(&str, Sport)] = &[
    ("soccer", Sport::Football),
    ("football", Sport::Football),
    ("footballer", Sport::Football),
    ("striker", Sport::Football),
    ("midfielder", Sport::Football),
    ("nfl", Sport::AmericanFootball),
    ("quarterback", Sport::AmericanFootball),
    ("touchdown", Sport::AmericanFootball),
    ("touchdowns", Sport::AmericanFootball),
    ("baseball", Sport::Baseball),
    ("pitcher", Sport::Baseball),
    ("inning", Sport::Baseball),
    ("homer", Sport::Baseball),
    ("basketball", Sport::Basketball),
    ("nba", Sport::Basketball),
    ("cricket", Sport::Cricket),
    ("wicket", Sport::Cricket),
    ("wickets", Sport::Cricket),
    ("batsman", Sport::Cricket),
    ("hockey", Sport::IceHockey),
    ("nhl", Sport::IceHockey),
    ("rugby", Sport::Rugby),
];

/// The team sport an article is about: the one its words name most often, when one does.
fn article_sport(doc: &Doc) -> Option<Sport> {
    let mut counts: Vec<(Sport, usize)> = Vec::new();
    for token in &doc.tokens {
        let Some(text) = doc.text.get(token.span.clone()) else { continue };
        if let Some((_, sport)) = SPORT_CUES.iter().find(|(w, _)| w.eq_ignore_ascii_case(text)) {
            match counts.iter_mut().find(|(s, _)| s == sport) {
                Some((_, n)) => *n += 1,
                None => counts.push((*sport, 1)),
            }
        }
    }
    counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    match counts.as_slice() {
        [(sport, _)] => Some(*sport),
        [(sport, a), (_, b), ..] if a > b => Some(*sport),
        _ => None,
    }
}

/// The sport a team plays, read from its name and description ("Essex County Cricket Club",
/// "baseball team and Major League Baseball franchise"); `None` when the entry is not a team.
fn team_sport(entry: &KbEntry<'_>) -> Option<Sport> {
    let text = format!(" {} {} ", entry.label, entry.description.unwrap_or("")).to_lowercase();
    let is_team = class_is(entry, "SportsTeam") || [" team", " club", "franchise", " f.c."].iter().any(|w| text.contains(w));
    if !is_team || entry.kind != EntityKind::Organization {
        return None;
    }
    // American football first: its descriptions say "football" too.
    let sports = [
        ("american football", Sport::AmericanFootball),
        ("national football league", Sport::AmericanFootball),
        ("baseball", Sport::Baseball),
        ("basketball", Sport::Basketball),
        ("cricket", Sport::Cricket),
        ("hockey", Sport::IceHockey),
        ("rugby", Sport::Rugby),
        ("football", Sport::Football),
        ("soccer", Sport::Football),
        (" f.c. ", Sport::Football),
    ];
    sports.iter().find(|(word, _)| text.contains(word)).map(|(_, sport)| *sport)
}

/// A place named as a side in a sports report ("England" in a cricket report, "CHICAGO" in
/// baseball standings) → the one team of the KB that bears the place's name, alone or followed
/// by more words ("England cricket team", "Chicago White Sox"), and plays the article's sport.
/// Two such teams ("Chicago White Sox", "Chicago Cubs"), or a sport the article does not make
/// clear: no link.
fn choose_team<'kb>(entity: &Entity, kb: &'kb Kb, sport: Option<Sport>) -> Option<Choice<'kb>> {
    let sport = sport?;
    let mut teams: Vec<KbEntry<'kb>> = kb.candidates(&entity.name);
    teams.extend(kb.candidates_continuing(&entity.name));
    teams.retain(|e| team_sport(e) == Some(sport));
    // A team's former names are aliases ("Milwaukee Brewers" of today's Orioles): a team whose
    // own label bears the name beats teams that bore it once.
    let key = normalise::alias_key(&entity.name);
    let by_label: Vec<KbEntry<'kb>> = teams
        .iter()
        .copied()
        .filter(|e| {
            let label = normalise::alias_key(e.label);
            label == key || label.starts_with(&format!("{key} "))
        })
        .collect();
    if !by_label.is_empty() {
        teams = by_label;
    }
    unique(teams.into_iter()).map(|team| (team, 0.75))
}

/// What the article says about where it happens and who is in it.
#[derive(Debug, Default, Clone)]
struct ArticleContext {
    /// ISO2 codes of countries the article names, directly, by demonym, by a state or a
    /// well-known city, or in its dateline.
    countries: BTreeSet<String>,
    /// (country, region code) of the states the article names ("Maine" → ("US", "ME")).
    regions: BTreeSet<(String, String)>,
    /// Ids of the places the dateline's parts may name.
    dateline_places: BTreeSet<String>,
    /// QIDs of the organizations (parties, legislatures) linked in the article.
    organizations: BTreeSet<String>,
    /// The publication year, when known.
    year: Option<i16>,
    sports_report: bool,
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
                // A linked person's country is no anchor: a politician abroad is still news there.
                (Some(_), EntityKind::Person) => None,
                (Some(link), _) => kb.get(&link.id).and_then(|entry| entry.country).map(|c| (c.to_string(), None)),
                (None, EntityKind::Place) => anchor(kb, &e.name),
                (None, EntityKind::Organization) => party_anchor(kb, &e.name),
                _ => None,
            })
            .collect();
        for link in doc.entities.iter().filter(|e| e.kind == EntityKind::Organization).filter_map(|e| e.link.as_ref()) {
            shared.organizations.extend(link.wikidata.clone());
        }
        for mention in doc.mentions.iter().filter(|m| matches!(m.kind, MentionKind::Misc | MentionKind::Nationality)) {
            let Some(text) = doc.text.get(mention.span.clone()) else { continue };
            if let Some(country) = kb.demonym(text).and_then(|e| e.country) {
                shared.countries.insert(country.to_string());
            }
        }
        let dateline = doc.article.dateline.as_ref().and_then(|d| d.place.as_deref());
        for part in dateline.into_iter().flat_map(|place| place.split(',')).map(str::trim) {
            shared.add(anchor(kb, part));
            // "PORTLAND, Maine": every Portland may be the dateline's place; the state, the
            // country or the other places decide between them.
            shared.dateline_places.extend(places_of(kb.candidates(part)).iter().map(|e| e.id.to_string()));
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
    let (place, _) = choose_place(name, &places_of(kb.candidates(name)), &ArticleContext::default())?;
    let region = place.region.filter(|_| class_is(&place, "State")).map(str::to_string);
    Some((place.country?.to_string(), region))
}

/// The country of the party a name, read without context, stands for ("UK Independence Party").
fn party_anchor(kb: &Kb, name: &str) -> Option<(String, Option<String>)> {
    let organizations: Vec<KbEntry<'_>> =
        kb.candidates(name).into_iter().filter(|e| e.kind == EntityKind::Organization).collect();
    let (party, _) = choose_organization(name, &organizations, &ArticleContext::default())?;
    Some((party.country.filter(|_| class_is(&party, "PoliticalParty"))?.to_string(), None))
}

fn places_of(candidates: Vec<KbEntry<'_>>) -> Vec<KbEntry<'_>> {
    candidates.into_iter().filter(|e| e.kind == EntityKind::Place).collect()
}

/// A choice and how sure it is.
type Choice<'kb> = (KbEntry<'kb>, f32);

fn choose<'kb>(doc: &Doc, entity: &Entity, kb: &'kb Kb, context: &ArticleContext) -> Option<Choice<'kb>> {
    let of_kind = |name: &str| -> Vec<KbEntry<'kb>> {
        let mut found: Vec<KbEntry<'kb>> = kb.candidates(name).into_iter().filter(|e| e.kind == entity.kind).collect();
        // A newsroom's own entries outrank the bundled ones outright.
        if found.iter().any(|e| kb.is_user_entry(e)) {
            found.retain(|e| kb.is_user_entry(e));
        }
        found
    };
    if entity.kind == EntityKind::Person {
        return choose_person(doc, entity, kb, &of_kind, context);
    }
    let by_name = of_kind(&entity.name);
    let demonym = || kb.demonym(&entity.name).filter(|_| entity.kind == EntityKind::Place);
    let chosen = if !by_name.is_empty() && entity.kind == EntityKind::Organization {
        let named_like_a_place = kb.candidates(&entity.name).iter().any(is_well_known_place);
        choose_organization_in(&entity.name, &by_name, context, named_like_a_place)?
    } else if !by_name.is_empty() {
        decide(entity.kind, &entity.name, &by_name, context)?
    } else if let Some(country) = demonym() {
        // A place recorded by its demonym ("Russian" for Russia).
        (country, 0.9)
    } else if let Some(party) = party_by_short_name(entity, &of_kind, context) {
        (party, 0.85)
    } else {
        choose_by_aliases(entity, &of_kind, context)?
    };
    // An alias that names other things, not this one, means the cluster or the match is wrong.
    // Abbreviations are exempt: "BNP" names parties in several countries.
    for alias in entity.aliases.iter().filter(|a| !normalise::is_abbreviation(a)) {
        let found = of_kind(alias);
        if !found.is_empty() && !found.iter().any(|e| e.id == chosen.0.id) {
            return None;
        }
    }
    Some(chosen)
}

/// A party named without "Party" ("Labour", "Conservatives"): a party of a country the
/// article names whose label is the name plus "Party", when exactly one fits.
fn party_by_short_name<'kb>(
    entity: &Entity,
    of_kind: &dyn Fn(&str) -> Vec<KbEntry<'kb>>,
    context: &ArticleContext,
) -> Option<KbEntry<'kb>> {
    if entity.kind != EntityKind::Organization || entity.name.split_whitespace().count() != 1 {
        return None;
    }
    let singular = entity.name.strip_suffix('s').filter(|stem| stem.len() > 2);
    let mut found: Vec<KbEntry<'kb>> = Vec::new();
    for stem in std::iter::once(entity.name.as_str()).chain(singular) {
        found.extend(
            of_kind(&format!("{stem} Party")).into_iter().filter(|e| class_is(e, "PoliticalParty") && current(e, context)),
        );
    }
    found.dedup_by(|a, b| a.id == b.id);
    unique(found.into_iter().filter(|p| in_context(p, context)))
}

/// When the canonical name is unknown: the entry every alias with candidates agrees on.
fn choose_by_aliases<'kb>(
    entity: &Entity,
    of_kind: &dyn Fn(&str) -> Vec<KbEntry<'kb>>,
    context: &ArticleContext,
) -> Option<Choice<'kb>> {
    // An entity written out in full under a name the KB lacks ("International Olympic
    // Committee") is not whatever its abbreviation means in the KB ("IOC": an olive council).
    let written_out = !normalise::is_abbreviation(&entity.name);
    let mut chosen: Option<Choice<'kb>> = None;
    for alias in entity.aliases.iter().filter(|a| !(written_out && normalise::is_abbreviation(a))) {
        let found = of_kind(alias);
        if found.is_empty() {
            continue;
        }
        let (entry, confidence) = decide(entity.kind, alias, &found, context)?;
        if chosen.is_some_and(|c| c.0.id != entry.id) {
            return None;
        }
        chosen = Some((entry, confidence.min(chosen.map_or(1.0, |c| c.1))));
    }
    chosen
}

/// The entry `name` (which found `candidates`) stands for, if the rules single one out.
fn decide<'kb>(kind: EntityKind, name: &str, candidates: &[KbEntry<'kb>], context: &ArticleContext) -> Option<Choice<'kb>> {
    match kind {
        EntityKind::Place => choose_place(name, candidates, context),
        EntityKind::Organization => choose_organization(name, candidates, context),
        EntityKind::Person | EntityKind::Event => only_or_in_context(candidates, context),
    }
}

fn class_is(entry: &KbEntry<'_>, class: &str) -> bool {
    entry.class == Some(class)
}

fn in_context(entry: &KbEntry<'_>, context: &ArticleContext) -> bool {
    entry.countries().any(|c| context.countries.contains(c))
}

fn choose_place<'kb>(name: &str, candidates: &[KbEntry<'kb>], context: &ArticleContext) -> Option<Choice<'kb>> {
    let of_class = |class: &str| -> Vec<KbEntry<'kb>> { candidates.iter().copied().filter(|e| class_is(e, class)).collect() };
    let countries = of_class("Country");
    let states = of_class("State");
    let subdivisions = of_class("AdministrativeArea");
    let mut cities = of_class("City");
    cities.sort_by_key(|e| std::cmp::Reverse(e.population.unwrap_or(0)));
    // GeoNames gives some towns a neighbour's name as an alternate ("Cambridge" for Newton,
    // Massachusetts): a town found only by an alternate name counts when it is bigger than
    // every town that bears the name ("St. Petersburg" is Saint Petersburg, not Florida's).
    let key = normalise::alias_key(name);
    let biggest_bearer =
        cities.iter().filter(|c| normalise::alias_key(c.label) == key).map(|c| c.population.unwrap_or(0)).max();
    if let Some(biggest) = biggest_bearer {
        cities.retain(|c| normalise::alias_key(c.label) == key || c.population.unwrap_or(0) > biggest);
    }
    if !countries.is_empty() {
        // "Georgia" in an article set in the US is the state.
        if !states.is_empty() && context.countries.contains("US") && !countries.iter().any(|c| in_context(c, context)) {
            return None;
        }
        return match countries.as_slice() {
            [country] => Some((*country, 0.95)),
            _ => unique(countries.iter().copied().filter(|c| in_context(c, context))).map(|c| (c, 0.85)),
        };
    }
    if let [continent] = of_class("Continent").as_slice() {
        return Some((*continent, 0.95));
    }
    if let Some(&state) = states.first() {
        let big_city = cities
            .first()
            .copied()
            .filter(|c| c.country == Some("US") && c.population.unwrap_or(0) >= BIG_US_CITY);
        return match (states.len(), big_city) {
            (1, Some(city)) => Some((city, 0.8)),
            (1, None) => Some((state, 0.9)),
            _ => None,
        };
    }
    // A city of 100,000 people is what news means by a name it shares with a subdivision: the
    // cities are chosen among as usual (the dateline may still name a smaller namesake).
    let big_city_named = cities.first().is_some_and(|c| c.population.unwrap_or(0) >= SMALL_CITY);
    if !subdivisions.is_empty() && !big_city_named {
        return match subdivisions.as_slice() {
            [only] if cities.is_empty() || in_context(only, context) => Some((*only, 0.85)),
            [_] => None,
            _ => unique(subdivisions.iter().copied().filter(|s| in_context(s, context))).map(|s| (s, 0.8)),
        };
    }
    if cities.is_empty() {
        // Other places (regions, landforms, user classes): only when unambiguous.
        return only_or_in_context(candidates, context);
    }
    // The dateline names the place the article is written from.
    let in_dateline: Vec<KbEntry<'kb>> = cities.iter().copied().filter(|c| context.dateline_places.contains(c.id)).collect();
    let supported: Vec<KbEntry<'kb>> = cities.iter().copied().filter(|c| in_context(c, context)).collect();
    let in_region = |c: &KbEntry<'_>| match (c.country, c.region) {
        (Some(country), Some(region)) => context.regions.contains(&(country.to_string(), region.to_string())),
        _ => false,
    };
    let groups = [
        in_dateline.iter().copied().filter(|c| in_region(c)).collect::<Vec<_>>(),
        cities.iter().copied().filter(|c| in_region(c)).collect(),
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
                    return Some((top, 0.7));
                }
            }
            return Some((city, if level < 2 { 0.95 } else { 0.85 }));
        }
        if group.len() > 1 {
            return None;
        }
    }
    let city = dominant(&cities)?;
    let known_without_context = city.population.unwrap_or(0) >= SMALL_CITY;
    known_without_context.then_some((city, if cities.len() == 1 { 0.85 } else { 0.75 }))
}

/// The first (most populous) city when it is the only one or much bigger than the next.
fn dominant<'kb>(cities: &[KbEntry<'kb>]) -> Option<KbEntry<'kb>> {
    match cities {
        [] => None,
        [only] => Some(*only),
        [first, second, ..] => {
            let (a, b) = (first.population.unwrap_or(0), second.population.unwrap_or(0));
            (a >= b.saturating_mul(DOMINANCE) && a > 0).then_some(*first)
        }
    }
}

/// Whether an organization still existed when the article was written (within ten years: news
/// looks back a little). Without a date, organizations dissolved before 1990 are history.
fn current(entry: &KbEntry<'_>, context: &ArticleContext) -> bool {
    let year = context.year.map_or(2000, i32::from);
    entry.dissolved.is_none_or(|dissolved| dissolved + 10 >= year)
}

fn choose_organization<'kb>(name: &str, candidates: &[KbEntry<'kb>], context: &ArticleContext) -> Option<Choice<'kb>> {
    choose_organization_in(name, candidates, context, false)
}

/// `named_like_a_place`: the name is also a place's ("England", "Chicago", "Colorado"): clubs,
/// teams and firms that go by it are many, and the knowledge base knows only some of them.
fn choose_organization_in<'kb>(
    name: &str,
    candidates: &[KbEntry<'kb>],
    context: &ArticleContext,
    named_like_a_place: bool,
) -> Option<Choice<'kb>> {
    // "Tories" is also the 18th-century party's name: dissolved parties are not today's news.
    let mut candidates: Vec<KbEntry<'kb>> = candidates.iter().copied().filter(|e| current(e, context)).collect();
    candidates.dedup_by(|a, b| a.id == b.id);
    let organizations: Vec<KbEntry<'kb>> =
        candidates.iter().copied().filter(|e| class_is(e, "InternationalOrganization")).collect();
    let parties: Vec<KbEntry<'kb>> = candidates.iter().copied().filter(|e| class_is(e, "PoliticalParty")).collect();
    if organizations.len() + parties.len() < candidates.len() {
        // Companies, media, clubs, government bodies: alone, or the only one the article's
        // countries or a far greater fame single out; never by the name of a well-known place
        // (a band called "Chicago" is not worth the city's and its teams' confusion).
        if named_like_a_place {
            return None;
        }
        return if organizations.is_empty() && parties.is_empty() {
            only_or_in_context(&candidates, context).or_else(|| most_known(&candidates).map(|e| (e, 0.7)))
        } else {
            None
        };
    }
    let parties_in_context: Vec<KbEntry<'kb>> = parties.iter().copied().filter(|p| in_context(p, context)).collect();
    match (organizations.as_slice(), parties_in_context.as_slice(), parties.as_slice()) {
        ([organization], [], _) => Some((*organization, 0.9)),
        ([], [party], _) => Some((*party, 0.9)),
        // The only party of that name in the world, named in full (three words or more: two-word
        // names such as "Meeting Point" are often something else).
        ([], [], [party]) if name.split_whitespace().count() >= 3 && !normalise::is_abbreviation(name) => Some((*party, 0.8)),
        _ => None,
    }
}

/// A country, state, subdivision or city of 100,000 people: a name organizations borrow.
fn is_well_known_place(entry: &KbEntry<'_>) -> bool {
    entry.kind == EntityKind::Place
        && match entry.class {
            Some("Country" | "State" | "AdministrativeArea" | "Continent") => true,
            Some("City") => entry.population.unwrap_or(0) >= SMALL_CITY,
            _ => false,
        }
}

/// The candidate with this many times the sitelinks of every other (Wikidata imports).
const FAME_DOMINANCE: u32 = 5;

fn most_known<'kb>(candidates: &[KbEntry<'kb>]) -> Option<KbEntry<'kb>> {
    let mut ranked: Vec<KbEntry<'kb>> = candidates.to_vec();
    ranked.sort_by_key(|e| std::cmp::Reverse(e.sitelinks.unwrap_or(0)));
    match ranked.as_slice() {
        [first, second, ..] => {
            let (a, b) = (first.sitelinks.unwrap_or(0), second.sitelinks.unwrap_or(0));
            (a > 0 && a >= b.saturating_mul(FAME_DOMINANCE)).then_some(*first)
        }
        _ => None,
    }
}

fn only_or_in_context<'kb>(candidates: &[KbEntry<'kb>], context: &ArticleContext) -> Option<Choice<'kb>> {
    match candidates {
        [only] => Some((*only, 0.85)),
        _ => unique(candidates.iter().copied().filter(|e| in_context(e, context))).map(|e| (e, 0.8)),
    }
}

fn unique<'kb>(mut entries: impl Iterator<Item = KbEntry<'kb>>) -> Option<KbEntry<'kb>> {
    let first = entries.next()?;
    entries.all(|e| e.id == first.id).then_some(first)
}

/// What the article says about a candidate person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    Contradicts,
    Silent,
    Agrees,
}

/// People: a full name (never a bare surname) that one person of the KB bears, unless the
/// article contradicts what the KB knows of them; or the one namesake the article agrees with.
fn choose_person<'kb>(
    doc: &Doc,
    entity: &Entity,
    kb: &'kb Kb,
    of_kind: &dyn Fn(&str) -> Vec<KbEntry<'kb>>,
    context: &ArticleContext,
) -> Option<Choice<'kb>> {
    let words = entity.name.split_whitespace().count();
    let mut candidates = of_kind(&entity.name);
    candidates.dedup_by(|a, b| a.id == b.id);
    let folded = |text: &str| deunicode::deunicode(text).to_lowercase();
    if words < 2 {
        // A single word names a person only when it is their whole name ("Pelé"), or a name a
        // newsroom's own knowledge base gives them, never as a surname of someone's full name.
        candidates.retain(|e| (folded(e.label) == folded(&entity.name) && !e.label.contains(' ')) || kb.is_user_entry(e));
    }
    if candidates.is_empty() {
        return None;
    }
    let judged: Vec<(KbEntry<'kb>, Evidence)> = candidates.iter().map(|e| (*e, person_evidence(doc, entity, kb, e, context))).collect();
    let agreeing: Vec<KbEntry<'kb>> = judged.iter().filter(|(_, ev)| *ev == Evidence::Agrees).map(|(e, _)| *e).collect();
    // Unique and uncontradicted is enough for the widely known (no posts on record, or a
    // mononym); a politician among 30,000, or a name a user gave, needs the article to agree.
    let silent_is_enough = |e: &KbEntry<'_>| !e.has_roles() && (words >= 2 || folded(e.label) == folded(&entity.name));
    match (judged.as_slice(), agreeing.as_slice()) {
        (_, [only]) => Some((*only, if judged.len() == 1 { 0.95 } else { 0.85 })),
        ([(only, Evidence::Silent)], []) if silent_is_enough(only) => Some((*only, if words >= 2 { 0.8 } else { 0.7 })),
        _ => None,
    }
}

/// Words of a description that make a person a sportsman or -woman.
const SPORTS_DESCRIPTIONS: &[&str] = &[
    "player", "footballer", "cricketer", "athlete", "golfer", "boxer", "driver", "cyclist", "swimmer", "runner",
    "jockey", "coach", "manager", "skier", "tennis", "wrestler", "sprinter", "rugby", "hockey", "olympic", "sport",
    "racer", "referee", "umpire", "skater", "gymnast", "rower", "sailor", "fencer", "pitcher", "quarterback", "batsman",
    "bowler", "goalkeeper", "defender", "midfielder", "striker", "forward", "champion", "mountaineer", "snooker",
];

/// Whether the article agrees with, says nothing about, or contradicts what the KB knows of
/// `person`: their countries, parties and posts.
fn person_evidence(doc: &Doc, entity: &Entity, kb: &Kb, person: &KbEntry<'_>, context: &ArticleContext) -> Evidence {
    let roles = kb.roles(person);
    let party_named = roles.iter().any(|r| r.party_qid.is_some_and(|q| context.organizations.contains(q)))
        || roles.iter().any(|r| r.organization_qid.is_some_and(|q| context.organizations.contains(q)));
    let title_named = roles.iter().any(|r| title_before(doc, &entity.mentions, r.role));
    let countries: Vec<&str> = person.countries().collect();
    // In a sports report, that a politician's country is named says little: it is named as a
    // team, and sportspeople share politicians' names.
    let country_named = countries.iter().any(|c| context.countries.contains(*c)) && !(context.sports_report && !roles.is_empty());
    if party_named || title_named || country_named {
        return Evidence::Agrees;
    }
    // A politician in an article about other countries or in a sports report, or someone
    // the KB describes as anything but a sportsperson in a sports report, is most likely a
    // namesake.
    let abroad = !countries.is_empty() && !context.countries.is_empty();
    let politician_at_play = context.sports_report && !roles.is_empty();
    let not_at_play = context.sports_report
        && person.description.is_some_and(|d| {
            let d = d.to_lowercase();
            !SPORTS_DESCRIPTIONS.iter().any(|w| d.contains(w))
        });
    if abroad || politician_at_play || not_at_play {
        Evidence::Contradicts
    } else {
        Evidence::Silent
    }
}

/// Whether a mention is preceded by a word of the post's name ("Senator Roe", "Prime Minister
/// Roe", "the minister, Jane Roe").
fn title_before(doc: &Doc, mentions: &[usize], role: &str) -> bool {
    const GENERIC: &[&str] = &["of", "the", "member", "for", "and", "de", "du", "la"];
    let role_words: Vec<String> =
        role.split_whitespace().map(str::to_lowercase).filter(|w| w.len() > 2 && !GENERIC.contains(&w.as_str())).collect();
    mentions.iter().filter_map(|&m| doc.mentions.get(m)).any(|mention| {
        (1..=3).filter_map(|back| mention.tokens.start.checked_sub(back)).filter_map(|t| doc.tokens.get(t)).any(|token| {
            doc.text.get(token.span.clone()).is_some_and(|w| {
                let w = w.to_lowercase();
                role_words.iter().any(|r| *r == w || (w.len() > 4 && r.starts_with(&w)))
            })
        })
    })
}

/// The link that names `entry`.
pub fn to_link(entry: &KbEntry<'_>) -> KbLink {
    KbLink {
        id: entry.id.to_string(),
        wikidata: entry.wikidata.map(str::to_string),
        geonames: entry.geonames,
        class: entry.class.map(str::to_string),
        lat: entry.lat,
        long: entry.long,
        label: Some(entry.label.to_string()),
        confidence: None,
    }
}
