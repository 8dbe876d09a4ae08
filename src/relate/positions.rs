//! Positions (W3C ORG posts): who holds which role in which organization or country.
//!
//! Patterns, over a sentence's mentions and a lexicon of generic job titles:
//! - `ORG|PLACE|DEMONYM ['s] ROLE PERSON` — "Ruritanian President John Doe", "Acme's chief executive Jane Roe"
//! - `the company's|its ROLE, PERSON` — the organization is the last one named before
//! - `PERSON, [a|the] ORG's ROLE` and `PERSON, [a|the] ROLE of|for|at ORG` — appositions
//! - `the ROLE of|at ORG, PERSON`
//! - `ROLE PERSON of PLACE` for legislators — "Senator John Doe of Ruritania"
//!
//! Only posts whose organization is known are kept. "Former" and "ex-" posts are kept but marked
//! [`Post::former`], because a graph that says someone held a post must not say they hold it now;
//! "acting", "interim" and "caretaker" posts are marked [`Post::acting`].

use super::View;
use crate::doc::{EntityKind, Span};
use crate::kb::Kb;
use serde::{Deserialize, Serialize};

/// A post and its holder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// Normalised lowercase role: "president", "chief executive", "foreign minister".
    pub role: String,
    /// The person entity holding the post.
    pub holder: usize,
    /// What the post belongs to.
    pub organization: PostOrg,
    /// The text the post was read from.
    pub span: Span,
    pub sentence: usize,
    /// A post held in the past ("former chairman X", "X, the ex-chief of Y").
    pub former: bool,
    /// A temporary holder ("acting chief executive", "interim president", "caretaker manager").
    pub acting: bool,
}

/// The organization, country or person a post belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PostOrg {
    /// An entity of the article.
    Entity(usize),
    /// A country named only by a demonym the resolver did not link to an entity.
    Country { kb_id: String, name: String },
}

/// Job titles, lowercase, as word sequences. Longer ones win ("foreign minister" over "minister").
const ROLES: &[&str] = &[
    "president", "vice president", "vice-president", "prime minister", "deputy prime minister", "chancellor",
    "minister", "foreign minister", "finance minister", "defence minister", "defense minister", "interior minister",
    "trade minister", "economy minister", "energy minister", "health minister", "justice minister",
    "environment minister", "culture minister", "agriculture minister", "oil minister", "industry minister",
    "education minister", "home secretary", "foreign secretary", "culture secretary", "health secretary",
    "trade secretary", "education secretary", "defence secretary", "transport secretary", "work and pensions secretary",
    "environment secretary", "secretary of state", "treasury secretary", "chief secretary", "shadow chancellor",
    "shadow home secretary", "shadow foreign secretary", "secretary general", "secretary-general", "general secretary",
    "chief executive", "chief executive officer", "ceo", "chief operating officer", "chief financial officer",
    "finance director", "managing director", "director general", "director-general", "director", "chairman",
    "chairwoman", "chair", "chief", "boss", "head", "founder", "co-founder", "owner", "spokesman", "spokeswoman",
    "spokesperson", "leader", "party leader", "deputy leader", "king", "queen", "governor", "mayor", "senator",
    "ambassador", "envoy", "adviser", "advisor", "foreign advisor", "foreign adviser", "foreign policy adviser",
    "economist", "chief economist", "analyst", "editor", "coach", "manager", "captain", "commissioner", "chief of staff",
    "general manager", "executive", "emir", "sultan", "premier", "speaker", "attorney general", "chief minister",
    "first minister", "justice secretary", "lawyer", "partner", "president-elect", "treasurer", "vice chairman",
    "administrator", "professor", "chief operating officer", "deputy chairman",
    // Legislators and party offices.
    "minority leader", "majority leader", "senate majority leader", "senate minority leader", "house speaker",
    "representative", "congressman", "congresswoman", "mp", "mep", "msp", "whip", "chief whip", "deputy leader",
    "shadow secretary", "deputy secretary", "under secretary", "assistant secretary",
    // Offices of organizations and movements.
    "convener", "convenor", "member", "board member", "co-chairman", "co-chair", "vice chair", "deputy director",
    "executive director", "chief judge", "chief justice", "judge", "prosecutor", "chief prosecutor",
    "sporting director", "technical director", "head coach", "assistant coach", "assistant manager",
    "caretaker manager", "caretaker boss", "chief constable", "commander", "commissioner", "auditor", "chief economist",
    "deputy governor", "lieutenant governor",
];

/// Whether a word is part of a job title ("chief", "minister"), for telling a person's
/// qualifiers from other words.
pub(crate) fn is_role_word(word: &str) -> bool {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    let words = WORDS.get_or_init(|| {
        ROLES.iter().flat_map(|r| r.split(' ')).filter(|w| !matches!(*w, "of" | "and" | "state" | "staff" | "work" | "pensions")).collect()
    });
    words.contains(word)
}

/// Occupations rather than offices: with a country before them they tell a nationality ("a US
/// lawyer"), so they need an organization to be a post.
const OCCUPATIONS: &[&str] = &["lawyer", "analyst", "economist", "chief economist", "editor", "executive", "coach", "manager", "partner", "adviser", "advisor", "owner", "founder", "co-founder"];

