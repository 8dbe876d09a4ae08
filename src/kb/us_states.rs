//! The state abbreviations of US datelines and AP style ("SPRINGFIELD, Ill.", "Fresno, Calif."):
//! a fixed table of the AP Stylebook's abbreviations (with the Government Printing Office
//! variants news also writes), each with the state's name and postal code, so that
//! [`Kb::candidates`](super::Kb::candidates) finds the state's entry for "Calif." as for
//! "California". The eight states AP never abbreviates (Alaska, Hawaii, Idaho, Iowa, Maine, Ohio,
//! Texas, Utah) need no entry; "Tex." is a GPO form.
//!
//! Several abbreviations are English words or names as well ("Wash.", "Ind.", "Miss.", "Mass.",
//! "Del."): the table says what they stand for, not where; the recogniser only reads them as a
//! state after a place, in a dateline or in "City, Abbrev." (see `recognise::states`).

/// (abbreviation as written, state name, postal code).
const ABBREVIATIONS: &[(&str, &str, &str)] = &[
    ("Ala.", "Alabama", "AL"),
    ("Ariz.", "Arizona", "AZ"),
    ("Ark.", "Arkansas", "AR"),
    ("Calif.", "California", "CA"),
    ("Cal.", "California", "CA"),
    ("Colo.", "Colorado", "CO"),
    ("Conn.", "Connecticut", "CT"),
    ("Del.", "Delaware", "DE"),
    ("D.C.", "District of Columbia", "DC"),
    ("Fla.", "Florida", "FL"),
    ("Ga.", "Georgia", "GA"),
    ("Ill.", "Illinois", "IL"),
    ("Ind.", "Indiana", "IN"),
    ("Kan.", "Kansas", "KS"),
    ("Kans.", "Kansas", "KS"),
    ("Ky.", "Kentucky", "KY"),
    ("La.", "Louisiana", "LA"),
    ("Md.", "Maryland", "MD"),
    ("Mass.", "Massachusetts", "MA"),
    ("Mich.", "Michigan", "MI"),
    ("Minn.", "Minnesota", "MN"),
    ("Miss.", "Mississippi", "MS"),
    ("Mo.", "Missouri", "MO"),
    ("Mont.", "Montana", "MT"),
    ("Neb.", "Nebraska", "NE"),
    ("Nebr.", "Nebraska", "NE"),
    ("Nev.", "Nevada", "NV"),
    ("N.H.", "New Hampshire", "NH"),
    ("N.J.", "New Jersey", "NJ"),
    ("N.M.", "New Mexico", "NM"),
    ("N.Mex.", "New Mexico", "NM"),
    ("N.Y.", "New York", "NY"),
    ("N.C.", "North Carolina", "NC"),
    ("N.D.", "North Dakota", "ND"),
    ("Okla.", "Oklahoma", "OK"),
    ("Ore.", "Oregon", "OR"),
    ("Oreg.", "Oregon", "OR"),
    ("Pa.", "Pennsylvania", "PA"),
    ("Penn.", "Pennsylvania", "PA"),
    ("R.I.", "Rhode Island", "RI"),
    ("S.C.", "South Carolina", "SC"),
    ("S.D.", "South Dakota", "SD"),
    ("Tenn.", "Tennessee", "TN"),
    ("Tex.", "Texas", "TX"),
    ("Vt.", "Vermont", "VT"),
    ("Va.", "Virginia", "VA"),
    ("Wash.", "Washington", "WA"),
    ("W.Va.", "West Virginia", "WV"),
    ("Wis.", "Wisconsin", "WI"),
    ("Wisc.", "Wisconsin", "WI"),
    ("Wyo.", "Wyoming", "WY"),
];

/// Abbreviations that are also ordinary words or names ("wash", "ind", "miss", "mass", "del",
/// "pa", "mo", "la", "ill", "ore", "con", "penn"): they need a place before them that the tagger
/// or the dateline vouches for, not just a capitalised word.
const AMBIGUOUS: &[&str] = &["Cal.", "Del.", "Ill.", "Ind.", "La.", "Mass.", "Miss.", "Mo.", "Ore.", "Pa.", "Penn.", "Wash."];

/// A US state abbreviation: its state's name and postal code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateAbbreviation {
    pub state: &'static str,
    pub postal_code: &'static str,
    /// Also an ordinary word or name (see [`AMBIGUOUS`]).
    pub ambiguous: bool,
}

/// The state `written` abbreviates, written as AP writes it, with its period(s) and case: a
/// bare "Cal" or "Mo" is a name, not a state.
pub fn expand(written: &str) -> Option<StateAbbreviation> {
    let &(abbreviation, state, postal_code) = ABBREVIATIONS.iter().find(|(a, _, _)| *a == written)?;
    Some(StateAbbreviation { state, postal_code, ambiguous: AMBIGUOUS.contains(&abbreviation) })
}

/// The longest number of characters an abbreviation of the table takes ("N.Mex.").
pub const LONGEST: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_expand_to_states_only_as_written() {
        assert_eq!(expand("Calif.").map(|s| s.state), Some("California"));
        assert_eq!(expand("Calif.").map(|s| s.postal_code), Some("CA"));
        assert_eq!(expand("Calif"), None);
        assert_eq!(expand("Mo"), None);
        assert_eq!(expand("N.Y.").map(|s| s.state), Some("New York"));
        assert_eq!(expand("W.Va.").map(|s| s.state), Some("West Virginia"));
        assert!(expand("Wash.").is_some_and(|s| s.ambiguous && s.state == "Washington"));
        assert!(expand("Fla.").is_some_and(|s| !s.ambiguous));
        // not abbreviations, or not in AP's case
        assert_eq!(expand("calif."), None);
        assert_eq!(expand("Texas"), None);
        assert_eq!(expand("Mr."), None);
        assert!(ABBREVIATIONS.iter().all(|(a, _, _)| a.len() <= LONGEST && a.ends_with('.')));
        assert!(AMBIGUOUS.iter().all(|a| expand(a).is_some()));
    }
}
