//! Events: named events ("the G20 summit") and events built on trigger words (met, talks, attack,
//! crash, merger, …), typed into a small hierarchy, with their participants, place, time,
//! duration, casualties and super-event.
//!
//! Decisions:
//! - **Modality.** Triggers under a modal, future, infinitive or planning context ("may meet",
//!   "to meet", "talks are planned", "the need for talks", "attack plot") are kept with
//!   [`Modality::Hypothetical`], under negation ("did not meet", "no deal") with
//!   [`Modality::Negated`]; only [`Modality::Asserted`] events become RDF.
//! - **Vagueness.** An event with no participant, place, duration or casualty count and no name is
//!   dropped: "talks" alone, or "the agreement" with only a year, tells a graph nothing.
//! - **Coreference.** Triggers of one type in one noun phrase ("bombing and shooting assaults") are
//!   one event; a later definite or participant-less mention of the same type with compatible
//!   arguments ("the conversation", "the attacks in Paris") merges into the earlier event, as do
//!   compatible mentions sharing a participant, the place or the date.
//! - **Modality** also looks at the clause's auxiliary: the nearest one before the trigger, or for a
//!   noun standing before any, the first after it ("the summit … will use", "is due to be held").

use super::positions::is_acting_word;
use super::quantity::{find_casualties, find_durations, find_tolls, Casualties, Duration, Toll, TollKind};
use super::time::TimeExpr;
use super::{entity_key, positions, View};
use crate::doc::{Doc, EntityKind, MentionKind, Span};
use serde::{Deserialize, Serialize};

/// The event types; each is an `ng:` class under `schema:Event` (Summit and Visit under Meeting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventType {
    Meeting,
    Summit,
    Visit,
    Attack,
    Disaster,
    Accident,
    Election,
    Agreement,
    Conflict,
    LegalCase,
    BusinessDeal,
    Protest,
    Strike,
    /// A game between two sides ("X beat Y 3-2"), the sides as participants.
    SportsMatch,
    /// An award ceremony ("the Meteor Awards").
    Ceremony,
    /// A decision of a government, legislature or central bank: a ban, a law passed, a rate change.
    PolicyDecision,
    Resignation,
    Appointment,
    /// A named event of no known type ("the World Cup final"): only `schema:Event`.
    Other,
}

impl EventType {
    /// The local name of the `ng:` class, `None` for [`EventType::Other`].
    pub fn class_name(self) -> Option<&'static str> {
        Some(match self {
            EventType::Meeting => "Meeting",
            EventType::Summit => "Summit",
            EventType::Visit => "Visit",
            EventType::Attack => "Attack",
            EventType::Disaster => "Disaster",
            EventType::Accident => "Accident",
            EventType::Election => "Election",
            EventType::Agreement => "Agreement",
            EventType::Conflict => "Conflict",
            EventType::LegalCase => "LegalCase",
            EventType::BusinessDeal => "BusinessDeal",
            EventType::Protest => "Protest",
            EventType::Strike => "Strike",
            EventType::SportsMatch => "SportsMatch",
            EventType::Ceremony => "Ceremony",
            EventType::PolicyDecision => "PolicyDecision",
            EventType::Resignation => "Resignation",
            EventType::Appointment => "Appointment",
            EventType::Other => return None,
        })
    }

    /// Whether casualty counts belong to events of this type.
    fn has_casualties(self) -> bool {
        matches!(self, EventType::Attack | EventType::Disaster | EventType::Accident | EventType::Conflict)
    }
}

/// Whether the text asserts that the event happened (or is happening).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Modality {
    Asserted,
    /// Possible, planned, wished for, threatened or future.
    Hypothetical,
    Negated,
}

/// An event an article mentions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventType,
    /// A readable label: the event's name, "Roe–Doe meeting", "attack in Paris".
    pub label: String,
    /// The name of a named event ("G20 summit").
    pub name: Option<String>,
    /// A normalised key of the name: the keys of the entities in it and its head noun.
    pub name_key: Option<String>,
    /// Spans of the trigger words or names, first one first.
    pub triggers: Vec<Span>,
    /// The sentence of the first trigger.
    pub sentence: usize,
    pub modality: Modality,
    /// Person and organization entities taking part (countries when they act as subjects).
    pub participants: Vec<usize>,
    /// The place entity.
    pub place: Option<usize>,
    pub time: Option<TimeExpr>,
    pub duration: Option<Duration>,
    pub casualties: Option<Casualties>,
    /// How many were injured ("wounding 300") and how many are missing.
    pub injured: Option<Toll>,
    pub missing: Option<Toll>,
    /// Why the event has no date, when it has none: a reader can tell "the text gives none" from
    /// "the text gives one we could not place".
    pub undated_reason: Option<String>,
    /// Index into `Facts::events` of the larger event this one happened within.
    pub super_event: Option<usize>,
    #[serde(skip)]
    trigger_tokens: Vec<usize>,
    /// The sentence of the latest mention merged in, for the distance of anaphora.
    #[serde(skip)]
    last_sentence: usize,
    #[serde(skip)]
    super_at: Option<usize>,
    #[serde(skip)]
    definite: bool,
    #[serde(skip)]
    noun: String,
    #[serde(skip)]
    modifier_text: Option<String>,
}

impl Event {
    /// The event's identity across articles (design §Identity).
    ///
    /// - A named event: `Type|name:KEY|YEAR` — KEY is the sorted keys of the entities in its name
    ///   plus its head noun ("kb:Q…+summit"), YEAR the year of its date when known, so "the G20
    ///   summit" and "the Group of 20 summit" of one year are one node.
    /// - An event with a date and a place or participants: `Type|DATE|PLACE|P1+P2…` — DATE the
    ///   lexical date at the precision the text gave, PLACE and Pn entity keys
    ///   ([`super::entity_key`]: knowledge-base id, else kind and ASCII-folded lowercase name),
    ///   participants sorted and unique.
    /// - Anything less specific could be any event of its type, so it stays local to its article:
    ///   `Type|article:ID|BYTE` with the first trigger's offset.
    pub fn identity_key(&self, doc: &Doc) -> String {
        let kind = self.kind.class_name().unwrap_or("Event");
        let date = self.time.as_ref().and_then(|t| t.value).map(|v| v.lexical());
        if let Some(name) = &self.name_key {
            let year = date.as_deref().and_then(|d| d.get(..4)).unwrap_or("");
            return format!("{kind}|name:{name}|{year}");
        }
        let mut participants: Vec<String> = self.participants.iter().map(|&e| entity_key(doc, e)).collect();
        participants.sort();
        participants.dedup();
        match date {
            Some(date) if self.place.is_some() || !participants.is_empty() => {
                let place = self.place.map(|p| entity_key(doc, p)).unwrap_or_default();
                format!("{kind}|{date}|{place}|{}", participants.join("+"))
            }
            _ => format!("{kind}|article:{}|{}", doc.article.id, self.triggers.first().map(|t| t.start).unwrap_or(0)),
        }
    }

