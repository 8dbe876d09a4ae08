//! Knowledge-base linking on hand-built documents: entities as the resolver would leave them.

use newsgraph::doc::{Article, Dateline, Doc, Entity, EntityKind, Mention, MentionKind};
use newsgraph::kb::Kb;
use newsgraph::resolve::link::link;

/// A document whose entities are `(kind, name, aliases)`, with Misc mentions for `demonyms`.
fn doc_with(entities: &[(EntityKind, &str, &[&str])], demonyms: &[&str], dateline: Option<&str>) -> Doc {
    let mut article = Article { id: "test".into(), ..Article::default() };
    article.dateline = dateline.map(|place| Dateline { place: Some(place.into()), ..Dateline::default() });
    let mut doc = Doc::new(article);
    for word in demonyms {
        let start = doc.text.len();
        doc.text.push_str(word);
        doc.mentions.push(Mention { span: start..doc.text.len(), tokens: 0..0, kind: MentionKind::Misc, entity: None });
        doc.text.push(' ');
    }
    doc.entities = entities
        .iter()
        .map(|(kind, name, aliases)| Entity {
            kind: *kind,
            name: name.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            mentions: Vec::new(),
            link: None,
        })
        .collect();
    doc
}

/// The ids the entities link to, in order (None for unlinked); cities and states by their
/// GeoNames id, which every one of them has (their QID only when the match was confident).
fn linked(entities: &[(EntityKind, &str, &[&str])], demonyms: &[&str], dateline: Option<&str>) -> Vec<Option<String>> {
    linked_with(Kb::bundled(), entities, demonyms, dateline)
}

fn linked_with(
    kb: &Kb,
    entities: &[(EntityKind, &str, &[&str])],
    demonyms: &[&str],
    dateline: Option<&str>,
) -> Vec<Option<String>> {
    let mut doc = doc_with(entities, demonyms, dateline);
    link(&mut doc, kb);
    doc.entities.iter().map(|e| e.link.as_ref().map(link_key)).collect()
}

fn link_key(link: &newsgraph::doc::KbLink) -> String {
    match (link.class.as_deref(), link.geonames) {
        (Some("City" | "State"), Some(geonames)) => format!("geonames:{geonames}"),
        _ => link.id.clone(),
    }
}

use EntityKind::{Organization as Org, Person, Place};

#[test]
fn countries_link_to_wikidata_with_geonames_and_coordinates() {
    let mut doc = doc_with(&[(Place, "United States", &["US", "U.S."])], &[], None);
    link(&mut doc, Kb::bundled());
    let found = doc.entities[0].link.clone().expect("linked");
    assert_eq!(found.id, "Q30");
    assert_eq!(found.wikidata.as_deref(), Some("Q30"));
    assert_eq!(found.geonames, Some(6252001));
    assert_eq!(found.class.as_deref(), Some("Country"));
    assert!(found.lat.is_some() && found.long.is_some());
    assert_eq!(found.label.as_deref(), Some("United States"));
}

#[test]
fn abbreviations_and_their_expansions_link_alike() {
    let ids = linked(&[(Org, "United Nations", &["UN"]), (Org, "Nato", &[]), (Org, "IMF", &[])], &[], None);
    assert_eq!(ids[0].as_deref(), Some("Q1065"));
    assert_eq!(ids[1].as_deref(), Some("Q7184"));
    assert_eq!(ids[2].as_deref(), Some("Q7804"));
}

#[test]
fn cities_are_chosen_by_population_and_context() {
    // Paris, France dwarfs every other Paris.
    let ids = linked(&[(Place, "Paris", &[])], &[], None);
    assert_eq!(ids[0].as_deref(), Some("geonames:2988507"));
    // Two Cambridges of similar size: only the article's country decides.
    assert_eq!(linked(&[(Place, "Cambridge", &[])], &[], None)[0], None);
    let in_uk = linked(&[(Place, "Cambridge", &[]), (Place, "UK", &[])], &[], None);
    assert_eq!(in_uk[0].as_deref(), Some("geonames:2653941"));
    assert_eq!(in_uk[1].as_deref(), Some("Q145"));
    let in_us = linked(&[(Place, "Cambridge", &[])], &["American"], None);
    assert_eq!(in_us[0].as_deref(), Some("geonames:4931972"));
}