/// Canonical forms of synonymous titles.
fn normalise_role(role: &str) -> String {
    match role {
        "ceo" | "chief executive officer" => "chief executive".into(),
        "vice-president" => "vice president".into(),
        "secretary-general" => "secretary general".into(),
        "director-general" => "director general".into(),
        "advisor" => "adviser".into(),
        "foreign advisor" => "foreign adviser".into(),
        "chairwoman" => "chairman".into(),
        "spokeswoman" | "spokesperson" => "spokesman".into(),
        "defense minister" => "defence minister".into(),
        "convenor" => "convener".into(),
        "congresswoman" => "congressman".into(),
        "sen" => "senator".into(),
        "rep" => "representative".into(),
        "co-chair" => "co-chairman".into(),
        other => other.into(),
    }
}

/// Words that may stand between an organization and a role without changing the role.
const ROLE_ADJECTIVES: &[&str] = &["founding", "acting", "interim", "caretaker", "temporary", "senior", "joint", "new", "current", "retail", "top", "lead", "group"];

/// Words that make a post temporary (also "put in temporary charge" for appointments).
pub(super) fn is_acting_word(word: &str) -> bool {
    matches!(word, "acting" | "interim" | "caretaker" | "temporary" | "stand-in")
}

/// Whether an acting word stands right before the role or opens it ("acting president",
/// "caretaker manager").
fn is_acting(view: &View, lo: usize, role_first: usize, role: &str) -> bool {
    role.split(' ').next().is_some_and(is_acting_word) || role_first > lo && is_acting_word(view.lower(role_first - 1)) || role_first > lo + 1 && is_acting_word(view.lower(role_first - 2))
}

/// Legislators' titles that name their constituency after the name ("Senator X of Y").
/// Diplomats' titles do the same with the country they serve ("Ambassador X of Ruritania").
const LEGISLATOR_TITLES: &[&str] = &["senator", "representative", "congressman", "congresswoman", "rep", "sen", "governor", "ambassador", "envoy"];

/// Nouns standing for the last named organization ("the company's chief executive").
const ORG_ANAPHORS: &[&str] = &["company", "firm", "group", "bank", "party", "carrier", "airline", "retailer", "club", "agency", "government"];

/// The longest role ending at token `end` (inclusive) within `lo..`, as (first token, role).
fn role_ending_at(view: &View, lo: usize, end: usize) -> Option<(usize, String)> {
    let mut best: Option<(usize, String)> = None;
    for len in 1..=5 {
        let Some(first) = (end + 1).checked_sub(len) else { break };
        if first < lo {
            break;
        }
        let words: Vec<&str> = (first..=end).map(|t| view.lower(t)).collect();
        let phrase = words.join(" ").replace(" - ", "-");
        // Plural titles ("Acme managers X and Y") name the same role.
        let singular = phrase.strip_suffix('s').filter(|p| ROLES.contains(p)).map(str::to_string);
        let role = if ROLES.contains(&phrase.as_str()) { Some(phrase) } else { singular };
        if let Some(role) = role.filter(|_| (first..=end).all(|t| view.entity_at(t).is_none())) {
            best = Some((first, role));
        }
    }
    best
}

/// The longest role starting at token `start` within `..hi`, as (last token, role).
fn role_starting_at(view: &View, start: usize, hi: usize) -> Option<(usize, String)> {
    role_words_from(view, start, hi).filter(|(last, _)| (start..=*last).all(|t| view.entity_at(t).is_none()))
}

/// The longest role made of the tokens from `start` within `..hi`, inside a mention or not.
fn role_words_from(view: &View, start: usize, hi: usize) -> Option<(usize, String)> {
    let mut best: Option<(usize, String)> = None;
    for len in 1..=5 {
        let last = start + len - 1;
        if last >= hi {
            break;
        }
        let words: Vec<&str> = (start..=last).map(|t| view.lower(t)).collect();
        let phrase = words.join(" ");
        if ROLES.contains(&phrase.as_str()) {
            best = Some((last, phrase));
        }
    }
    best
}

/// The organization standing right before token `before` (exclusive): an Organization, Place or
/// demonym mention (with an optional possessive), a capitalised demonym the knowledge base knows,
/// or "the company's"/"its" pointing back to the last organization named.
fn org_before(view: &View, kb: &Kb, lo: usize, before: usize) -> Option<(usize, PostOrg)> {
    let mut t = before.checked_sub(1).filter(|t| *t >= lo)?;
    // "the party's founding chairman", "Acme's acting chief executive"
    if ROLE_ADJECTIVES.contains(&view.lower(t)) {
        t = t.checked_sub(1).filter(|t| *t >= lo)?;
    }
    let possessive = view.is_possessive(t);
    if possessive {
        t = t.checked_sub(1).filter(|t| *t >= lo)?;
    }
    if let Some(m) = view.mention_at.get(t).copied().flatten() {
        let mention = &view.doc.mentions[m];
        let first = mention.tokens.start;
        if let Some(e) = mention.entity {
            let kind = view.doc.entities.get(e)?.kind;
            // A person's post only with a possessive: "the president's spokesman", "X's adviser".
            let ok = matches!(kind, EntityKind::Organization | EntityKind::Place) || kind == EntityKind::Person && possessive;
            return ok.then_some((first, PostOrg::Entity(e)));
        }
        return demonym(kb, view.doc.mention_text(mention)).map(|org| (first, org));
    }
    let word = view.text(t);
    if word.starts_with(|c: char| c.is_uppercase()) {
        if let Some(org) = demonym(kb, word) {
            return Some((t, org));
        }
    }
    if view.lower(t) == "its" || ORG_ANAPHORS.contains(&view.lower(t)) && t > 0 && view.lower(t - 1) == "the" && view.is_possessive(t + 1) {
        let at = view.doc.tokens.get(t)?.span.start;
        return last_organization_before(view, at).map(|e| (t, PostOrg::Entity(e)));
    }
    None
}