    /// Whether the text says it happened.
    pub fn asserted(&self) -> bool {
        self.modality == Modality::Asserted
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Pos {
    Noun,
    Verb,
}

/// The trigger lexicon: a lowercase word → type, the noun that names the event, part of speech.
fn trigger(word: &str) -> Option<(EventType, &'static str, Pos)> {
    use EventType::*;
    use Pos::*;
    Some(match word {
        "meeting" | "meetings" => (Meeting, "meeting", Noun),
        "met" | "meets" | "meet" => (Meeting, "meeting", Verb),
        "talks" => (Meeting, "talks", Noun),
        "conversation" | "conversations" => (Meeting, "conversation", Noun),
        "summit" | "summits" => (Summit, "summit", Noun),
        "visit" | "visits" => (Visit, "visit", Noun),
        "visited" => (Visit, "visit", Verb),
        "attack" | "attacks" | "assault" | "assaults" | "massacre" | "ambush" | "stabbing" | "hijacking" => (Attack, "attack", Noun),
        "assassination" => (Attack, "assassination", Noun),
        "assassinated" => (Attack, "assassination", Verb),
        "bombing" | "bombings" => (Attack, "bombing", Noun),
        "shooting" | "shootings" => (Attack, "shooting", Noun),
        "earthquake" | "earthquakes" | "quake" => (Disaster, "earthquake", Noun),
        "flood" | "floods" | "flooding" => (Disaster, "flood", Noun),
        "hurricane" | "typhoon" | "cyclone" | "tsunami" | "landslide" | "wildfire" | "wildfires" | "eruption" => (Disaster, "disaster", Noun),
        "crash" => (Accident, "crash", Noun),
        "crashed" => (Accident, "crash", Verb),
        "collision" | "derailment" => (Accident, "collision", Noun),
        "election" | "elections" | "referendum" => (Election, "election", Noun),
        "elected" | "re-elected" => (Election, "election", Verb),
        "vote" => (Election, "vote", Noun),
        "agreement" | "treaty" | "accord" | "pact" => (Agreement, "agreement", Noun),
        "agreed" => (Agreement, "agreement", Verb),
        "ceasefire" | "cease-fire" | "truce" => (Agreement, "ceasefire", Noun),
        "deal" => (Agreement, "deal", Noun),
        "war" => (Conflict, "war", Noun),
        "conflict" => (Conflict, "conflict", Noun),
        "fighting" | "clashes" => (Conflict, "fighting", Noun),
        "insurgency" => (Conflict, "insurgency", Noun),
        "invasion" => (Conflict, "invasion", Noun),
        "invaded" => (Conflict, "invasion", Verb),
        "campaign" => (Conflict, "campaign", Noun),
        "ruling" | "verdict" | "trial" | "lawsuit" => (LegalCase, "ruling", Noun),
        "ruled" | "sued" | "convicted" | "acquitted" | "sentenced" | "fined" => (LegalCase, "ruling", Verb),
        "acquisition" | "acquisitions" | "takeover" | "buyout" | "merger" => (BusinessDeal, "acquisition", Noun),
        "purchase" => (BusinessDeal, "acquisition", Noun),
        "acquired" | "acquire" | "acquires" | "bought" | "buys" | "merged" | "merge" | "sold" => (BusinessDeal, "acquisition", Verb),
        "protest" | "protests" | "demonstration" | "demonstrations" | "rally" | "riots" | "riot" => (Protest, "protest", Noun),
        "protested" => (Protest, "protest", Verb),
        "strike" | "strikes" | "walkout" => (Strike, "strike", Noun),
        // Games: verbs of winning and losing, and the nouns of a result ("a 3-2 win over Y"); a
        // sports cue in the sentence must confirm them (see `disambiguate`).
        "beat" | "beats" | "beaten" | "beating" | "defeated" | "defeats" | "overcame" | "thrashed" | "edged" | "drew" | "lost" | "routed" | "outplayed" => (SportsMatch, "match", Verb),
        "win" | "victory" | "defeat" | "draw" => (SportsMatch, "match", Noun),
        "ceremony" | "ceremonies" | "awards" | "gala" => (Ceremony, "ceremony", Noun),
        "ban" => (PolicyDecision, "ban", Noun),
        "banned" | "barred" | "bans" | "outlawed" | "legalised" | "legalized" | "approved" | "approves" | "ratified" | "passed" | "raised" | "lowered" => (PolicyDecision, "decision", Verb),
        "resigned" | "resigns" | "resign" | "quit" | "quits" | "stepped" => (Resignation, "resignation", Verb),
        "resignation" | "departure" => (Resignation, "resignation", Noun),
        "appointed" | "appoints" | "appoint" | "hired" | "drafted" | "installed" => (Appointment, "appointment", Verb),
        "appointment" => (Appointment, "appointment", Noun),
        // "was put in temporary charge", "took charge"
        "charge" => (Appointment, "appointment", Noun),
        _ => return None,
    })
}

/// Head nouns that make a name an event name when a named entity precedes them ("G20 summit").
const NAMED_HEADS: &[&str] = &[
    "summit", "conference", "games", "olympics", "cup", "final", "championship", "championships", "election",
    "elections", "war", "forum", "festival", "awards", "convention", "congress", "referendum",
];

/// Words between a subject and its verb that do not break the link ("X and Y have also met").
const AUXILIARIES: &[&str] = &[
    "has", "have", "had", "also", "then", "later", "reportedly", "finally", "both", "was", "were", "is", "are", "been",
    "jointly", "eventually", "briefly", "secretly", "again", "first", "recently", "already", "previously",
    "nevertheless", "however", "subsequently", "formally", "officially", "successfully", "on", "last", "this", "today",
    "yesterday", "had", "all",
];

/// Words that may join the entities of one noun phrase ("US president Jane Roe and Mr Doe").
fn is_glue(view: &View, t: usize) -> bool {
    let w = view.lower(t);
    matches!(w, "and" | "," | "the" | "mr" | "mrs" | "ms" | "dr" | "&" | "-" | "–" | "leaders" | "president" | "both")
        || view.is_possessive(t)
        || positions::is_role_word(w)
}

fn is_pronoun(w: &str) -> bool {
    matches!(w, "they" | "he" | "she" | "we" | "it" | "the two" | "both")
}

/// An entity in a noun phrase and its mention.
#[derive(Clone, Copy)]
struct Arg {
    mention: usize,
    entity: usize,
    kind: EntityKind,
}

/// The entities of the noun phrase ending right before `end`, walking left past auxiliaries and
/// time words. Places and organizations that only qualify a person ("US president X") are left out.
fn subject_chain(view: &View, lo: usize, end: usize, in_time: &dyn Fn(usize) -> bool) -> (Vec<Arg>, bool) {
    let mut t = end;
    while t > lo && (AUXILIARIES.contains(&view.lower(t - 1)) || in_time(t - 1)) {
        t -= 1;
    }
    let mut args = Vec::new();
    let mut pronoun = false;
    while t > lo {
        let k = t - 1;
        if let Some(m) = view.mention_at[k] {
            let mention = &view.doc.mentions[m];
            if let Some((_, e, kind)) = view.entity_at(k) {
                args.push(Arg { mention: m, entity: e, kind });
            }
            t = mention.tokens.start.min(k);
            continue;
        }
        if is_pronoun(view.lower(k)) {
            pronoun = true;
            break;
        }
        if is_glue(view, k) {
            t = k;
            continue;
        }
        break;
    }
    args.reverse();
    (drop_qualifiers(view, args), pronoun)
}

/// The entities of the noun phrase starting at `start` (after "with", "the", titles).
fn object_chain(view: &View, start: usize, hi: usize) -> Vec<Arg> {
    let mut t = start;
    while t < hi && matches!(view.lower(t), "with" | "the" | "a" | "an" | "his" | "her" | "their" | "its" | "by" | "rival" | "counterpart" | "former") {
        t += 1;
    }
    // A share of a company: "33% of Changyu", "a 26% stake in X".
    if t < hi && view.text(t).starts_with(|c: char| c.is_ascii_digit()) {
        let mut k = t + 1;
        while k < hi && matches!(view.lower(k), "%" | "per" | "cent" | "percent" | "stake" | "of" | "in") {
            k += 1;
        }
        t = k;
    }
    // A few common nouns may precede the first name ("energy firm PDVSA", "prime minister X").
    let mut lead = 0;
    while t < hi && lead < 3 && view.mention_at[t].is_none() && view.text(t).starts_with(|c: char| c.is_lowercase()) && !STOPWORDS.contains(&view.lower(t)) {
        t += 1;
        lead += 1;
    }
    let mut args = Vec::new();
    while t < hi {
        if let Some(m) = view.mention_at[t] {
            if let Some((_, e, kind)) = view.entity_at(t) {
                args.push(Arg { mention: m, entity: e, kind });
            }
            t = view.doc.mentions[m].tokens.end.max(t + 1);
            continue;
        }
        if is_glue(view, t) && !args.is_empty() || matches!(view.lower(t), "mr" | "mrs" | "ms" | "dr" | "president") {
            t += 1;
            continue;
        }
        // "Brazil's biggest beer firm Ambev", "Venezuelan energy firm PDVSA": common nouns between
        // a qualifier and a name.
        if !args.is_empty() || t > start && view.is_possessive(t - 1) {
            let nouns = (t..hi.min(t + 4)).take_while(|&k| view.mention_at[k].is_none() && view.text(k).starts_with(|c: char| c.is_lowercase()) && !STOPWORDS.contains(&view.lower(k))).count();
            if nouns > 0 && t + nouns < hi && view.mention_at[t + nouns].is_some() {
                t += nouns;
                continue;
            }
        }
        break;
    }
    drop_qualifiers(view, args)
}

/// Drops places, organizations and demonyms that qualify the person after them.
fn drop_qualifiers(view: &View, args: Vec<Arg>) -> Vec<Arg> {
    let mut kept = Vec::new();
    for (i, a) in args.iter().enumerate() {
        if a.kind != EntityKind::Person {
            if let Some(next) = args.get(i + 1) {
                let between = view.doc.mentions[a.mention].tokens.end..view.doc.mentions[next.mention].tokens.start;
                let joined = between.clone().any(|t| matches!(view.lower(t), "and" | "," | "with" | "to" | "of" | "in" | "by"));
                let qualifies = !joined
                    && match next.kind {
                        // "US president X", "Acme's chief executive X"
                        EntityKind::Person => between.clone().any(|t| positions::is_role_word(view.lower(t)) || view.is_possessive(t)),
                        // "Venezuelan energy firm X", "Argentina's X"
                        EntityKind::Organization => a.kind == EntityKind::Place && between.len() <= 5,
                        _ => false,
                    };
                if qualifies {
                    continue;
                }
            }
        }
        kept.push(*a);
    }
    kept
}

/// The place entity after "in/at/near" closest to the trigger, to its right first (up to 12
/// tokens), then to its left (up to 8).
fn find_place(view: &View, lo: usize, hi: usize, first: usize, last: usize) -> Option<usize> {
    let place_after_prep = |p: usize| -> Option<usize> {
        if !matches!(view.lower(p), "in" | "at" | "near" | "outside" | "inside" | "across" | "into") {
            return None;
        }
        // "in the Mediterranean resort of X": a few words may stand before the place.
        for t in p + 1..(p + 6).min(hi) {
            if let Some((_, e, kind)) = view.entity_at(t) {
                return (kind == EntityKind::Place).then_some(e);
            }
            let w = view.lower(t);
            if matches!(w, "," | "." | ";") || STOPWORDS.contains(&w) && !matches!(w, "the" | "a" | "an" | "of") {
                return None;
            }
        }
        None
    };
    // A place after another event word or a purpose clause ("to resolve the conflict in Syria")
    // belongs to that.
    let clause_end = |t: &usize| {
        matches!(view.lower(*t), ";" | ":" | "but" | "while" | "whereas" | "although" | "though" | "which" | "where" | "when" | "said" | "to")
            || trigger(view.lower(*t)).is_some() && view.mention_at[*t].is_none()
    };
    let right_end = (last + 1..(last + 13).min(hi)).find(clause_end).unwrap_or((last + 13).min(hi));
    let left_start = (first.saturating_sub(8).max(lo)..first).rev().find(clause_end).map(|t| t + 1).unwrap_or(first.saturating_sub(8).max(lo));
    (last + 1..right_end).find_map(place_after_prep).or_else(|| (left_start..first).rev().find_map(place_after_prep))
}

/// Tokens before a noun trigger that modify it: entity mentions joined by hyphens, "and",
/// possessives ("Roe-Doe meeting", "Paris attacks", "Acme's takeover"), with the first token.
fn noun_modifiers(view: &View, lo: usize, trigger: usize) -> (Vec<Arg>, usize) {
    let proper = view.text(trigger).starts_with(|c: char| c.is_uppercase()) && trigger > lo;
    let mut t = trigger;
    let mut args = Vec::new();
    let mut start = trigger;
    // One common noun may stand between a name and the trigger ("the Hatfield rail crash"), a few
    // after a possessive ("Lebanon's bitter 15-year civil war").
    let common = |k: usize| {
        view.mention_at[k].is_none()
            && !STOPWORDS.contains(&view.lower(k))
            && !is_support_verb(view.lower(k))
            && view.text(k).starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit())
    };
    let words = (lo..t).rev().take(3).take_while(|&k| common(k)).count();
    if words >= 1 && t > lo + words && view.is_possessive(t - words - 1) {
        t -= words;
    } else if t > lo + 1 && common(t - 1) && view.entity_at(t - 2).is_some() {
        t -= 1;
    }
    while t > lo {
        let k = t - 1;
        if let Some(m) = view.mention_at[k] {
            // "anti-French protests" are not French.
            let before = view.doc.text.get(..view.doc.mentions[m].span.start).unwrap_or("").to_lowercase();
            if before.ends_with("anti-") || before.ends_with("pro-") {
                break;
            }
            if let Some((_, e, kind)) = view.entity_at(k) {
                args.push(Arg { mention: m, entity: e, kind });
            }
            t = view.doc.mentions[m].tokens.start.min(k);
            start = t;
            continue;
        }
        let w = view.lower(k);
        // Inside a capitalised name ("the G20 Leaders Summit") capitalised words join too.
        let in_proper_name = proper && k > lo && view.text(k).starts_with(|c: char| c.is_uppercase());
        if !args.is_empty() && matches!(w, "-" | "–" | "and") || view.is_possessive(k) || in_proper_name {
            t = k;
            continue;
        }
        break;
    }
    args.reverse();
    (args, start)
}

/// Function words that never join a name to an event noun.
const STOPWORDS: &[&str] = &[
    "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "from", "the", "a", "an", "after", "before", "since", "as",
    "than", "that", "which", "who", "during", "over", "about", "into", "under", "against", "between", "across", "through",
    "is", "are", "was", "were", "said", "says", "but",
];

/// Modality of a trigger from the words around it.
fn modality(view: &View, lo: usize, hi: usize, np_start: usize, trigger: usize, pos: Pos) -> Modality {
    let before: Vec<&str> = (np_start.saturating_sub(4).max(lo)..np_start).map(|t| view.lower(t)).collect();
    let after: Vec<&str> = (trigger + 1..(trigger + 4).min(hi)).map(|t| view.lower(t)).collect();
    let negations = ["not", "n't", "never", "no", "without", "didn't", "did not", "failed", "denied"];
    let modals = [
        "may", "might", "could", "would", "should", "will", "shall", "'ll", "must", "can", "plans", "planned", "plan",
        "hopes", "hope", "wants", "want", "expected", "threatened", "threatens", "threaten", "proposed", "possible",
        "potential", "future", "upcoming", "forthcoming", "next", "likely", "need", "calls", "call", "urged", "threat",
        "risk", "fears", "fear", "prospect", "chance", "demanded", "demand", "seeking", "seek", "sought", "bid",
        "prevent", "avoid", "fresh", "new", "ahead", "favour", "favor", "favours", "favors", "support", "supports",
        "oppose", "opposes", "opposed", "proponent", "against", "start",
    ];
    let near_before = &before[before.len().saturating_sub(2)..];
    if near_before.iter().any(|w| negations.contains(w)) {
        return Modality::Negated;
    }
    // "rallied to beat", "went on to win", "came back to draw": the infinitive completes a past verb.
    let completed = before.len() >= 2 && matches!(before[before.len() - 2], "rallied" | "managed" | "on" | "back" | "down" | "battled" | "recovered" | "fought" | "held");
    if before.iter().any(|w| modals.contains(w)) || pos == Pos::Verb && near_before.last() == Some(&"to") && !completed {
        return Modality::Hypothetical;
    }
    let after_modal = ["planned", "expected", "scheduled", "due", "proposed", "possible", "likely", "will", "would", "could", "may", "might", "plot", "plots", "threat", "bid", "offer", "plan", "plans", "talks", "fears"];
    if pos == Pos::Noun && after.iter().take(3).any(|w| after_modal.contains(w)) {
        return Modality::Hypothetical;
    }
    // The clause's auxiliary: the nearest one before the trigger ("he will see X before chairing a
    // meeting"), or for a noun before any auxiliary, the first one after it ("the summit … will use").
    match nearest_auxiliary(view, lo, np_start) {
        Some(aux) if is_modal_aux(view, aux) => Modality::Hypothetical,
        Some(_) => Modality::Asserted,
        None if pos == Pos::Noun => match first_auxiliary_after(view, trigger, hi) {
            Some(aux) if is_modal_aux(view, aux) => Modality::Hypothetical,
            _ => Modality::Asserted,
        },
        None => Modality::Asserted,
    }
}

const AUXILIARY: &[&str] = &[
    "will", "would", "could", "may", "might", "shall", "should", "can", "must", "'ll", "'d", "has", "have", "had", "was", "were",
    "is", "are", "did", "does", "do", "wo", "ca",
];

/// Whether the auxiliary at a token speaks of what is not (yet) a fact: a modal, or "is due/set/
/// expected/to".
fn is_modal_aux(view: &View, t: usize) -> bool {
    match view.lower(t) {
        "will" | "would" | "could" | "may" | "might" | "shall" | "should" | "can" | "must" | "'ll" | "'d" | "wo" | "ca" => true,
        "is" | "are" | "was" | "were" => matches!(view.lower(t + 1), "due" | "set" | "expected" | "scheduled" | "planned" | "likely" | "to" | "unlikely"),
        _ => false,
    }
}

/// Words that end the clause an auxiliary belongs to, looking back from a trigger.
fn is_clause_boundary(w: &str) -> bool {
    matches!(w, ";" | ":" | "said" | "says" | "told" | "but" | "after" | "since" | "because" | "while" | "as" | "which" | "who" | "that" | "\"" | "“" | "”")
}

fn nearest_auxiliary(view: &View, lo: usize, before: usize) -> Option<usize> {
    (lo..before).rev().take_while(|&t| !is_clause_boundary(view.lower(t))).find(|&t| AUXILIARY.contains(&view.lower(t)))
}

fn first_auxiliary_after(view: &View, trigger: usize, hi: usize) -> Option<usize> {
    (trigger + 1..hi.min(trigger + 16)).take_while(|&t| !matches!(view.lower(t), ";" | ":" | "said" | "says" | "\"" | "“" | "”" | "which" | "who" | "that")).find(|&t| AUXILIARY.contains(&view.lower(t)))
}

/// Adjusts an ambiguous trigger by its neighbours, or rejects it.
fn disambiguate(view: &View, lo: usize, hi: usize, t: usize, kind: EventType, pos: Pos) -> Option<EventType> {
    let prev = if t > lo { view.lower(t - 1) } else { "" };
    let next = if t + 1 < hi { view.lower(t + 1) } else { "" };
    let word = view.lower(t);
    let determiner = matches!(prev, "the" | "a" | "an" | "this" | "that" | "its" | "their" | "his" | "her" | "on") || view.is_possessive(t.saturating_sub(1));
    match (kind, word) {
        (EventType::Strike, _) => {
            if matches!(prev, "air" | "missile" | "drone" | "military" | "rocket") {
                Some(EventType::Attack)
            } else if matches!(next, "a" | "an" | "the" | "back") || !determiner && !matches!(prev, "national" | "general" | "one-day" | "24-hour" | "48-hour") {
                None
            } else {
                Some(kind)
            }
        }
        (EventType::Conflict, "campaign") => matches!(prev, "air" | "military" | "bombing").then_some(EventType::Conflict),
        (EventType::Election, "vote") | (EventType::Protest, "rally") => determiner.then_some(kind),
        (EventType::SportsMatch, _) => {
            // "a win over", "a defeat by": the result nouns need their other side.
            let noun_ok = pos == Pos::Verb || matches!(next, "over" | "by" | "against" | "to");
            (noun_ok && sports_cue(view, lo, hi)).then_some(kind)
        }
        // "raised rates", "lowered interest rates"; "passed a law"; "approved the bill/reform/ban".
        (EventType::PolicyDecision, "raised" | "lowered") => {
            let object = (t + 1..(t + 4).min(hi)).map(|k| view.lower(k)).collect::<Vec<_>>();
            object.iter().any(|w| matches!(*w, "rates" | "rate")).then_some(kind)
        }
        (EventType::PolicyDecision, "passed" | "approved" | "approves" | "ratified") => {
            // Decisions are of bodies on measures: the measure must be named near the verb.
            let window = t.saturating_sub(8).max(lo)..(t + 6).min(hi);
            window.clone().any(|k| matches!(view.lower(k), "law" | "laws" | "bill" | "bills" | "reform" | "reforms" | "legislation" | "ban" | "budget" | "measure" | "measures" | "motion" | "resolution" | "amendment" | "treaty" | "rules" | "regulations" | "plans" | "decision" | "rates")).then_some(kind)
        }
        (EventType::PolicyDecision, "ban") => (determiner || matches!(next, "on")).then_some(kind),
        // "X has been banned from suing" is a sanction on X (a ruling), not a policy.
        // "a judge has barred X from the case" is a ruling.
        (EventType::PolicyDecision, "banned" | "barred" | "bans" | "outlawed")
            if (t.saturating_sub(6).max(lo)..t).any(|k| matches!(view.lower(k), "judge" | "court" | "tribunal" | "jury" | "judges")) =>
        {
            Some(EventType::LegalCase)
        }
        (EventType::PolicyDecision, "banned" | "barred" | "bans" | "outlawed") => (next != "from").then_some(kind),
        (EventType::Resignation, "stepped") => (next == "down").then_some(kind),
        (EventType::Resignation, "departure") => view.is_possessive(t.saturating_sub(1)).then_some(kind),
        (EventType::Appointment, "drafted") => (next == "in").then_some(kind),
        // A charge is an accusation unless someone is put in or takes it.
        (EventType::Appointment, "charge") => {
            let prev2 = if t > lo + 1 { view.lower(t - 2) } else { "" };
            (prev == "in" || is_acting_word(prev) && prev2 == "in" || matches!(prev, "took" | "take" | "taken" | "takes" | "taking")).then_some(kind)
        }
        (EventType::Attack, "attack" | "attacks") => {
            // "an attack on the plans" is criticism; violent attacks come with their victims or cues.
            let window = t.saturating_sub(6).max(lo)..(t + 10).min(hi);
            let violent = window.clone().any(|k| {
                matches!(
                    view.lower(k),
                    "killed" | "dead" | "wounded" | "injured" | "bomb" | "bombs" | "gunmen" | "terror" | "terrorist" | "militants"
                        | "suicide" | "explosion" | "blast" | "died" | "rocket" | "missile" | "insurgents" | "soldiers" | "troops"
                )
            });
            let ok = violent || matches!(view.entity_at(t.saturating_sub(1)), Some((_, _, EntityKind::Place)));
            ok.then_some(kind)
        }
        // "the ruling party", "Labour's ruling National Executive Committee": adjectives.
        (_, "ruling" | "fighting" | "shooting" | "bombing" | "flooding")
            if view.text(t + 1).starts_with(|c: char| c.is_uppercase()) || matches!(next, "party" | "coalition" | "body" | "council" | "class" | "elite" | "family" | "force" | "forces" | "season") =>
        {
            None
        }
        (_, "met") if matches!(next, "with") && pos == Pos::Verb => {
            // "met with criticism" unless a name follows.
            view.entity_at(t + 2).map(|_| kind)
        }
        _ => Some(kind),
    }
}

/// Whether a sentence speaks of a game: a score ("3-2", "26-21", "6-3 6-1") or a word of sport.
fn sports_cue(view: &View, lo: usize, hi: usize) -> bool {
    let words = (lo..hi).any(|k| {
        matches!(
            view.lower(k),
            "final" | "finals" | "semi-final" | "semi-finals" | "quarter-final" | "quarter-finals" | "match" | "matches" | "seed"
                | "cup" | "league" | "tournament" | "championship" | "goal" | "goals" | "try" | "tries" | "penalty"
                | "penalties" | "half-time" | "innings" | "wickets" | "premiership" | "sevens" | "game" | "fixture"
                | "stadium" | "striker" | "unseeded" | "tie-break" | "play-off"
        )
    });
    words || {
        let span = view.span(lo, hi.saturating_sub(1).max(lo));
        let text = view.doc.text.get(span).unwrap_or("");
        score_pattern().is_match(text)
    }
}

fn score_pattern() -> &'static regex::Regex {
    static P: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    // One or two digits a side: "1998-99" is a season, "8-1" a vote is rare beside a game verb.
    P.get_or_init(|| regex::Regex::new(r"(?:^|[^\d-])\d{1,2}-\d{1,2}(?:$|[^\d-])").expect("score pattern compiles"))
}