#[test]
fn the_dateline_and_a_named_state_pick_among_cities_of_one_country() {
    // Portland, Oregon is the bigger one; the dateline says Maine.
    assert_eq!(linked(&[(Place, "Portland", &[])], &[], None)[0].as_deref(), Some("geonames:5746545"));
    let ids = linked(&[(Place, "Portland", &[])], &[], Some("PORTLAND, Maine"));
    assert_eq!(ids[0].as_deref(), Some("geonames:4975802"));
}

#[test]
fn a_country_wins_over_a_state_unless_the_article_is_american() {
    assert_eq!(linked(&[(Place, "Georgia", &[])], &[], None)[0].as_deref(), Some("Q230"));
    let ids = linked(&[(Place, "Georgia", &[]), (Place, "Atlanta", &[])], &[], None);
    assert_eq!(ids[0], None, "the state or the country: unsure, so no link");
    assert!(ids[1].is_some());
    // A state and a big US city of one name: news means the city.
    assert_eq!(linked(&[(Place, "New York", &[])], &[], None)[0].as_deref(), Some("geonames:5128581"));
    assert_eq!(linked(&[(Place, "Texas", &[])], &[], None)[0].as_deref(), Some("geonames:4736286"));
}

#[test]
fn parties_need_their_country_in_the_article() {
    assert_eq!(linked(&[(Org, "Labour Party", &[])], &[], None)[0], None);
    let ids = linked(&[(Org, "Labour Party", &[]), (Place, "London", &[])], &[], None);
    assert_eq!(ids[0].as_deref(), Some("Q9630"));
    let ids = linked(&[(Org, "Democratic Party", &[])], &["American"], None);
    assert_eq!(ids[0].as_deref(), Some("Q29552"));
    // The only party of that name anywhere, named in full.
    assert_eq!(linked(&[(Org, "Scottish National Party", &["SNP"])], &[], None)[0].as_deref(), Some("Q10658"));
}

#[test]
fn types_must_agree_and_metonymy_stays_apart() {
    let ids = linked(&[(Person, "Paris", &[]), (Org, "Kremlin", &[]), (Org, "Georgia", &[]), (Place, "Downing Street", &[])], &[], None);
    assert_eq!(ids, vec![None, None, None, None]);
}

#[test]
fn an_alias_pointing_elsewhere_blocks_the_link() {
    let ids = linked(&[(Place, "Paris", &["Moscow"])], &[], None);
    assert_eq!(ids[0], None);
}

#[test]
fn demonym_places_and_lowercase_words_do_not_mislead() {
    assert_eq!(linked(&[(Place, "Russian", &[])], &[], None)[0].as_deref(), Some("Q159"));
    // "us" is a pronoun, never the United States.
    assert_eq!(linked(&[(Place, "us", &[])], &[], None)[0], None);
}

#[test]
fn a_user_knowledge_base_links_people_and_overrides_bundled_entries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("newsroom.jsonl");
    std::fs::write(
        &path,
        concat!(
            r#"{"id": "https://example.org/id/jane-roe", "label": "Jane Roe", "aliases": ["Roe"], "type": "person", "country": "GB"}"#,
            "\n",
            r#"{"id": "https://example.org/id/john-roe", "label": "John Roe", "aliases": ["Roe"], "type": "person", "country": "US"}"#,
            "\n",
            r#"{"id": "https://example.org/id/acme", "label": "Acme Widgets", "aliases": ["Acme"], "type": "Company"}"#,
            "\n"
        ),
    )
    .expect("write user KB");
    let kb = Kb::with_user_file(&path).expect("user KB loads");
    let ids = linked_with(&kb, &[(Person, "Jane Roe", &[]), (Org, "Acme", &[]), (Person, "Roe", &[])], &[], None);
    assert_eq!(ids[0].as_deref(), Some("https://example.org/id/jane-roe"));
    assert_eq!(ids[1].as_deref(), Some("https://example.org/id/acme"));
    assert_eq!(ids[2], None, "two Roes and no context");
    let ids = linked_with(&kb, &[(Person, "Roe", &[])], &["American"], None);
    assert_eq!(ids[0].as_deref(), Some("https://example.org/id/john-roe"));
    let missing = Kb::with_user_file(&dir.path().join("absent.jsonl")).unwrap_err();
    assert!(format!("{missing:#}").contains("absent.jsonl"));
}