fn demonym(kb: &Kb, word: &str) -> Option<PostOrg> {
    let entry = kb.demonym(word)?;
    Some(PostOrg::Country { kb_id: entry.id.to_string(), name: entry.label.to_string() })
}

/// The organization entity of the last Organization mention before a byte offset.
fn last_organization_before(view: &View, at: usize) -> Option<usize> {
    view.doc
        .mentions
        .iter()
        .rev()
        .filter(|m| m.span.end <= at && m.kind == crate::doc::MentionKind::Organization)
        .find_map(|m| m.entity)
}

/// The organization right after token `from` (inclusive), an Organization or Place mention.
fn org_at(view: &View, from: usize, hi: usize) -> Option<(usize, usize)> {
    let mut t = from;
    if t < hi && view.lower(t) == "the" {
        t += 1;
    }
    if t >= hi {
        return None;
    }
    let (m, e, kind) = view.entity_at(t)?;
    matches!(kind, EntityKind::Organization | EntityKind::Place).then_some((view.doc.mentions[m].tokens.end, e))
}

/// Words that put a post in the past.
fn is_former_word(word: &str) -> bool {
    matches!(word, "former" | "ex" | "ex-" | "then" | "late" | "outgoing")
}

/// Whether "former", "ex-" and the like stand within two tokens before `first` or open it.
fn is_former(view: &View, lo: usize, first: usize) -> bool {
    let prev = first.checked_sub(1).filter(|t| *t >= lo);
    let prev2 = first.checked_sub(2).filter(|t| *t >= lo);
    [prev, prev2].into_iter().flatten().any(|t| is_former_word(view.lower(t))) || view.lower(first).starts_with("ex-")
}

/// A found post before it becomes a [`Post`].
struct Found {
    role: String,
    org: PostOrg,
    /// First and one-past-last token of the text it was read from.
    first: usize,
    end: usize,
    former: bool,
    acting: bool,
    /// Roles coordinated with `role` ("chairman and chief executive"), held at the same organization.
    also: Vec<String>,
}

pub(crate) fn find_posts(view: &View, kb: &Kb) -> Vec<Post> {
    let doc = view.doc;
    let mut posts: Vec<Post> = Vec::new();
    for (m, mention) in doc.mentions.iter().enumerate() {
        let Some(holder) = mention.entity.filter(|&e| doc.entities.get(e).is_some_and(|e| e.kind == EntityKind::Person)) else { continue };
        let Some(first) = mention.tokens.clone().next() else { continue };
        let Some(sentence) = doc.tokens.get(first).map(|t| t.sentence) else { continue };
        let range = view.sentence_tokens(sentence);
        let found = premodifier(view, kb, range.start, first, mention.tokens.end)
            .or_else(|| role_of_org_comma(view, range.start, first, mention.tokens.end))
            .or_else(|| apposition(view, m, range.end))
            .or_else(|| legislator_of_place(view, range.start, first, mention.tokens.end, range.end))
            .or_else(|| as_role_of(view, first, mention.tokens.end, range.end));
        let Some(Found { role, org: organization, first: a, end: b, former, acting, also }) = found else { continue };
        if organization == PostOrg::Entity(holder) {
            continue;
        }
        let country = match &organization {
            PostOrg::Entity(e) => doc.entities.get(*e).and_then(|x| x.link.as_ref()).and_then(|l| l.class.as_deref()) == Some("Country"),
            PostOrg::Country { .. } => true,
        };
        for role in std::iter::once(role).chain(also) {
            if OCCUPATIONS.contains(&role.as_str()) && country {
                continue;
            }
            let role = normalise_role(&role);
            // The role words carry the acting qualifier as a flag, not as part of the role.
            let role = match role.split_once(' ') {
                Some((qualifier, rest)) if is_acting_word(qualifier) && ROLES.contains(&rest) => rest.to_string(),
                _ => role,
            };
            let post = Post { role, holder, organization: organization.clone(), span: view.span(a, b.saturating_sub(1).max(a)), sentence, former, acting };
            // One post stated as current and as former elsewhere is reported as current.
            if let Some(p) = posts.iter_mut().find(|p| p.role == post.role && p.holder == post.holder && p.organization == post.organization) {
                p.former &= post.former;
                p.acting &= post.acting;
            } else {
                posts.push(post);
            }
        }
    }
    posts
}