/// Finds the events of a document; `times` are its time expressions.
pub(crate) fn find_events(view: &View, times: &[TimeExpr]) -> Vec<Event> {
    let doc = view.doc;
    let mut events: Vec<Event> = Vec::new();
    for (s, sentence) in doc.sentences.iter().enumerate() {
        let (lo, hi) = (sentence.tokens.start, sentence.tokens.end);
        let Some(sentence_text) = doc.text.get(sentence.span.clone()) else { continue };
        let token_of_byte = |b: usize| (lo..hi).find(|&t| doc.tokens[t].span.end > b).unwrap_or(hi.saturating_sub(1));
        let sentence_times: Vec<&TimeExpr> = times.iter().filter(|t| t.span.start >= sentence.span.start && t.span.end <= sentence.span.end).collect();
        let in_time = |t: usize| {
            let span = &doc.tokens[t].span;
            sentence_times.iter().any(|x| x.span.start <= span.start && span.end <= x.span.end)
        };
        let first_new = events.len();
        let mut t = lo;
        while t < hi {
            let current = t;
            t += 1;
            // A recognised event name.
            if let Some(m) = view.mention_at[current] {
                let mention = &doc.mentions[m];
                if mention.kind == MentionKind::Event && !mention.tokens.is_empty() {
                    if let Some(e) = mention.entity {
                        let head = mention.tokens.clone().rev().find_map(|k| trigger(view.lower(k)).map(|x| x.0)).unwrap_or(EventType::Other);
                        let name = doc.entities.get(e).map(|x| x.name.clone()).unwrap_or_default();
                        let np_start = mention.tokens.start;
                        let mut event = new_event(head, s, view.span(np_start, mention.tokens.end - 1), mention.tokens.end - 1, "event");
                        event.name_key = Some(entity_key(doc, e));
                        event.label = name.clone();
                        event.name = Some(name);
                        event.modality = modality(view, lo, hi, np_start, mention.tokens.end - 1, Pos::Noun);
                        event.place = find_place(view, lo, hi, np_start, mention.tokens.end - 1);
                        events.push(event);
                    }
                    t = mention.tokens.end.max(current + 1);
                    continue;
                }
                if mention.entity.is_some() {
                    continue;
                }
            }
            let word = view.lower(current);
            let Some((kind, noun, pos)) = trigger(word) else { continue };
            // Inside a name we do not know ("World War I", "Strike Force"), unless it names an event.
            let capitalised = current > lo && view.text(current).starts_with(|c: char| c.is_uppercase()) && !view.text(current).chars().all(|c| c.is_uppercase());
            if capitalised && !NAMED_HEADS.contains(&word) {
                continue;
            }
            let Some(mut kind) = disambiguate(view, lo, hi, current, kind, pos) else { continue };
            // "X agreed to buy Y": the agreement is the deal.
            let agreed_deal = word == "agreed" && view.lower(current + 1) == "to" && matches!(view.lower(current + 2), "buy" | "acquire" | "sell" | "merge" | "purchase");
            if agreed_deal {
                kind = EventType::BusinessDeal;
            }

            // Coordinated triggers of one type in one phrase are one event.
            if let Some(prev) = events[first_new..].last_mut() {
                if prev.kind == kind && prev.trigger_tokens.last().is_some_and(|&p| (p + 1..current).all(|k| matches!(view.lower(k), "and" | "," | "or" | "-"))) {
                    prev.trigger_tokens.push(current);
                    prev.triggers.push(doc.tokens[current].span.clone());
                    continue;
                }
            }

            let mut event = new_event(kind, s, doc.tokens[current].span.clone(), current, noun);
            let mut np_start = current;
            let mut pronoun_subject = false;
            match pos {
                Pos::Verb => {
                    let mut subject_end = current;
                    let mut object_start = if agreed_deal { current + 3 } else { current + 1 };
                    // "was passed 8-1 by the Bank's committee": a decision's tally and its agent.
                    if matches!(kind, EventType::PolicyDecision | EventType::LegalCase) {
                        while object_start < hi && (view.text(object_start).starts_with(|c: char| c.is_ascii_digit()) || matches!(view.lower(object_start), "-" | "–")) {
                            object_start += 1;
                        }
                    }
                    if kind == EventType::SportsMatch {
                        // "X rallied to beat Y", "X came from 15-6 down to beat Y": the subject is
                        // before the verb the infinitive completes.
                        if current > lo + 1 && view.lower(current - 1) == "to" {
                            let mut k = current - 1;
                            let mut skipped = 0;
                            while k > lo && skipped < 6 && view.mention_at[k - 1].is_none() && !is_pronoun(view.lower(k - 1)) && !matches!(view.lower(k - 1), "," | ";" | "and" | "but") {
                                k -= 1;
                                skipped += 1;
                            }
                            subject_end = k;
                        }
                        // "were beaten 33-15 by Y", "lost 17-5 to Y"
                        while object_start < hi && (view.text(object_start).starts_with(|c: char| c.is_ascii_digit()) || matches!(view.lower(object_start), "-" | "–" | "(" | ")")) {
                            object_start += 1;
                        }
                        if object_start < hi && matches!(view.lower(object_start), "by" | "to" | "against") {
                            object_start += 1;
                        }
                    }
                    let (subjects, pronoun) = subject_chain(view, lo, subject_end, &in_time);
                    let objects = object_chain(view, object_start, hi);
                    // "they came from behind to beat Y": one named side and a pronoun for the other.
                    pronoun_subject = pronoun && subjects.is_empty();
                    for a in subjects.iter().chain(objects.iter()) {
                        add_arg(doc, &mut event, *a, objects.iter().any(|o| o.mention == a.mention));
                    }
                    event.definite = pronoun;
                }
                Pos::Noun => {
                    let (mods, start) = noun_modifiers(view, lo, current);
                    np_start = start;
                    // Names the recogniser left untyped ("G20") name events too.
                    let misc: Vec<String> = (np_start..current)
                        .filter_map(|k| view.mention_at[k])
                        .filter(|&m| doc.mentions[m].kind == MentionKind::Misc && doc.mentions[m].entity.is_none())
                        // Only acronym-like names ("G20", "EU"): capitalised common words are not names of organizers.
                        .filter(|&m| doc.mention_text(&doc.mentions[m]).chars().any(|c| c.is_ascii_digit()) || doc.mention_text(&doc.mentions[m]).chars().filter(|c| c.is_alphabetic()).all(|c| c.is_uppercase()))
                        .map(|m| format!("misc:{}", super::slug(doc.mention_text(&doc.mentions[m]))))
                        .collect();
                    let named_head = NAMED_HEADS.contains(&word)
                        && (mods.iter().any(|a| matches!(a.kind, EntityKind::Organization | EntityKind::Event)) || !misc.is_empty())
                        && mods.iter().all(|a| a.kind != EntityKind::Person);
                    if named_head {
                        let mut keys: Vec<String> = mods.iter().filter(|a| a.kind != EntityKind::Place).map(|a| entity_key(doc, a.entity)).collect();
                        keys.extend(misc.iter().cloned());
                        keys.dedup();
                        keys.sort();
                        keys.push(word.trim_end_matches('s').to_string());
                        event.name_key = Some(keys.join("+"));
                        event.name = Some(doc.slice(&view.span(np_start, current)).split_whitespace().collect::<Vec<_>>().join(" "));
                        for a in mods.iter().filter(|a| a.kind == EntityKind::Place) {
                            event.place.get_or_insert(a.entity);
                        }
                    } else if capitalised {
                        continue;
                    } else {
                        for a in &mods {
                            add_arg(doc, &mut event, *a, true);
                        }
                        // "Paris attacks", "Russia WTO talks" read well as written; people read better as
                        // "Roe–Doe talks".
                        if !mods.is_empty() && mods.iter().all(|a| a.kind != EntityKind::Person) {
                            event.modifier_text = Some(doc.slice(&view.span(np_start, current)).to_string());
                        }
                    }
                    // "talks between X and Y", "talks with Y", "acquisition of Y", "attack by X"
                    let k = current + 1;
                    // "a visit to Kenya"
                    if kind == EventType::Visit && k < hi && view.lower(k) == "to" {
                        if let Some((_, e, EntityKind::Place)) = view.entity_at(k + 1).or_else(|| view.entity_at(k + 2).filter(|_| view.lower(k + 1) == "the")) {
                            event.place = Some(e);
                        }
                    }
                    let over = kind == EventType::SportsMatch && k < hi && matches!(view.lower(k), "over" | "to");
                    if k < hi && (over || matches!(view.lower(k), "between" | "with" | "of" | "by" | "against" | "alongside")) {
                        // "riots against French nationals" did not happen in France.
                        let against = view.lower(k) == "against";
                        // Nor is "the crash of a Russian plane" in Russia: places come from "in"/"at".
                        for a in object_chain(view, k + 1, hi).into_iter().filter(|a| !against || a.kind != EntityKind::Place) {
                            let place = event.place;
                            add_arg(doc, &mut event, a, true);
                            event.place = place;
                        }
                    }
                    // Support verbs: "X held talks with Y", "X launched an air campaign".
                    let mut v = np_start;
                    let modifier_word = |w: &str| {
                        matches!(w, "a" | "an" | "the" | "their" | "its" | "his" | "her" | "first" | "second" | "new" | "animated" | "bilateral" | "lengthy" | "brief" | "air" | "military" | "formal" | "informal" | "private" | "direct" | "official" | "state" | "$" | "£" | "€" | "co-operation" | "cooperation" | "(" | ")" | ";")
                            || w.starts_with(|c: char| c.is_ascii_digit())
                    };
                    while v > lo && (modifier_word(view.lower(v - 1)) || in_time(v - 1)) {
                        v -= 1;
                    }
                    event.definite = v > lo && matches!(view.lower(v.max(lo + 1) - 1), "the" | "this" | "that" | "their" | "its")
                        || (v..np_start).any(|k| matches!(view.lower(k), "the" | "this" | "that" | "their" | "its"))
                        || np_start > lo && view.is_possessive(np_start - 1);
                    // "X has been on trial", "workers went on strike"
                    let on_state = v > lo && view.lower(v - 1) == "on" && matches!(kind, EventType::LegalCase | EventType::Strike);
                    if v > lo && (is_support_verb(view.lower(v - 1)) || on_state) {
                        let (subjects, pronoun) = subject_chain(view, lo, v - 1, &in_time);
                        for a in subjects {
                            add_arg(doc, &mut event, a, false);
                        }
                        event.definite |= pronoun;
                    }
                }
            }
            // "X has been put in temporary charge", "X took charge": the holder is the clause's subject.
            if word == "charge" && kind == EventType::Appointment {
                let mut k = current;
                while k > lo && (is_acting_word(view.lower(k - 1)) || matches!(view.lower(k - 1), "in" | "overall" | "full")) {
                    k -= 1;
                }
                // Past the verb ("put", "placed", "took").
                let verb_at = k.saturating_sub(1).max(lo);
                let (subjects, _) = subject_chain(view, lo, if k < current { verb_at } else { k.saturating_sub(1).max(lo) }, &in_time);
                for a in subjects {
                    add_arg(doc, &mut event, a, false);
                }
                if event.participants.is_empty() {
                    continue;
                }
            }
            // "X's 3-2 win over Y", "X suffered a defeat by Y": the other side of a result noun is
            // the clause's first name when no support verb linked it.
            if kind == EventType::SportsMatch && pos == Pos::Noun && event.participants.len() == 1 {
                let first = (lo..np_start).find_map(|k| view.entity_at(k).filter(|(m, _, _)| view.doc.mentions[*m].tokens.start == k));
                if let Some((m, e, kind)) = first {
                    add_arg(doc, &mut event, Arg { mention: m, entity: e, kind }, false);
                }
            }
            event.modality = modality(view, lo, hi, np_start, current, pos);
            if event.place.is_none() {
                event.place = find_place(view, lo, hi, np_start, current);
            }
            // Meeting verbs need someone who met; a sale or purchase needs a buyer and what was bought
            // ("sold 1m cars" is no deal).
            let needed = match (pos, kind) {
                (Pos::Verb, EventType::BusinessDeal) if event.definite => 1,
                (Pos::Verb, EventType::BusinessDeal) => 2,
                (Pos::Verb, EventType::Meeting | EventType::Agreement | EventType::Election | EventType::LegalCase | EventType::Attack) => 1,
                (Pos::Verb, EventType::PolicyDecision | EventType::Resignation | EventType::Appointment) => 1,
                // A game has two sides; one named side ("Wales won") is a result, not a game we can place.
                (_, EventType::SportsMatch) if pronoun_subject => 1,
                (_, EventType::SportsMatch) => 2,
                _ => 0,
            };
            if event.participants.len() < needed {
                continue;
            }
            // Deals and agreements between companies are business deals, and so is one company's
            // priced deal ("a $6bn deal", "Boeing's £2bn agreement").
            let priced = (np_start.saturating_sub(3).max(lo)..current).any(|k| is_amount_of_money(view.text(k)));
            let by_companies = !event.participants.is_empty() && event.participants.iter().all(|&e| is_company(doc, e));
            if kind == EventType::Agreement && by_companies && (event.participants.len() >= 2 || priced) {
                event.kind = EventType::BusinessDeal;
            }
            // "on the sidelines of the summit", "during the visit"
            for k in current + 1..hi.min(current + 12) {
                let w = view.lower(k);
                if matches!(w, "sidelines" | "sideline" | "fringes" | "margins" | "side") && view.lower(k + 1) == "of" || w == "during" {
                    event.super_at = Some(k + 1);
                    break;
                }
            }
            events.push(event);
        }

        // Times, durations and casualties of the sentence go to its nearest event.
        let sentence_events: Vec<usize> = (first_new..events.len()).collect();
        if sentence_events.is_empty() {
            continue;
        }
        let distance = |e: &Event, at: usize| {
            let tok = e.trigger_tokens[0];
            if at >= tok {
                (at - tok) * 2
            } else {
                (tok - at) * 2 + 1
            }
        };
        // Super-events: the first event whose trigger follows the "sidelines of" cue.
        for &i in &sentence_events {
            if let Some(at) = events[i].super_at {
                events[i].super_event = sentence_events.iter().copied().find(|&j| j != i && events[j].trigger_tokens.iter().any(|&k| k >= at && k < at + 10));
                // What happens on the sidelines of a summit happens where the summit is.
                if let Some(j) = events[i].super_event {
                    events[i].place = events[i].place.or(events[j].place);
                }
            }
        }
        // The time, duration and place phrases of a clause belong to its main event, not to the
        // event it happened within ("met on the sidelines of the summit on Sunday").
        let sentence_events: Vec<usize> = sentence_events.iter().copied().filter(|&j| !sentence_events.iter().any(|&i| events[i].super_event == Some(j))).collect();
        for x in sentence_times.iter().filter(|x| x.value.is_some()) {
            let at = token_of_byte(x.span.start);
            if let Some(&i) = sentence_events.iter().filter(|&&i| events[i].time.is_none()).min_by_key(|&&i| distance(&events[i], at)) {
                // A time belongs to the event it is closest to among all events of the sentence.
                let nearest = sentence_events.iter().min_by_key(|&&j| distance(&events[j], at)).copied();
                if nearest == Some(i) {
                    events[i].time = Some((*x).clone());
                }
            }
        }
        for d in find_durations(sentence_text, sentence.span.start) {
            // "lasted 35 minutes" belongs to the event it is said of; "a two-day summit" and "talks
            // for two hours" to the trigger right beside them.
            let before = doc.text.get(d.span.start.saturating_sub(16)..d.span.start).unwrap_or("").to_lowercase();
            let at = token_of_byte(d.span.start);
            let end = token_of_byte(d.span.end.saturating_sub(1));
            let lasted = ["lasted", "lasting", "lasts", "took"].iter().any(|c| before.contains(c));
            let beside = |e: &Event| {
                e.trigger_tokens.iter().any(|&t| (d.text.contains('-') && t == end + 1) || (before.ends_with("for ") && t < at && at - t <= 4))
            };
            let target = if lasted {
                sentence_events.iter().copied().min_by_key(|&i| distance(&events[i], at))
            } else {
                sentence_events.iter().copied().find(|&i| beside(&events[i]))
            };
            if let Some(i) = target {
                events[i].duration.get_or_insert(d);
            }
        }
        for c in find_casualties(sentence_text, sentence.span.start) {
            let at = token_of_byte(c.span.start);
            if let Some(&i) = sentence_events.iter().filter(|&&i| events[i].kind.has_casualties()).min_by_key(|&&i| distance(&events[i], at)) {
                events[i].casualties.get_or_insert(c);
            }
        }
        for toll in find_tolls(sentence_text, sentence.span.start) {
            let at = token_of_byte(toll.span.start);
            if let Some(&i) = sentence_events.iter().filter(|&&i| events[i].kind.has_casualties()).min_by_key(|&&i| distance(&events[i], at)) {
                let slot = match toll.kind {
                    TollKind::Injured => &mut events[i].injured,
                    TollKind::Missing => &mut events[i].missing,
                };
                slot.get_or_insert(toll);
            }
        }
        // An event no time expression is closest to takes the nearest dated one of its sentence
        // ("X beat Y in Accra on Sunday, their first win since May"); without one it stays undated.
        for &i in &sentence_events {
            if events[i].time.is_some() {
                continue;
            }
            let nearest = sentence_times.iter().filter(|x| x.value.is_some()).min_by_key(|x| distance(&events[i], token_of_byte(x.span.start)));
            match nearest {
                Some(x) => events[i].time = Some((*x).clone()),
                None => {
                    let reason = if sentence_times.is_empty() {
                        "no time expression in its sentence"
                    } else {
                        "the time expressions of its sentence have no calendar value"
                    };
                    events[i].undated_reason = Some(reason.to_string());
                }
            }
        }
    }
    ceremony_winners(view, &mut events);
    dateline_place(view, &mut events);
    let merged = merge_coreferent(events);
    // Re-point super-event links past the events that say too little to keep.
    let mut new_index = vec![None; merged.len()];
    let mut kept = 0;
    for (i, e) in merged.iter().enumerate() {
        if informative(e) {
            new_index[i] = Some(kept);
            kept += 1;
        }
    }
    merged
        .into_iter()
        .filter(informative)
        .map(|mut e| {
            e.super_event = e.super_event.and_then(|s| new_index[s]);
            e.label = label(doc, &e);
            e
        })
        .collect()
}