#[test]
fn a_named_country_does_not_make_a_small_town_beat_a_famous_namesake() {
    // Geneva, New York (about 20,000 people) against Geneva, Switzerland, in an American article.
    let ids = linked(&[(Place, "Geneva", &[]), (Place, "Detroit", &[])], &[], None);
    assert_eq!(ids[0].as_deref(), Some("geonames:2660646"));
    // The town's state in the dateline is strong evidence, though.
    let ids = linked(&[(Place, "Geneva", &[])], &[], Some("GENEVA, Illinois"));
    assert_eq!(ids[0].as_deref(), Some("geonames:4893591"));
}

#[test]
fn a_party_named_without_party_needs_its_country() {
    assert_eq!(linked(&[(Org, "Labour", &[])], &[], None)[0], None);
    let ids = linked(&[(Org, "Labour", &[]), (Place, "UK", &[])], &[], None);
    assert_eq!(ids[0].as_deref(), Some("Q9630"));
}

#[test]
fn the_linker_alone_is_precise_on_the_dev_set() {
    let dev = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/linking/dev.tsv");
    let rows = newsgraph::kb::eval::read_dev_set(&dev).expect("dev set parses");
    let articles: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.article.as_str()).collect();
    assert!(articles.len() >= 40, "{} articles", articles.len());
    let scores = newsgraph::kb::eval::evaluate_oracle(&rows, Kb::bundled());
    assert!(scores.precision() >= 0.95, "{}\n{:#?}", scores.summary(), scores.errors);
    assert!(scores.recall_in_kb() >= 0.85, "{}\n{:#?}", scores.summary(), scores.misses);
}

/// Runs the whole pipeline on a text and returns (name, kind, link id) of each entity.
fn pipeline_links(title: &str, body: &str) -> Vec<(String, EntityKind, Option<String>)> {
    let minter = newsgraph::rdf::iri::Minter::new("https://example.org/ng/").expect("base IRI");
    let pipeline = newsgraph::Pipeline::new(minter);
    let article = Article { id: "t".into(), title: Some(title.into()), body: body.into(), ..Article::default() };
    let doc = pipeline.analyse(article);
    doc.entities.iter().map(|e| (e.name.clone(), e.kind, e.link.as_ref().map(link_key))).collect()
}

#[test]
fn people_link_by_a_unique_full_name_never_by_a_bare_surname_and_politicians_need_agreement() {
    // A celebrity the KB describes, named in full in an ordinary article.
    let found = pipeline_links("Awards night", "The singer Alicia Keys won two awards on Sunday, and Keys thanked her fans.");
    let keys = found.iter().find(|(name, _, _)| name == "Alicia Keys").expect("found");
    assert_eq!(keys.2.as_deref(), Some("Q121507"), "{found:?}");
    // A bare surname alone links to nobody.
    let found = pipeline_links("Awards night", "Keys won two awards on Sunday, organisers said.");
    assert!(found.iter().all(|(_, _, link)| link.as_deref() != Some("Q121507")), "{found:?}");
    // A politician needs the article to agree: her country named, or her party, or her title.
    let found = pipeline_links("Talks", "Chancellor Angela Merkel met reporters on Monday.");
    let merkel = found.iter().find(|(name, _, _)| name == "Angela Merkel").expect("found");
    assert_eq!(merkel.2.as_deref(), Some("Q567"), "{found:?}");
    // Namesakes in the wrong setting: an Australian state MP's name in a football report.
    let found = pipeline_links(
        "Striker scores",
        "The striker scored twice in the league match. Michael Owen came on after 76 minutes, and the coach praised the goals.",
    );
    assert!(found.iter().all(|(_, _, link)| link.as_deref() != Some("Q6833276")), "{found:?}");
}