/// The token before a person mention, past a courtesy title ("Mr", "Dr").
fn before_titles(view: &View, lo: usize, first: usize) -> usize {
    if first > lo && matches!(view.lower(first - 1), "mr" | "mrs" | "ms" | "dr" | "mr." | "mrs." | "ms." | "dr.") {
        first - 1
    } else {
        first
    }
}

/// `ORG ['s] ROLE PERSON`, and `the company's ROLE, PERSON`.
fn premodifier(view: &View, kb: &Kb, lo: usize, first: usize, end: usize) -> Option<Found> {
    let mut before = before_titles(view, lo, first);
    // "Acme managers X, Y and Z": a plural title before the first name covers the others.
    let mut coordinated = false;
    while before > lo + 1 && matches!(view.lower(before - 1), "and" | ",") {
        match view.entity_at(before - 2) {
            Some((m, _, EntityKind::Person)) => {
                before = before_titles(view, lo, view.doc.mentions[m].tokens.start);
                coordinated = true;
            }
            _ => break,
        }
    }
    let comma = before > lo && view.lower(before - 1) == ",";
    // A recogniser may take the title into the name ("[President Jane Roe]").
    if before == first {
        if let Some((role_last, role)) = role_words_from(view, first, end.saturating_sub(1)) {
            let (org_first, org) = org_before(view, kb, lo, first)?;
            let former = is_former(view, lo, org_first) || is_former(view, lo, first);
            let acting = is_acting(view, lo, first, &role) || org_first < first && (org_first..first).any(|t| is_acting_word(view.lower(t)));
            return (role_last + 1 < end).then_some(Found { role, org, first: org_first, end, former, acting, also: Vec::new() });
        }
    }
    let role_end = if comma { before.checked_sub(2)? } else { before.checked_sub(1)? };
    if role_end < lo {
        return None;
    }
    let (role_first, role) = role_ending_at(view, lo, role_end)?;
    if coordinated && !view.lower(role_end).ends_with('s') {
        return None;
    }
    let (org_first, org) = org_before(view, kb, lo, role_first)?;
    // "Acme's UK chief executive", "its US boss": a place between a company and the role names
    // the branch, and the post is the company's.
    let (org_first, org) = match org {
        PostOrg::Entity(e) if view.doc.entities.get(e).is_some_and(|x| x.kind == EntityKind::Place) && org_first > lo => {
            match org_before(view, kb, lo, org_first) {
                Some((f, PostOrg::Entity(c))) if view.doc.entities.get(c).is_some_and(|x| x.kind == EntityKind::Organization) && (view.is_possessive(org_first - 1) || view.lower(org_first - 1) == "its") => (f, PostOrg::Entity(c)),
                _ => (org_first, org),
            }
        }
        other => (org_first, other),
    };
    // With a comma, only a possessive opener reads as an apposition ("the company's chief executive, Jane Roe").
    let possessive = role_first > lo && view.is_possessive(role_first - 1);
    if comma && !possessive {
        return None;
    }
    // "former" may open the phrase ("former Acme chief X") or stand before the role ("Acme's former chief X").
    let former = is_former(view, lo, org_first) || is_former(view, lo, role_first) || (org_first..role_first).any(|t| is_former_word(view.lower(t)));
    let acting = is_acting(view, lo, role_first, &role);
    Some(Found { role, org, first: org_first, end, former, acting, also: Vec::new() })
}

/// `the ROLE of|at|for ORG, PERSON`.
fn role_of_org_comma(view: &View, lo: usize, first: usize, end: usize) -> Option<Found> {
    let before = before_titles(view, lo, first);
    if before < lo + 4 || view.lower(before - 1) != "," {
        return None;
    }
    let (om, org, kind) = view.entity_at(before - 2)?;
    if !matches!(kind, EntityKind::Organization | EntityKind::Place) {
        return None;
    }
    let mut org_first = view.doc.mentions[om].tokens.start;
    if org_first > lo && view.lower(org_first - 1) == "the" {
        org_first -= 1;
    }
    let prep = org_first.checked_sub(1).filter(|t| *t > lo)?;
    if !matches!(view.lower(prep), "of" | "at" | "for") {
        return None;
    }
    let (role_first, role) = role_ending_at(view, lo, prep - 1)?;
    let former = is_former(view, lo, role_first);
    let acting = is_acting(view, lo, role_first, &role);
    // The article opens the phrase, past one qualifier ("the former chairman of", "the acting head of").
    let mut opener = role_first.checked_sub(1).filter(|t| *t >= lo)?;
    if (former || acting) && !matches!(view.lower(opener), "the" | "a" | "an") {
        opener = opener.checked_sub(1).filter(|t| *t >= lo)?;
    }
    if !matches!(view.lower(opener), "the" | "a" | "an") {
        return None;
    }
    Some(Found { role, org: PostOrg::Entity(org), first: opener, end, former, acting, also: Vec::new() })
}

