//! Types that the words around a name decide, whatever the tagger said: companies read as
//! people or places ("shares in X", "X said in a statement", "X's chief executive", "X Inc"),
//! clubs named after their city in a match report, government seats speaking ("the Kremlin
//! said"), and MISC names acting as organizations ("X claimed", "fighters of X"). Only generic
//! words (legal forms, business nouns, speech verbs) are listed, never names.

use crate::doc::{Doc, Mention, MentionKind};
use crate::kb::Kb;

/// Nouns that announce a company's name right after them ("brewer Carlsberg", "firm Jarvis").
const COMPANY_NOUNS_BEFORE: &[&str] = &[
    "firm", "company", "giant", "maker", "makers", "brewer", "retailer", "carmaker", "group", "conglomerate",
    "supplier", "operator", "manufacturer", "insurer", "lender", "bank", "airline", "publisher", "broadcaster",
    "chain", "subsidiary", "rival", "startup", "start-up",
];
/// Legal forms after a name.
const LEGAL_FORMS: &[&str] = &["inc", "corp", "corporation", "plc", "ltd", "llc", "ag", "sa", "nv", "gmbh", "co"];
/// Nouns after a name, or after its possessive, that only an organization has ("X shares",
/// "X's chief executive").
const COMPANY_NOUNS_AFTER: &[&str] =
    &["shares", "shareholders", "stock", "profits", "profit", "revenues", "revenue", "earnings", "chief", "chairman", "board", "spokesman", "spokeswoman", "subsidiary"];
/// Verbs of speaking and deciding: what an institution does.
const SPEECH_VERBS: &[&str] =
    &["said", "says", "denied", "denies", "announced", "announces", "confirmed", "warned", "insisted", "stated", "rejected", "claimed", "claims"];
/// Head words of the buildings and streets that stand for a government ("Downing Street").
const SEAT_WORDS: &[&str] = &["street", "house", "palace", "hall", "building"];
/// Verbs whose subject acts as an organization (a group claiming an attack, seizing a town).
const GROUP_VERBS: &[&str] = &["claimed", "claims", "seized", "seizes", "captured", "controls", "controlled", "thrived", "fighters", "militants"];
/// Nouns before "of X" / "from X" that make X a group ("fighters of X").
const GROUP_MEMBERS: &[&str] = &["fighters", "militants", "members", "leader", "leaders", "supporters", "commanders", "spokesman"];

/// Retypes mentions by their context.
pub fn retype(doc: &Doc, kb: &Kb, mentions: &mut [Mention]) {
    let word = |i: usize| doc.tokens.get(i).map(|t| doc.slice(&t.span).to_lowercase());
    let before = |m: &Mention, k: usize| m.tokens.start.checked_sub(k).and_then(word);
    let sports = crate::resolve::link::is_sports_report(doc);
    for i in 0..mentions.len() {
        let m = &mentions[i];
        if !matches!(m.kind, MentionKind::Person | MentionKind::Place | MentionKind::Misc) {
            continue;
        }
        let mut after = m.tokens.end;
        let possessive = matches!(word(after).as_deref(), Some("'s" | "’s" | "'"));
        if possessive {
            after += 1;
        }
        let next = word(after).unwrap_or_default();
        let next2 = word(after + 1).unwrap_or_default();
        let (prev, prev2) = (before(m, 1).unwrap_or_default(), before(m, 2).unwrap_or_default());
        let company = COMPANY_NOUNS_BEFORE.contains(&prev.as_str())
            || (matches!(prev.as_str(), "in" | "of") && matches!(prev2.as_str(), "shares" | "shareholders"))
            || (!possessive && LEGAL_FORMS.contains(&next.trim_end_matches('.')))
            || (COMPANY_NOUNS_AFTER.contains(&next.as_str()) && (possessive || next == "shares" || next == "shareholders"))
            || (SPEECH_VERBS.contains(&next.as_str()) && next2 == "in" && word(after + 2).as_deref() == Some("a") && word(after + 3).as_deref() == Some("statement"));
        // a club named after its city, in a match report ("Liverpool manager", "beat Newcastle")
        let club = sports && m.kind != MentionKind::Misc && m.tokens.len() <= 3 && crate::resolve::link::tokens_read_as_team(doc, m.tokens.clone());
        // a government seat speaking: "the Kremlin said", "Downing Street denied"
        let last = word(m.tokens.end - 1).unwrap_or_default();
        let seat = m.kind == MentionKind::Place
            && !possessive
            && SPEECH_VERBS.contains(&next.as_str())
            && (prev == "the" || SEAT_WORDS.contains(&last.as_str()))
            && !kb.candidates(doc.mention_text(m)).iter().any(|e| e.class == Some("Country"));
        let group = m.kind == MentionKind::Misc
            && (GROUP_VERBS.contains(&next.as_str())
                || (next == "has" && GROUP_VERBS.contains(&next2.as_str()))
                || (matches!(prev.as_str(), "of" | "from") && GROUP_MEMBERS.contains(&prev2.as_str())));
        if company || club || seat || group {
            mentions[i].kind = MentionKind::Organization;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::doc::{Article, Doc, MentionKind};

    fn kind(text: &str, name: &str) -> Option<MentionKind> {
        let mut doc = Doc::new(Article { body: text.into(), ..Article::default() });
        crate::segment::segment(&mut doc);
        let mut mentions: Vec<crate::doc::Mention> = Vec::new();
        // the name typed wrongly on purpose: context must decide
        let n = name.split(' ').count();
        let start = (0..doc.tokens.len()).find(|&s| doc.slice(&doc.tokens_span(s..s + n)) == name)?;
        let wrong = if text.contains("fighters") || text.contains("claimed") { MentionKind::Misc } else { MentionKind::Place };
        mentions.push(crate::doc::Mention { span: doc.tokens_span(start..start + n), tokens: start..start + n, kind: wrong, entity: None });
        super::retype(&doc, &crate::kb::Kb::default(), &mut mentions);
        Some(mentions[0].kind)
    }

    #[test]
    fn context_makes_organizations() {
        use MentionKind::{Organization, Place};
        assert_eq!(kind("Shares in Dorvale rose 5% on Monday.", "Dorvale"), Some(Organization));
        assert_eq!(kind("Dorvale said in a statement that sales fell.", "Dorvale"), Some(Organization));
        assert_eq!(kind("Dorvale's chief executive quit.", "Dorvale"), Some(Organization));
        assert_eq!(kind("Dorvale Inc cut jobs.", "Dorvale"), Some(Organization));
        assert_eq!(kind("The Dutch brewer Dorvale grew.", "Dorvale"), Some(Organization));
        assert_eq!(kind("The Zembla Palace denied the report.", "Zembla Palace"), Some(Organization));
        assert_eq!(kind("Hundreds of fighters of Ardent Dawn crossed the river.", "Ardent Dawn"), Some(Organization));
        assert_eq!(kind("Ardent Dawn claimed the attack.", "Ardent Dawn"), Some(Organization));
        // a place stays a place without such words
        assert_eq!(kind("They met in Dorvale on Monday.", "Dorvale"), Some(Place));
    }

    #[test]
    fn clubs_named_after_a_city_are_organizations_in_a_match_report() {
        let text = "The striker scored twice in the match as the league leaders beat Dorvale 2-0. Dorvale manager Jane Roe said the penalty decided the cup tie.";
        assert_eq!(kind(text, "Dorvale"), Some(MentionKind::Organization));
    }
}