#[test]
fn an_organization_is_not_linked_by_a_place_name_it_shares() {
    // "England" names a country and many teams: an organization called so is none of them in
    // particular, and the country is not the organization.
    let found = linked(&[(Org, "England", &[])], &[], None);
    assert_eq!(found[0], None);
}

#[test]
fn countries_named_as_teams_in_sports_reports_are_their_teams_not_the_countries() {
    let found = pipeline_links(
        "Coach names squad",
        "The coach named his squad for the football qualifier. The striker scored two goals last week.\n\n\
         Norway beat Austria 2-0 in the last match, and the coach will watch Poland's friendly with Hungary \
         on Wednesday. The Norway coach said the league season had been long.",
    );
    let countries = ["Q20", "Q40", "Q36", "Q28"];
    for (name, _, link) in &found {
        assert!(!link.as_deref().is_some_and(|l| countries.contains(&l)), "{name} is a team here: {found:?}");
    }
    // The KB's one football team of the place, in a football report (FB15k-237 has Poland's
    // and Norway's national teams).
    let team_of = |name: &str| found.iter().find(|(n, _, _)| n.starts_with(name)).and_then(|(_, _, link)| link.clone());
    assert_eq!(team_of("Poland").as_deref(), Some("Q166196"), "{found:?}");
    assert_eq!(team_of("Norway").as_deref(), Some("Q184387"), "{found:?}");
    // The same country in a cricket report is its cricket team.
    let found = pipeline_links(
        "Cricket: tourists collapse",
        "England beat Pakistan by five wickets in the first test. The batsman scored a century and the bowler \
         took four wickets as England won the match.",
    );
    let england = found.iter().find(|(n, _, _)| n.starts_with("England")).expect("England found");
    assert_eq!(england.2.as_deref(), Some("Q1321565"), "{found:?}");
    // The same names in a news report are the countries.
    let found = pipeline_links("Talks resume", "Ministers from Austria and Hungary met in Vienna on Monday to discuss trade.");
    let austria = found.iter().find(|(name, _, _)| name == "Austria").expect("Austria found");
    assert_eq!(austria.2.as_deref(), Some("Q40"), "{found:?}");
}

#[test]
fn dissolved_parties_are_history_and_abbreviation_aliases_do_not_veto() {
    // "Tories" is also the name of the 18th-century party: with the modern party's country
    // in context, it is the modern party (whose aliases include it), not the old one.
    let ids = linked(&[(Org, "Tories", &[]), (Place, "London", &[])], &[], None);
    assert_eq!(ids[0].as_deref(), Some("Q9626"));
    // "BNP" names parties in several countries; it does not veto the full name's party.
    let ids = linked(&[(Org, "British National Party", &["BNP"])], &[], None);
    assert_eq!(ids[0].as_deref(), Some("Q161269"));
}

#[test]
fn smaller_cities_need_a_mention_that_reads_as_a_place() {
    let found = pipeline_links("Film news", "Batman topped the box office again. Fans said Batman was the best film of the year.");
    assert!(found.iter().all(|(_, _, link)| link.as_deref() != Some("geonames:321836")), "{found:?}");
    let found = pipeline_links("Oil news", "A new refinery opened in Batman on Monday, officials in Turkey said.");
    let batman = found.iter().find(|(name, _, _)| name == "Batman").expect("Batman found");
    assert_eq!(batman.2.as_deref(), Some("geonames:321836"), "{found:?}");
}

#[test]
fn an_acronym_the_article_defines_is_its_long_form_wherever_it_stands() {
    let found = pipeline_links(
        "Experts gather",
        "Experts of the World Health Organization (WHO) met in Geneva on Monday. The WHO said the outbreak was over, \
         and the Ruritanian Workers Front (RWF) agreed. RWF leaders left.",
    );
    let who: Vec<_> = found.iter().filter(|(name, _, _)| name == "World Health Organization").collect();
    assert_eq!(who.len(), 1, "{found:?}");
    assert_eq!(who[0].2.as_deref(), Some("Q7817"), "{found:?}");
    let front: Vec<_> = found.iter().filter(|(name, _, _)| name.contains("Workers Front") || name == "RWF").collect();
    assert_eq!(front.len(), 1, "one node for the long form and the acronym: {found:?}");
    assert_eq!(front[0].1, EntityKind::Organization, "{found:?}");
}