/// `PERSON, [a|the] ORG's ROLE` and `PERSON, [a|the] ROLE of|for|at ORG`.
fn apposition(view: &View, m: usize, hi: usize) -> Option<Found> {
    let mention = &view.doc.mentions[m];
    let mut t = mention.tokens.end;
    // "Doe's foreign adviser" is someone else's post.
    if view.possessive_after(m) || t >= hi || view.lower(t) != "," {
        return None;
    }
    t += 1;
    if t < hi && matches!(view.lower(t), "a" | "an" | "the") {
        t += 1;
    }
    let former = t < hi && is_former_word(view.lower(t));
    if former {
        t += 1;
        if t < hi && view.lower(t) == "-" {
            t += 1;
        }
    }
    let acting = t < hi && is_acting_word(view.lower(t));
    if acting {
        t += 1;
    }
    let first = mention.tokens.start;
    if let Some((om, oe, kind)) = view.entity_at(t) {
        if !matches!(kind, EntityKind::Organization | EntityKind::Place) {
            return None;
        }
        let mut r = view.doc.mentions[om].tokens.end;
        if r < hi && view.is_possessive(r) {
            r += 1;
        }
        if r < hi && ROLE_ADJECTIVES.contains(&view.lower(r)) {
            r += 1;
        }
        let acting = acting || r > 0 && is_acting_word(view.lower(r - 1));
        let (role_last, role) = role_starting_at(view, r, hi)?;
        let (role_last, also) = coordinated_roles(view, role_last, hi);
        // "X, UK economist at Acme": the organization after the role is the holder; the place
        // before it only says where.
        let after = role_last + 1;
        if after < hi && matches!(view.lower(after), "of" | "for" | "at" | "with") {
            if let Some((end, e)) = org_at(view, after + 1, hi) {
                return Some(Found { role, org: PostOrg::Entity(e), first, end, former, acting, also });
            }
        }
        return Some(Found { role, org: PostOrg::Entity(oe), first, end: role_last + 1, former, acting, also });
    }
    // "X, telecoms analyst at Y": one qualifying word may precede the role; the organization
    // that must follow keeps this safe.
    if role_starting_at(view, t, hi).is_none() && t + 1 < hi && view.text(t).starts_with(|c: char| c.is_lowercase()) && view.entity_at(t).is_none() {
        t += 1;
    }
    let (role_last, role) = role_starting_at(view, t, hi)?;
    let (role_last, also) = coordinated_roles(view, role_last, hi);
    let after = role_last + 1;
    if after >= hi || !matches!(view.lower(after), "of" | "for" | "at" | "to" | "with") {
        return None;
    }
    let (end, e) = org_at(view, after + 1, hi)?;
    Some(Found { role, org: PostOrg::Entity(e), first, end, former, acting, also })
}

/// "chairman and chief executive": the roles joined to the one ending at `role_last` by "and" or
/// "&", and where the last of them ends.
fn coordinated_roles(view: &View, mut role_last: usize, hi: usize) -> (usize, Vec<String>) {
    let mut also = Vec::new();
    while role_last + 2 < hi && matches!(view.lower(role_last + 1), "and" | "&") {
        let Some((last, role)) = role_starting_at(view, role_last + 2, hi) else { break };
        also.push(role);
        role_last = last;
    }
    (role_last, also)
}

/// `PERSON as ROLE of|at ORG`: "succeeds John Doe as chairman of Acme", "named Jane Roe as chief
/// executive of Acme".
fn as_role_of(view: &View, first: usize, end: usize, hi: usize) -> Option<Found> {
    if end >= hi || view.lower(end) != "as" {
        return None;
    }
    let mut t = end + 1;
    let acting = t < hi && is_acting_word(view.lower(t));
    if acting {
        t += 1;
    }
    let (role_last, role) = role_starting_at(view, t, hi)?;
    let after = role_last + 1;
    if after >= hi || !matches!(view.lower(after), "of" | "at" | "for") {
        return None;
    }
    let (org_end, e) = org_at(view, after + 1, hi)?;
    Some(Found { role, org: PostOrg::Entity(e), first, end: org_end, former: false, acting, also: Vec::new() })
}