fn new_event(kind: EventType, sentence: usize, span: Span, token: usize, noun: &str) -> Event {
    Event {
        kind,
        label: String::new(),
        name: None,
        name_key: None,
        triggers: vec![span],
        sentence,
        modality: Modality::Asserted,
        participants: Vec::new(),
        place: None,
        time: None,
        duration: None,
        casualties: None,
        injured: None,
        missing: None,
        undated_reason: None,
        super_event: None,
        trigger_tokens: vec![token],
        last_sentence: sentence,
        super_at: None,
        definite: false,
        noun: noun.to_string(),
        modifier_text: None,
    }
}

/// An organization that is not a state body, party or international organization, as far as the
/// knowledge base tells.
fn is_company(doc: &Doc, entity: usize) -> bool {
    doc.entities.get(entity).is_some_and(|e| {
        e.kind == EntityKind::Organization
            && !e.link.as_ref().and_then(|l| l.class.as_deref()).is_some_and(|c| matches!(c, "InternationalOrganization" | "PoliticalParty"))
    })
}

/// "$6bn", "£2.1bn", "€300m", "US$5": a token that is an amount of money by its currency sign.
fn is_amount_of_money(token: &str) -> bool {
    let rest = token.strip_prefix("US").unwrap_or(token);
    rest.starts_with(['$', '£', '€', '¥']) && rest.chars().nth(1).is_none_or(|c| c.is_ascii_digit())
}

