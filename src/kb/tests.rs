//! Tests against the bundled knowledge base (compiled from the shared data).

use super::*;

fn ids(entries: &[KbEntry<'_>]) -> Vec<String> {
    entries.iter().map(|e| e.id.to_string()).collect()
}

fn first_id(surface: &str) -> Option<String> {
    Kb::bundled().candidates(surface).first().map(|e| e.id.to_string())
}

#[test]
fn bundled_kb_loads_every_source() {
    let kb = Kb::bundled();
    kb.verify().expect("every record decodes");
    let entries: Vec<KbEntry<'_>> = kb.entries().collect();
    let count = |class: &str| entries.iter().filter(|e| e.class == Some(class)).count();
    assert!(count("Country") >= 240, "countries: {}", count("Country"));
    assert!(count("City") >= 30_000, "cities: {}", count("City"));
    assert_eq!(count("Continent"), 7);
    assert_eq!(count("State"), 51);
    assert!(count("AdministrativeArea") >= 1_500, "subdivisions: {}", count("AdministrativeArea"));
    assert!(count("InternationalOrganization") >= 500);
    assert!(count("PoliticalParty") >= 4000);
    assert!(count("SportsTeam") >= 500, "teams: {}", count("SportsTeam"));
    assert!(count("Company") >= 100, "companies: {}", count("Company"));
    let people = entries.iter().filter(|e| e.kind == EntityKind::Person).count();
    assert!(people >= 30_000, "people: {people}");
    // Every entity with a QID says so, and cities matched with confidence carry both ids.
    let paris = kb.get("Q90").expect("Paris has its QID");
    assert_eq!((paris.label, paris.geonames, paris.class), ("Paris", Some(2988507), Some("City")));
    assert_eq!(kb.get("geonames:2988507").map(|e| e.id), Some("Q90"));
    assert!(entries.iter().filter(|e| e.class == Some("City")).filter(|e| e.wikidata.is_some()).count() >= 18_000);
}

#[test]
fn politicians_carry_their_posts_and_parties() {
    let kb = Kb::bundled();
    let merkel = kb.candidates("Angela Merkel");
    let merkel = merkel.iter().find(|e| e.kind == EntityKind::Person).expect("Merkel is in");
    assert_eq!(merkel.country, Some("DE"));
    let roles = kb.roles(merkel);
    assert!(!roles.is_empty());
    assert!(roles.iter().any(|r| r.party_qid.is_some() || r.organization_qid.is_some()), "{roles:?}");
    assert!(roles.iter().all(|r| r.start.is_none_or(|d| d.len() >= 4)), "{roles:?}");
}

#[test]
fn the_embedded_file_opens_in_place() {
    // Opening checks the header only: far below a millisecond per open, whatever the size.
    let started = std::time::Instant::now();
    for _ in 0..100 {
        Layer::open(Cow::Borrowed(BUNDLED)).expect("opens");
    }
    assert!(started.elapsed() < std::time::Duration::from_millis(100), "{:?}", started.elapsed());
}

#[test]
fn lookup_folds_case_diacritics_articles_punctuation_and_possessives() {
    for surface in ["U.S.", "US", "the United States", "The United States of America", "United States'", "USA"] {
        assert_eq!(first_id(surface).as_deref(), Some("Q30"), "{surface}");
    }
    assert_eq!(first_id("Russia's").as_deref(), Some("Q159"));
    assert_eq!(first_id("russia").as_deref(), Some("Q159"));
    let sao_paulo = Kb::bundled().candidates("Sao Paulo");
    assert_eq!(sao_paulo.first().and_then(|e| e.country.as_deref()), Some("BR"));
    assert_eq!(ids(&Kb::bundled().candidates("São Paulo")), ids(&sao_paulo));
}

#[test]
fn abbreviations_match_only_capitals() {
    assert!(ids(&Kb::bundled().candidates("us")).iter().all(|id| id != "Q30"));
    assert!(ids(&Kb::bundled().candidates("Us")).iter().all(|id| id != "Q30"));
    assert!(ids(&Kb::bundled().candidates("UN")).contains(&"Q1065".to_string()));
    assert!(!ids(&Kb::bundled().candidates("un")).contains(&"Q1065".to_string()));
    assert!(ids(&Kb::bundled().candidates("EU")).contains(&"Q458".to_string()));
    assert!(!ids(&Kb::bundled().candidates("eu")).contains(&"Q458".to_string()));
    // British style writes acronyms said as words in lower case: "Nato", "Opec".
    assert_eq!(first_id("Nato").as_deref(), first_id("NATO").as_deref());
    assert!(first_id("NATO").is_some());
    // Country codes that read as words or acronyms are not aliases at all.
    assert!(Kb::bundled().candidates("IS").iter().all(|e| e.id != "Q189"), "IS is not Iceland");
    assert!(Kb::bundled().candidates("IT").iter().all(|e| e.class.as_deref() != Some("Country")));
    assert!(Kb::bundled().candidates("TV").is_empty());
}

#[test]
fn countries_come_before_cities_and_cities_by_population() {
    assert_eq!(Kb::bundled().candidates("Georgia").first().and_then(|e| e.class.as_deref()), Some("Country"));
    let paris = Kb::bundled().candidates("Paris");
    assert_eq!(paris.first().and_then(|e| e.country.as_deref()), Some("FR"));
    assert!(paris.len() > 1, "Paris, Texas and others follow");
    for pair in paris.windows(2) {
        assert!(pair[0].population >= pair[1].population);
    }
}

#[test]
fn demonyms_name_the_country_and_prefer_the_sovereign_state() {
    let kb = Kb::bundled();
    let id = |word: &str| kb.demonym(word).map(|e| e.id.to_string());
    assert_eq!(id("Russian").as_deref(), Some("Q159"));
    assert_eq!(id("Russians").as_deref(), Some("Q159"));
    assert_eq!(id("British").as_deref(), Some("Q145"));
    assert_eq!(id("American").as_deref(), Some("Q30"));
    assert_eq!(id("Chinese").as_deref(), Some("Q148"));
    assert_eq!(id("Dutch").as_deref(), Some("Q55"));
    assert_eq!(id("French").as_deref(), Some("Q142"));
    assert_eq!(id("Table").as_deref(), None::<&str>);
}

#[test]
fn longest_match_takes_the_longest_name_and_skips_punctuation_and_possessives() {
    let kb = Kb::bundled();
    let (n, found) = kb.longest_match(&["United", "States", "'s", "economy"]).expect("a match");
    assert_eq!(n, 2);
    assert_eq!(found[0].id, "Q30");
    let (n, found) = kb.longest_match(&["Winston", "-", "Salem", "is"]).expect("a match");
    assert_eq!(n, 3);
    assert_eq!(found[0].country.as_deref(), Some("US"));
    let (n, found) = kb.longest_match(&["U.S.", "troops"]).expect("a match");
    assert_eq!((n, found[0].id), (1, "Q30"));
    assert!(kb.longest_match(&["us", "and"]).map_or(true, |(_, f)| f.iter().all(|e| e.id != "Q30")));
    assert!(kb.longest_match(&[".", "France"]).is_none());
    assert!(kb.longest_match(&[]).is_none());
}

#[test]
fn common_words_come_from_ordinary_english() {
    assert!(Kb::bundled().is_common_word("police"));
    assert!(Kb::bundled().is_common_word("Reading"));
    assert!(!Kb::bundled().is_common_word("moscow"));
}

#[test]
fn user_entries_add_to_and_override_the_bundled_ones() {
    let text = r#"{"id": "https://example.org/people/jane-roe", "label": "Jane Roe", "aliases": ["J. Roe"], "type": "person", "country": "gb", "description": "columnist"}
// comments and blank lines are skipped

{"id": "Q30", "label": "United States of America", "aliases": ["the States"], "type": "Country"}
{"id": "http://www.wikidata.org/entity/Q1", "label": "Paris", "type": "Company"}"#;
    let entries = user::parse_user_kb(text, "newsroom.jsonl").expect("valid user KB");
    let kb = Kb::bundled().with_user_entries(entries).expect("merged");
    let jane = kb.candidates("J. Roe");
    assert_eq!(jane.len(), 1);
    assert_eq!((jane[0].kind, jane[0].country), (EntityKind::Person, Some("GB")));
    assert!(kb.is_user_entry(&jane[0]));
    assert_eq!(kb.candidates("the States")[0].label, "United States of America");
    // The override replaced the entry: its bundled aliases are gone with it.
    assert!(kb.candidates("U.S.").iter().all(|e| e.id != "Q30"));
    assert_eq!(kb.entries().filter(|e| e.id == "Q30").count(), 1);
    // User entries rank first.
    assert_eq!(kb.candidates("Paris")[0].id, "Q1");
    assert_eq!(kb.candidates("Paris")[0].wikidata, Some("Q1"));
    assert!(!kb.is_user_entry(&kb.candidates("Paris")[1]));
}

#[test]
fn user_kb_errors_name_file_and_line() {
    let bad_type = "{\"id\": \"Q1\", \"label\": \"X\", \"type\": \"person\"}\n{\"id\": \"Q2\", \"label\": \"Y\", \"type\": \"vegetable\"}";
    let error = format!("{:#}", user::parse_user_kb(bad_type, "mine.jsonl").unwrap_err());
    assert!(error.contains("mine.jsonl:2") && error.contains("vegetable"), "{error}");
    let bad_json = "{\"id\": \"Q1\", \"label\": ";
    let error = format!("{:#}", user::parse_user_kb(bad_json, "mine.jsonl").unwrap_err());
    assert!(error.contains("mine.jsonl:1"), "{error}");
    let bad_id = "{\"id\": \"not an iri\", \"label\": \"X\", \"type\": \"place\"}";
    let error = format!("{:#}", user::parse_user_kb(bad_id, "mine.jsonl").unwrap_err());
    assert!(error.contains("mine.jsonl:1") && error.contains("IRI"), "{error}");
}

#[test]
fn a_corrupt_file_is_an_error_not_a_panic() {
    assert!(Kb::from_bytes(b"garbage").is_err());
    let mut truncated = MAGIC.to_vec();
    truncated.extend([5, 1, 2]);
    assert!(Kb::from_bytes(&truncated).is_err());
    // A table that points past the end of the file.
    let mut cut = BUNDLED[..BUNDLED.len() / 2].to_vec();
    assert!(Kb::from_bytes(&cut).is_err());
    // Damaged records read as missing entries, not as a crash.
    cut = BUNDLED.to_vec();
    for byte in cut.iter_mut().skip(200).step_by(97).take(20_000) {
        *byte = !*byte;
    }
    if let Ok(kb) = Kb::from_bytes(&cut) {
        let _ = kb.candidates("Paris");
        let _ = kb.entries().count();
        assert!(kb.verify().is_err());
    }
}