fn newsgraph() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("newsgraph").expect("binary built")
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wikidata").join(name)
}

/// Imports `dump` with `kb import` and returns what `kb lookup` says of some names.
fn import_and_look_up(dump: &std::path::Path, names: &[&str]) -> (String, String) {
    let dir = dump.parent().expect("in a folder");
    let kb = dir.join("imported.kb");
    let import = newsgraph()
        .args(["kb", "import", "--min-sitelinks", "2", "--wikidata"])
        .arg(dump)
        .arg("-o")
        .arg(&kb)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&import.get_output().stderr).to_string();
    let lookup = newsgraph().args(["kb", "lookup", "--kb"]).arg(&kb).args(names).assert().success();
    (String::from_utf8_lossy(&lookup.get_output().stdout).to_string(), stderr)
}

fn compressed(name: &str, format: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    let path = dir.path().join(format!("{name}.{format}"));
    let file = std::fs::File::create(&path).expect("create");
    match format {
        "gz" => {
            let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
            encoder.write_all(&bytes).expect("compress");
            encoder.finish().expect("compress");
        }
        "bz2" => {
            let mut encoder = bzip2::write::BzEncoder::new(file, bzip2::Compression::fast());
            encoder.write_all(&bytes).expect("compress");
            encoder.finish().expect("compress");
        }
        _ => {
            std::fs::write(&path, &bytes).expect("copy");
        }
    }
    (dir, path)
}

#[test]
fn a_wikidata_json_dump_imports_people_places_and_companies_with_their_facts() {
    let (_dir, dump) = compressed("dump.json", "gz");
    let (found, stderr) = import_and_look_up(&dump, &["Paris", "City of Light", "Angela Merkel", "Apple", "A study of things", "Obscure Person", "Nur Deutsch", "Deprecated Town", "city"]);
    // Paris: a city (big city → city, through P279), its country's ISO code, GeoNames id.
    assert!(found.contains("Q90\tParis\tCity\tFR\tpop 2145906\twikidata Q90\tgeonames 2988507"), "{found}");
    let light = found.split("City of Light:").nth(1).expect("alias looked up");
    assert!(light.trim_start().starts_with("Q90\t"), "{found}");
    // Merkel: a person with her post, named from the position's own item, and its dates.
    assert!(found.contains("Q567\tAngela Merkel\tperson\tDE"), "{found}");
    assert!(found.contains("Chancellor of Germany (2005-11-22–2021-12-08)"), "{found}");
    // Apple: its class (public company) comes later in the dump than Apple itself.
    assert!(found.contains("Q312\tApple Inc.\tCompany\tUS"), "{found}");
    // Not kept: no sitelinks and no useful class, no English label, too few sitelinks, a
    // deprecated type, and classes themselves.
    for absent in ["Q60000001", "Q60000002", "Q60000003", "Q60000004", "Q515\t"] {
        assert!(!found.contains(absent), "{absent} should not be kept: {found}");
    }
    // The broken line is reported and skipped; the rest went through.
    assert!(stderr.contains("1 skipped") && stderr.contains("line 10"), "{stderr}");
}

#[test]
fn a_truthy_ntriples_dump_imports_the_same_way() {
    for format in ["nt", "bz2"] {
        let (_dir, dump) = compressed("truthy.nt", format);
        let (found, stderr) = import_and_look_up(&dump, &["Paris", "Angela Merkel", "France", "Obscure Person", "Someone Else"]);
        assert!(found.contains("Q90\tParis\tCity\tFR\tpop 2145906\twikidata Q90\tgeonames 2988507"), "{format}: {found}");
        // Sitelinks counted from the articles about France when the count is not given.
        assert!(found.contains("Q142\tFrance\tCountry\tFR"), "{format}: {found}");
        assert!(found.contains("Q567\tAngela Merkel\tperson\tDE"), "{format}: {found}");
        assert!(found.contains("Chancellor of Germany"), "{format}: {found}");
        assert!(!found.contains("Q60000003"), "{format}: {found}");
        // After the bad line, the next entity still comes through.
        assert!(found.contains("Q60000006\tSomeone Else"), "{format}: {found}\n{stderr}");
    }
}