/// Whether a place entity is a country (which can act: meet, agree, fight) rather than a city or
/// region (where things happen).
fn is_country(doc: &Doc, entity: usize) -> bool {
    doc.entities.get(entity).and_then(|e| e.link.as_ref()).and_then(|l| l.class.as_deref()) == Some("Country")
}

fn is_support_verb(w: &str) -> bool {
    matches!(
        w,
        "held" | "hold" | "holds" | "holding" | "had" | "have" | "has" | "launched" | "launch" | "launches" | "staged" | "stage"
            | "signed" | "sign" | "signs" | "reached" | "reach" | "struck" | "completed" | "complete" | "won" | "win" | "wins"
            | "carried" | "made" | "announced" | "announces" | "agreed" | "sealed" | "began" | "begin" | "opened" | "joined"
            | "attended" | "attend" | "hosted" | "host" | "led" | "paid" | "pays" | "extended" | "renewed" | "formalised"
            | "formalized" | "concluded" | "finalised" | "finalized" | "placed" | "lost" | "fought" | "suffered"
    )
}

/// Adds an entity as a participant (people and organizations; countries as subjects) or, for a
/// place in object or modifier position, as the place.
///
/// A country is a participant when it acts (a subject) or names a party to talks, deals, cases
/// and wars ("Russia WTO talks"); other places, and countries where attacks, disasters, visits
/// or elections happen, are the place.
fn add_arg(doc: &Doc, event: &mut Event, a: Arg, object: bool) {
    let party = match a.kind {
        EntityKind::Person | EntityKind::Organization => true,
        // Companies named after places ("the Seagram purchase") are often typed as places.
        EntityKind::Place if event.kind == EventType::BusinessDeal => true,
        // Teams are named after their countries and cities ("England beat Fiji").
        EntityKind::Place if event.kind == EventType::SportsMatch => true,
        EntityKind::Place => {
            let acting = matches!(event.kind, EventType::Meeting | EventType::Agreement | EventType::Conflict | EventType::LegalCase);
            is_country(doc, a.entity) && (!object || acting) && event.kind != EventType::Visit
        }
        EntityKind::Event => return,
    };
    if party {
        if !event.participants.contains(&a.entity) {
            event.participants.push(a.entity);
        }
    } else {
        event.place.get_or_insert(a.entity);
    }
}