/// `Senator PERSON of PLACE`: a legislator's title before the name and the state or country they
/// represent after it ("Senator Jane Roe of Ruritania", "Representative John Doe of Zenda").
fn legislator_of_place(view: &View, lo: usize, first: usize, end: usize, hi: usize) -> Option<Found> {
    let before = before_titles(view, lo, first);
    // The title may be outside the mention or the mention's first word.
    let title_at = if before > lo && LEGISLATOR_TITLES.contains(&view.lower(before - 1).trim_end_matches('.')) {
        before - 1
    } else if LEGISLATOR_TITLES.contains(&view.lower(first)) && end > first + 1 {
        first
    } else {
        return None;
    };
    if end + 1 >= hi || view.lower(end) != "of" {
        return None;
    }
    let (m, e, kind) = view.entity_at(end + 1)?;
    if kind != EntityKind::Place || view.doc.mentions[m].tokens.start != end + 1 {
        return None;
    }
    let role = view.lower(title_at).trim_end_matches('.').to_string();
    let former = is_former(view, lo, title_at);
    let acting = is_acting(view, lo, title_at, &role);
    Some(Found { role, org: PostOrg::Entity(e), first: title_at, end: view.doc.mentions[m].tokens.end, former, acting, also: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::MentionKind;
    use crate::relate::testdoc::{doc, mark};

    fn posts_of(d: &crate::doc::Doc) -> Vec<(String, String, String)> {
        let view = View::new(d);
        find_posts(&view, &Kb::default())
            .into_iter()
            .map(|p| {
                let org = match p.organization {
                    PostOrg::Entity(e) => d.entities[e].name.clone(),
                    PostOrg::Country { name, .. } => name,
                };
                (d.entities[p.holder].name.clone(), p.role, org)
            })
            .collect()
    }

    #[test]
    fn premodifier_posts() {
        let mut d = doc(
            "Ruritanian President John Doe met US president Jane Roe.\nAcme's chief executive Ann Smith spoke.\nRuritania's foreign minister Bob Jones and Acme managers Al Cook, Sean Fay and Kim Lee agreed.",
            None,
        );
        mark(&mut d, "Ruritania", MentionKind::Place, Some(("Ruritania", EntityKind::Place)));
        mark(&mut d, "Bob Jones", MentionKind::Person, Some(("Bob Jones", EntityKind::Person)));
        mark(&mut d, "Al Cook", MentionKind::Person, Some(("Al Cook", EntityKind::Person)));
        mark(&mut d, "Sean Fay", MentionKind::Person, Some(("Sean Fay", EntityKind::Person)));
        mark(&mut d, "Kim Lee", MentionKind::Person, Some(("Kim Lee", EntityKind::Person)));

        mark(&mut d, "Ruritanian", MentionKind::Misc, Some(("Ruritania", EntityKind::Place)));
        mark(&mut d, "US", MentionKind::Place, Some(("United States", EntityKind::Place)));
        mark(&mut d, "Acme", MentionKind::Organization, Some(("Acme", EntityKind::Organization)));
        mark(&mut d, "John Doe", MentionKind::Person, Some(("John Doe", EntityKind::Person)));
        mark(&mut d, "Jane Roe", MentionKind::Person, Some(("Jane Roe", EntityKind::Person)));
        mark(&mut d, "Ann Smith", MentionKind::Person, Some(("Ann Smith", EntityKind::Person)));
        let got = posts_of(&d);
        let want = [
            ("John Doe", "president", "Ruritania"),
            ("Jane Roe", "president", "United States"),
            ("Ann Smith", "chief executive", "Acme"),
            ("Bob Jones", "foreign minister", "Ruritania"),
            ("Al Cook", "manager", "Acme"),
            ("Sean Fay", "manager", "Acme"),
            ("Kim Lee", "manager", "Acme"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (w, g) in want.iter().zip(&got) {
            assert_eq!((w.0, w.1, w.2), (g.0.as_str(), g.1.as_str(), g.2.as_str()));
        }
    }

    #[test]
    fn apposition_posts() {
        let mut d = doc(
            "Acme said profits rose. The company's chief executive, Jane Roe, was pleased.\nJohn Doe, Widgetco's finance director, agreed.\nMr Smith, a spokesman for the Ministry of Fun, declined.\nBob Jones, a former director of Widgetco, left.",
            None,
        );
        mark(&mut d, "Acme", MentionKind::Organization, Some(("Acme", EntityKind::Organization)));
        mark(&mut d, "Widgetco", MentionKind::Organization, Some(("Widgetco", EntityKind::Organization)));
        mark(&mut d, "Ministry of Fun", MentionKind::Organization, Some(("Ministry of Fun", EntityKind::Organization)));
        mark(&mut d, "Jane Roe", MentionKind::Person, Some(("Jane Roe", EntityKind::Person)));
        mark(&mut d, "John Doe", MentionKind::Person, Some(("John Doe", EntityKind::Person)));
        mark(&mut d, "Smith", MentionKind::Person, Some(("Sam Smith", EntityKind::Person)));
        mark(&mut d, "Bob Jones", MentionKind::Person, Some(("Bob Jones", EntityKind::Person)));
        let got = posts_of(&d);
        assert!(got.contains(&("Jane Roe".into(), "chief executive".into(), "Acme".into())), "{got:?}");
        assert!(got.contains(&("John Doe".into(), "finance director".into(), "Widgetco".into())), "{got:?}");
        assert!(got.contains(&("Sam Smith".into(), "spokesman".into(), "Ministry of Fun".into())), "{got:?}");
        assert!(got.contains(&("Bob Jones".into(), "director".into(), "Widgetco".into())), "former posts are kept, marked: {got:?}");
        assert!(find_posts(&View::new(&d), &Kb::default()).iter().any(|p| p.former && d.entities[p.holder].name == "Bob Jones"));
        assert_eq!(got.len(), 4, "{got:?}");
    }

    #[test]
    fn coordinated_roles_are_each_a_post() {
        let mut d = doc(
            "Jane Roe, Acme's chairman and chief executive, said so.\nJohn Doe, president and chief operating officer of Widgetco, agreed.",
            None,
        );
        mark(&mut d, "Acme", MentionKind::Organization, Some(("Acme", EntityKind::Organization)));
        mark(&mut d, "Widgetco", MentionKind::Organization, Some(("Widgetco", EntityKind::Organization)));
        mark(&mut d, "Jane Roe", MentionKind::Person, Some(("Jane Roe", EntityKind::Person)));
        mark(&mut d, "John Doe", MentionKind::Person, Some(("John Doe", EntityKind::Person)));
        let mut got = posts_of(&d);
        got.sort();
        let want: Vec<(String, String, String)> = [
            ("Jane Roe", "chairman", "Acme"),
            ("Jane Roe", "chief executive", "Acme"),
            ("John Doe", "chief operating officer", "Widgetco"),
            ("John Doe", "president", "Widgetco"),
        ]
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn person_posts_and_singular_titles_over_coordinations() {
        let mut d = doc("Ruritanian president John Doe and Ann Roe spoke.\nDoe's foreign adviser Bob Jones agreed.", None);
        mark(&mut d, "Ruritanian", MentionKind::Misc, Some(("Ruritania", EntityKind::Place)));
        mark(&mut d, "John Doe", MentionKind::Person, Some(("John Doe", EntityKind::Person)));
        mark(&mut d, "Doe", MentionKind::Person, Some(("John Doe", EntityKind::Person)));
        mark(&mut d, "Ann Roe", MentionKind::Person, Some(("Ann Roe", EntityKind::Person)));
        mark(&mut d, "Bob Jones", MentionKind::Person, Some(("Bob Jones", EntityKind::Person)));
        let got = posts_of(&d);
        assert!(got.contains(&("Bob Jones".into(), "foreign adviser".into(), "John Doe".into())), "{got:?}");
        assert!(!got.iter().any(|p| p.0 == "Ann Roe"), "a singular title is one person's: {got:?}");
    }

    #[test]
    fn title_inside_the_person_mention() {
        let mut d = doc("Acme met Ruritanian President John Doe.", None);
        mark(&mut d, "Ruritanian", MentionKind::Misc, Some(("Ruritania", EntityKind::Place)));
        mark(&mut d, "President John Doe", MentionKind::Person, Some(("John Doe", EntityKind::Person)));
        assert_eq!(posts_of(&d), vec![("John Doe".into(), "president".into(), "Ruritania".into())]);
    }

    fn posts_with_flags(d: &crate::doc::Doc) -> Vec<(String, String, String, bool, bool)> {
        let view = View::new(d);
        find_posts(&view, &Kb::default())
            .into_iter()
            .map(|p| {
                let org = match p.organization {
                    PostOrg::Entity(e) => d.entities[e].name.clone(),
                    PostOrg::Country { name, .. } => name,
                };
                (d.entities[p.holder].name.clone(), p.role, org, p.former, p.acting)
            })
            .collect()
    }

    fn mark_people(d: &mut crate::doc::Doc, names: &[&str]) {
        for name in names {
            mark(d, name, MentionKind::Person, Some((name, EntityKind::Person)));
        }
    }

    fn has(got: &[(String, String, String, bool, bool)], person: &str, role: &str, org: &str, former: bool, acting: bool) -> bool {
        got.iter().any(|g| (g.0.as_str(), g.1.as_str(), g.2.as_str(), g.3, g.4) == (person, role, org, former, acting))
    }

    #[test]
    fn titles_with_qualifiers_before_the_name() {
        let mut d = doc(
            "Ruritanian Secretary of State Jane Roe arrived.\nSenate Minority Leader John Doe objected.\nLabour leader Ann Smith spoke.\nWidgetco chief executive Bob Jones agreed.\nMPC member Al Cook dissented.",
            None,
        );
        mark(&mut d, "Ruritanian", MentionKind::Misc, Some(("Ruritania", EntityKind::Place)));
        for name in ["Senate", "Labour", "Widgetco", "MPC"] {
            mark(&mut d, name, MentionKind::Organization, Some((name, EntityKind::Organization)));
        }
        mark_people(&mut d, &["Jane Roe", "John Doe", "Ann Smith", "Bob Jones", "Al Cook"]);
        let got = posts_with_flags(&d);
        assert!(has(&got, "Jane Roe", "secretary of state", "Ruritania", false, false), "{got:?}");
        assert!(has(&got, "John Doe", "minority leader", "Senate", false, false), "{got:?}");
        assert!(has(&got, "Ann Smith", "leader", "Labour", false, false), "{got:?}");
        assert!(has(&got, "Bob Jones", "chief executive", "Widgetco", false, false), "{got:?}");
        assert!(has(&got, "Al Cook", "member", "MPC", false, false), "{got:?}");
        assert_eq!(got.len(), 5, "{got:?}");
    }

    #[test]
    fn appositions_both_ways() {
        let mut d = doc(
            "Tim Fay, the convener of the Widget Front, spoke.\nThe convener of the Gadget League, Jo Bell, replied.\nKim Lee, a leader of the Widget Front, left.\nSam Hill, convener of the Gadget League, agreed.",
            None,
        );
        mark(&mut d, "Widget Front", MentionKind::Organization, Some(("Widget Front", EntityKind::Organization)));
        mark(&mut d, "Gadget League", MentionKind::Organization, Some(("Gadget League", EntityKind::Organization)));
        mark_people(&mut d, &["Tim Fay", "Jo Bell", "Kim Lee", "Sam Hill"]);
        let got = posts_with_flags(&d);
        assert!(has(&got, "Tim Fay", "convener", "Widget Front", false, false), "{got:?}");
        assert!(has(&got, "Jo Bell", "convener", "Gadget League", false, false), "{got:?}");
        assert!(has(&got, "Kim Lee", "leader", "Widget Front", false, false), "{got:?}");
        assert!(has(&got, "Sam Hill", "convener", "Gadget League", false, false), "{got:?}");
        assert_eq!(got.len(), 4, "{got:?}");
    }

    #[test]
    fn legislators_of_their_state() {
        let mut d = doc("Senator Jane Roe of Zenda voted against it.\nJohn Doe of Zenda voted for it.", None);
        mark(&mut d, "Zenda", MentionKind::Place, Some(("Zenda", EntityKind::Place)));
        mark(&mut d, "Jane Roe", MentionKind::Person, Some(("Jane Roe", EntityKind::Person)));
        mark(&mut d, "John Doe", MentionKind::Person, Some(("John Doe", EntityKind::Person)));
        let got = posts_with_flags(&d);
        // Without a title, "X of Zenda" says where someone is from, not a post.
        assert_eq!(got, vec![("Jane Roe".into(), "senator".into(), "Zenda".into(), false, false)]);
    }

    #[test]
    fn former_and_acting_posts_are_marked() {
        let mut d = doc(
            "Former Widgetco chairman Al Cook sold shares.\nBob Jones, the former director of Widgetco, left.\nWidgetco's acting chief executive Sean Fay spoke.\nJo Bell, interim president of Widgetco, agreed.\nWidgetco caretaker manager Kim Lee was calm.",
            None,
        );
        mark(&mut d, "Widgetco", MentionKind::Organization, Some(("Widgetco", EntityKind::Organization)));
        mark_people(&mut d, &["Al Cook", "Bob Jones", "Sean Fay", "Jo Bell", "Kim Lee"]);
        let got = posts_with_flags(&d);
        assert!(has(&got, "Al Cook", "chairman", "Widgetco", true, false), "{got:?}");
        assert!(has(&got, "Bob Jones", "director", "Widgetco", true, false), "{got:?}");
        assert!(has(&got, "Sean Fay", "chief executive", "Widgetco", false, true), "{got:?}");
        assert!(has(&got, "Jo Bell", "president", "Widgetco", false, true), "{got:?}");
        assert!(has(&got, "Kim Lee", "manager", "Widgetco", false, true), "{got:?}");
        assert_eq!(got.len(), 5, "{got:?}");
    }

    #[test]
    fn holders_after_the_role_and_titles_of_diplomats() {
        let mut d = doc(
            "Sam Hill, UK economist at Widgetco, spoke.\nKim Lee, a telecoms analyst with Gadgetbank, agreed.\nWidgetco named its UK chief executive Bob Jones.\nIt will succeed Al Cook as president of Gadgetbank.\nAmbassador Jo Bell of Ruritania warned.",
            None,
        );
        mark(&mut d, "UK", MentionKind::Place, Some(("United Kingdom", EntityKind::Place)));
        mark(&mut d, "Ruritania", MentionKind::Place, Some(("Ruritania", EntityKind::Place)));
        mark(&mut d, "Widgetco", MentionKind::Organization, Some(("Widgetco", EntityKind::Organization)));
        mark(&mut d, "Gadgetbank", MentionKind::Organization, Some(("Gadgetbank", EntityKind::Organization)));
        mark_people(&mut d, &["Sam Hill", "Kim Lee", "Bob Jones", "Al Cook", "Jo Bell"]);
        let got = posts_with_flags(&d);
        assert!(has(&got, "Sam Hill", "economist", "Widgetco", false, false), "{got:?}");
        assert!(has(&got, "Kim Lee", "analyst", "Gadgetbank", false, false), "{got:?}");
        assert!(has(&got, "Bob Jones", "chief executive", "Widgetco", false, false), "{got:?}");
        assert!(has(&got, "Al Cook", "president", "Gadgetbank", false, false), "{got:?}");
        assert!(has(&got, "Jo Bell", "ambassador", "Ruritania", false, false), "{got:?}");
        assert_eq!(got.len(), 5, "{got:?}");
    }

    #[test]
    fn role_of_org_then_person() {
        let mut d = doc("The chief executive of Acme, Jane Roe, resigned.", None);
        mark(&mut d, "Acme", MentionKind::Organization, Some(("Acme", EntityKind::Organization)));
        mark(&mut d, "Jane Roe", MentionKind::Person, Some(("Jane Roe", EntityKind::Person)));
        assert_eq!(posts_of(&d), vec![("Jane Roe".into(), "chief executive".into(), "Acme".into())]);
    }
}