#[test]
fn an_imported_kb_links_through_the_pipeline_with_a_confidence() {
    let (dir, dump) = compressed("dump.json", "json");
    let kb = dir.path().join("wd.kb");
    newsgraph().args(["kb", "import", "--min-sitelinks", "2", "--wikidata"]).arg(&dump).arg("-o").arg(&kb).assert().success();
    let article = dir.path().join("story.txt");
    std::fs::write(&article, "Merkel visit\n\nChancellor Angela Merkel flew to Paris on Monday to meet French officials.\n").expect("write");
    let out = newsgraph().args(["convert", "--format", "ntriples", "--kb"]).arg(&kb).arg(&article).assert().success();
    let triples = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(triples.contains("<http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q567>"), "{triples}");
    assert!(triples.contains("https://newsgraph.example/ns#linkConfidence"), "{triples}");
}

#[test]
fn continents_and_britain_link_to_their_wikidata_items() {
    // GeoNames gives most continents no QID; the build takes it from the FB15k-237 continent.
    let found = linked(&[(Place, "Europe", &[]), (Place, "Asia", &[]), (Place, "Britain", &[])], &[], None);
    assert_eq!(found, vec![Some("Q46".to_string()), Some("Q48".to_string()), Some("Q145".to_string())]);
    // A continent adjective names the continent, as a demonym names a country.
    let found = pipeline_links("Summit", "European leaders met on Monday to discuss trade with African states.");
    for qid in ["Q46", "Q15"] {
        assert!(found.iter().any(|(_, _, link)| link.as_deref() == Some(qid)), "{qid} missing: {found:?}");
    }
}

#[test]
fn a_results_table_is_a_sports_report_whose_clubs_are_teams() {
    // Few sports words but the sport's name: the clubs named by their towns are the clubs.
    let found = pipeline_links(
        "SOCCER - ENGLISH LEAGUE RESULTS",
        "LONDON 1996-08-31\n\nResults of English soccer matches on Saturday :\n\nDivision two\n\n\
         Blackpool 0 Wycombe 0\n\nCrewe 0 Watford 2\n\nLuton 1 Rotherham 0\n",
    );
    assert!(found.iter().any(|(_, _, link)| link.as_deref() == Some("Q48953")), "Wycombe Wanderers: {found:?}");
    assert!(found.iter().all(|(_, _, link)| link.as_deref() != Some("Q64116")), "not the town: {found:?}");
}

#[test]
fn a_team_by_its_own_label_beats_a_team_that_bore_the_name_once() {
    // "Milwaukee Brewers" is a former name of the Baltimore Orioles too.
    let found = pipeline_links(
        "Baseball: Brewers win",
        "The pitcher struck out ten as the league leaders beat Milwaukee 4-2 in the baseball game on Sunday. \
         Milwaukee have lost three in a row, and the inning ended with a homer.",
    );
    let milwaukee = found.iter().find(|(name, _, _)| name.starts_with("Milwaukee")).expect("Milwaukee found");
    assert_eq!(milwaukee.2.as_deref(), Some("Q848103"), "{found:?}");
}

#[test]
fn in_an_individual_sport_a_side_that_reads_as_a_nationality_is_the_country() {
    // No team sport stands out: "the Russia coach" of a cycling report is the riders' country.
    let found = pipeline_links(
        "CYCLING - TOUR STAGE RESULTS",
        "Results of the cycling championship stage on Sunday:\n\n1. Olga Petrova (Russia) 4 hours 12 minutes\n\n\
         2. Anna Ivanova (Russia) 4 hours 13 minutes\n\n3. Marie Dupont (France) 4 hours 15 minutes\n\n\
         The Russia coach praised the riders after the final climb of the tournament.\n",
    );
    let russia = found.iter().find(|(name, _, _)| name == "Russia").expect("Russia found");
    assert_eq!(russia.2.as_deref(), Some("Q159"), "{found:?}");
}