/// The winners named around a ceremony are its participants: subjects of "won", "collected",
/// "picked up", "took", "received", or of "were the big winners", in its sentence and the two after.
fn ceremony_winners(view: &View, events: &mut [Event]) {
    let doc = view.doc;
    for e in events.iter_mut().filter(|e| e.kind == EventType::Ceremony) {
        for s in e.sentence..(e.sentence + 3).min(doc.sentences.len()) {
            let range = view.sentence_tokens(s);
            let (lo, hi) = (range.start, range.end);
            for k in lo..hi {
                if !matches!(view.lower(k), "won" | "wins" | "collected" | "picked" | "scooped" | "took" | "received" | "winners" | "winner") {
                    continue;
                }
                // "were the big winners": past the article and one adjective.
                let mut end = k;
                while end > lo && end + 3 > k && matches!(view.lower(end - 1), "the" | "big" | "biggest" | "main" | "overall" | "joint") {
                    end -= 1;
                }
                let (subjects, _) = subject_chain(view, lo, end, &|_| false);
                for a in subjects.into_iter().filter(|a| matches!(a.kind, EntityKind::Person | EntityKind::Organization)) {
                    if !e.participants.contains(&a.entity) {
                        e.participants.push(a.entity);
                    }
                }
            }
        }
    }
}

/// The dateline's place is where the article's main event (the first asserted event of the first
/// two body sentences) happened, when the text gives no place for it.
fn dateline_place(view: &View, events: &mut [Event]) {
    let doc = view.doc;
    let Some(dateline) = doc.dateline_span() else { return };
    let Some(place_text) = doc.article.dateline.as_ref().and_then(|d| d.place.as_deref()) else { return };
    let first_part = place_text.split(',').next().unwrap_or("").trim().to_lowercase();
    let place = doc.entities.iter().enumerate().find_map(|(i, e)| {
        let in_dateline = e.mentions.iter().any(|&m| doc.mentions.get(m).is_some_and(|m| m.span.start >= dateline.start && m.span.end <= dateline.end));
        let same_name = e.name.to_lowercase() == first_part || e.aliases.iter().any(|a| a.to_lowercase() == first_part);
        (e.kind == EntityKind::Place && (in_dateline || same_name)).then_some(i)
    });
    let Some(place) = place else { return };
    let body_sentences: Vec<usize> = doc.sentences.iter().enumerate().filter(|(_, s)| s.span.start >= doc.body_start).map(|(i, _)| i).take(2).collect();
    if let Some(main) = events.iter_mut().find(|e| e.asserted() && body_sentences.contains(&e.sentence)) {
        main.place.get_or_insert(place);
    }
}

fn compatible(a: &Event, b: &Event) -> bool {
    // a business deal is an agreement: "the agreement" after "a $6bn deal" between companies
    let same_kind = a.kind == b.kind || a.kind == EventType::BusinessDeal && b.kind == EventType::Agreement;
    let place_ok = a.place.is_none() || b.place.is_none() || a.place == b.place;
    let time_ok = match (a.time.as_ref().and_then(|t| t.value), b.time.as_ref().and_then(|t| t.value)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    let parts_ok = a.participants.is_empty()
        || b.participants.is_empty()
        || b.participants.iter().all(|p| a.participants.contains(p))
        || a.participants.iter().all(|p| b.participants.contains(p));
    let name_ok = match (&a.name_key, &b.name_key) {
        (Some(x), Some(y)) => x == y,
        (None, None) => true,
        _ => false,
    };
    same_kind && place_ok && time_ok && parts_ok && name_ok && a.modality == b.modality
}

/// Merges later mentions of an event into its first mention.
fn merge_coreferent(events: Vec<Event>) -> Vec<Event> {
    let mut merged: Vec<Event> = Vec::new();
    let mut index_of: Vec<usize> = Vec::with_capacity(events.len());
    for e in events {
        let same_participants = |m: &Event| !e.participants.is_empty() && {
            let mut a = m.participants.clone();
            let mut b = e.participants.clone();
            a.sort();
            b.sort();
            a == b
        };
        let anaphoric = e.definite || e.participants.is_empty();
        let shared = |m: &Event| {
            e.participants.iter().any(|p| m.participants.contains(p))
                || e.place.is_some() && e.place == m.place
                || e.time.as_ref().and_then(|t| t.value).is_some() && e.time.as_ref().and_then(|t| t.value) == m.time.as_ref().and_then(|t| t.value)
        };
        let target = merged.iter().rposition(|m| {
            compatible(m, &e)
                && (same_participants(m) || shared(m) || e.name_key.is_some() || anaphoric && e.sentence.saturating_sub(m.last_sentence) <= 4)
        });
        match target {
            Some(i) => {
                let m = &mut merged[i];
                for p in &e.participants {
                    if !m.participants.contains(p) {
                        m.participants.push(*p);
                    }
                }
                m.place = m.place.or(e.place);
                if m.time.as_ref().and_then(|t| t.value).is_none() && e.time.as_ref().and_then(|t| t.value).is_some() {
                    m.time = e.time.clone();
                }
                m.duration = m.duration.take().or(e.duration.clone());
                m.casualties = m.casualties.take().or(e.casualties.clone());
                m.injured = m.injured.take().or(e.injured.clone());
                m.missing = m.missing.take().or(e.missing.clone());
                if m.time.is_some() {
                    m.undated_reason = None;
                }
                m.super_event = m.super_event.or(e.super_event);
                m.triggers.extend(e.triggers.iter().cloned());
                m.last_sentence = m.last_sentence.max(e.sentence);
                if m.modifier_text.is_none() {
                    m.modifier_text = e.modifier_text.clone();
                }
                index_of.push(i);
            }
            None => {
                index_of.push(merged.len());
                merged.push(e);
            }
        }
    }
    // Super-event indices pointed into the unmerged list.
    for (i, m) in merged.iter_mut().enumerate() {
        m.super_event = m.super_event.and_then(|s| index_of.get(s).copied()).filter(|&s| s != i);
    }
    merged
}

/// Whether an event says enough to be worth a node.
///
/// A date or a duration alone is not enough: "the agreement … in 2004" could be any agreement.
fn informative(e: &Event) -> bool {
    e.name.is_some() || !e.participants.is_empty() || e.place.is_some() || e.casualties.is_some() || e.injured.is_some() || e.missing.is_some()
}

/// A readable label: the name; the written phrase ("Paris attacks"); participants' names and
/// the noun ("Roe–Doe meeting"); the noun and the place ("crash in Egypt"); the noun.
fn label(doc: &Doc, e: &Event) -> String {
    if let Some(name) = &e.name {
        return name.clone();
    }
    if let Some(text) = &e.modifier_text {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let short = |i: usize| {
        doc.entities.get(i).map(|x| match x.kind {
            EntityKind::Person => x.name.split_whitespace().last().unwrap_or(&x.name).to_string(),
            _ => x.name.clone(),
        })
    };
    if !e.participants.is_empty() {
        let names: Vec<String> = e.participants.iter().filter_map(|&p| short(p)).collect();
        return format!("{} {}", names.join("–"), e.noun);
    }
    if let Some(place) = e.place.and_then(short) {
        return format!("{} in {place}", e.noun);
    }
    e.noun.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::MentionKind::{Misc, Organization, Person, Place};
    use crate::relate::testdoc::{doc, mark};
    use crate::relate::{relate_with, Facts};

    fn person(d: &mut Doc, surface: &str, name: &str) {
        mark(d, surface, Person, Some((name, EntityKind::Person)));
    }
    fn place(d: &mut Doc, surface: &str) {
        mark(d, surface, Place, Some((surface, EntityKind::Place)));
    }
    fn org(d: &mut Doc, surface: &str, name: &str) {
        mark(d, surface, Organization, Some((name, EntityKind::Organization)));
    }
    fn facts(d: &Doc) -> Facts {
        relate_with(d, &crate::kb::Kb::default())
    }
    fn names(d: &Doc, e: &Event) -> Vec<String> {
        let mut v: Vec<String> = e.participants.iter().map(|&p| d.entities[p].name.clone()).collect();
        v.sort();
        v
    }

    /// A summit story with invented names: a meeting on the sidelines of a summit, a duration,
    /// an attack with casualties, a planned meeting, and a relative date.
    fn summit_story() -> Doc {
        let mut d = doc(
            "Ruritanian president John Doe and Freedonian president Ann Roe met on the sidelines of the Group of 7 summit in Zenda on Sunday.\n\
             The conversation lasted approximately 35 minutes, an official said.\n\
             Diplomats held talks in Strelsau the previous day.\n\
             It came after the Parisville bombing and shooting assaults which killed at least 129 people on Friday.\n\
             The leaders may meet again next month.",
            Some("2015-11-15"),
        );
        mark(&mut d, "Ruritanian", Misc, Some(("Ruritania", EntityKind::Place)));
        mark(&mut d, "Freedonian", Misc, Some(("Freedonia", EntityKind::Place)));
        person(&mut d, "John Doe", "John Doe");
        person(&mut d, "Ann Roe", "Ann Roe");
        org(&mut d, "Group of 7", "Group of 7");
        place(&mut d, "Zenda");
        place(&mut d, "Parisville");
        place(&mut d, "Strelsau");
        d
    }

    #[test]
    fn meeting_with_participants_place_time_duration_and_super_event() {
        let d = summit_story();
        let f = facts(&d);
        let meeting = f.events.iter().find(|e| e.kind == EventType::Meeting && e.asserted() && !e.participants.is_empty()).expect("a meeting");
        assert_eq!(names(&d, meeting), ["Ann Roe", "John Doe"]);
        assert_eq!(meeting.label, "Doe–Roe meeting");
        assert_eq!(meeting.place.map(|p| d.entities[p].name.as_str()), Some("Zenda"));
        assert_eq!(meeting.time.as_ref().and_then(|t| t.value).map(|v| v.lexical()).as_deref(), Some("2015-11-15"));
        let duration = meeting.duration.as_ref().expect("the conversation's duration joins the meeting");
        assert_eq!((duration.iso.as_str(), duration.minutes), ("PT35M", Some(35)));
        let summit = &f.events[meeting.super_event.expect("a super-event")];
        assert_eq!(summit.kind, EventType::Summit);
        assert_eq!(summit.name.as_deref(), Some("Group of 7 summit"));
    }

    #[test]
    fn attack_with_casualties_and_place() {
        let d = summit_story();
        let f = facts(&d);
        let attacks: Vec<&Event> = f.events.iter().filter(|e| e.kind == EventType::Attack).collect();
        assert_eq!(attacks.len(), 1, "{attacks:?}");
        let a = attacks[0];
        assert_eq!(a.place.map(|p| d.entities[p].name.as_str()), Some("Parisville"));
        assert_eq!(a.casualties.as_ref().map(|c| (c.killed, c.minimum)), Some((129, true)));
        assert_eq!(a.time.as_ref().and_then(|t| t.value).map(|v| v.lexical()).as_deref(), Some("2015-11-13"));
        assert_eq!(a.label, "Parisville bombing");
    }

    #[test]
    fn planned_meetings_are_not_asserted_and_previous_day_counts_back() {
        let d = summit_story();
        let f = facts(&d);
        assert!(f.events.iter().filter(|e| e.kind == EventType::Meeting).all(|e| e.asserted() || e.triggers[0].start > d.text.find("may meet").unwrap()));
        let talks = f.events.iter().find(|e| e.place.is_some_and(|p| d.entities[p].name == "Strelsau")).expect("the talks");
        assert_eq!(talks.time.as_ref().and_then(|t| t.value).map(|v| v.lexical()).as_deref(), Some("2015-11-14"));
    }

    #[test]
    fn talks_between_and_held_talks_with() {
        let mut d = doc("Talks between Acme and Widgetco ended in Zenda.\nJohn Doe held talks with Ann Roe on 3 March 2004.", None);
        org(&mut d, "Acme", "Acme");
        org(&mut d, "Widgetco", "Widgetco");
        person(&mut d, "John Doe", "John Doe");
        person(&mut d, "Ann Roe", "Ann Roe");
        place(&mut d, "Zenda");
        let f = facts(&d);
        let got: Vec<Vec<String>> = f.events.iter().map(|e| names(&d, e)).collect();
        assert_eq!(got, vec![vec!["Acme".to_string(), "Widgetco".into()], vec!["Ann Roe".into(), "John Doe".into()]]);
        assert_eq!(f.events[1].time.as_ref().and_then(|t| t.value).map(|v| v.lexical()).as_deref(), Some("2004-03-03"));
    }

    #[test]
    fn identity_is_shared_across_articles() {
        let a = summit_story();
        let mut b = doc("Freedonian president Ann Roe and Ruritanian president John Doe met in Zenda on Sunday to discuss trade.", Some("2015-11-16"));
        mark(&mut b, "Ruritanian", Misc, Some(("Ruritania", EntityKind::Place)));
        mark(&mut b, "Freedonian", Misc, Some(("Freedonia", EntityKind::Place)));
        person(&mut b, "John Doe", "John Doe");
        person(&mut b, "Ann Roe", "Ann Roe");
        place(&mut b, "Zenda");
        b.article.id = "other".into();
        let key = |d: &Doc| facts(d).events.iter().find(|e| e.kind == EventType::Meeting && !e.participants.is_empty()).map(|e| e.identity_key(d));
        assert_eq!(key(&a), key(&b));
        assert_eq!(key(&a).as_deref(), Some("Meeting|2015-11-15|place:zenda|person:ann-roe+person:john-doe"));
    }

    #[test]
    fn named_events_share_their_key() {
        let mut a = doc("Leaders gathered at the 2015 Group of 7 summit in Zenda.", None);
        org(&mut a, "Group of 7", "Group of 7");
        place(&mut a, "Zenda");
        let mut b = doc("The Group of 7 Leaders Summit opened on 15 November 2015.", None);
        org(&mut b, "Group of 7", "Group of 7");
        let summit = |d: &Doc| facts(d).events.into_iter().find(|e| e.kind == EventType::Summit).expect("a summit");
        let (x, y) = (summit(&a), summit(&b));
        assert_eq!(x.name.as_deref(), Some("Group of 7 summit"));
        assert_eq!(y.name.as_deref(), Some("Group of 7 Leaders Summit"));
        assert_eq!(x.identity_key(&a), "Summit|name:organization:group-of-7+summit|2015");
        assert_eq!(x.identity_key(&a), y.identity_key(&b));
    }

    #[test]
    fn criticism_and_vague_mentions_are_not_events() {
        let mut d = doc("The opposition launched an attack on the budget plans.\nTalks will continue.\nAcme did not acquire Widgetco.", None);
        org(&mut d, "Acme", "Acme");
        org(&mut d, "Widgetco", "Widgetco");
        let f = facts(&d);
        assert!(f.events.iter().all(|e| !e.asserted()), "{:?}", f.events);
    }

    #[test]
    fn one_companys_priced_deal_is_a_business_deal_and_the_agreement_after_it_the_same_event() {
        let mut d = doc(
            "Acme has signed a $6bn deal to supply gas to Freedonia.\nThe agreement is the largest Acme has signed.",
            None,
        );
        org(&mut d, "Acme", "Acme");
        let f = facts(&d);
        let asserted: Vec<&Event> = f.events.iter().filter(|e| e.asserted()).collect();
        assert_eq!(asserted.len(), 1, "{asserted:?}");
        assert_eq!(asserted[0].kind, EventType::BusinessDeal);
        assert_eq!(names(&d, asserted[0]), ["Acme"]);
        // without a price, one company's deal stays an agreement
        let mut d = doc("Acme has signed a deal to supply gas to Freedonia.", None);
        org(&mut d, "Acme", "Acme");
        assert!(facts(&d).events.iter().filter(|e| e.asserted()).all(|e| e.kind == EventType::Agreement));
    }
}
