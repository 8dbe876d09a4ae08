//! Builds the gazetteer lists from the shared data at training time; the lists are stored in the
//! model file, so run time never reads the data folder and matches training exactly.

use super::features::GAZETTEER_CATEGORIES;
use super::tokenize::words;
use anyhow::Context;
use std::collections::BTreeSet;
use std::path::Path;

/// Cities at least this large also contribute their alternate names (in Latin script).
const BIG_CITY: u64 = 500_000;

/// The name lists of `kb/gazetteers/` (made by `scripts/gazetteers.py`) and the category each
/// feeds.
const NAME_LISTS: [(&str, &str); 5] = [
    ("first_names.txt", "first-name"),
    ("surnames.txt", "surname"),
    ("companies.txt", "company"),
    ("subdivisions.txt", "region"),
    ("languages.txt", "language"),
];

/// One list per category of [`GAZETTEER_CATEGORIES`]: sorted, unique entries, one per line,
/// tokens separated by spaces. From the shared data folder and, when given, the folder of name
/// lists.
pub fn build(data: &Path, name_lists: Option<&Path>) -> anyhow::Result<Vec<String>> {
    let mut lists: Vec<BTreeSet<String>> = vec![BTreeSet::new(); GAZETTEER_CATEGORIES.len()];
    let category = |name: &str| {
        GAZETTEER_CATEGORIES
            .iter()
            .position(|c| *c == name)
            .expect("known category")
    };
    let (country, demonym, city, big_city, region, continent, organization, party) = (
        category("country"),
        category("demonym"),
        category("city"),
        category("big-city"),
        category("region"),
        category("continent"),
        category("organization"),
        category("party"),
    );

    for_each_row(&data.join("countries/countries.tsv"), |row| {
        lists[country].insert(row.get("name"));
        for alt in row.get("alt_names").split('|') {
            lists[country].insert(alt.to_string());
        }
        for d in row
            .get("demonyms")
            .split('|')
            .chain(row.get("demonyms_wc").split('|'))
        {
            lists[demonym].insert(d.to_string());
        }
    })?;
    for_each_row(&data.join("countries/demonyms.tsv"), |row| {
        lists[demonym].insert(row.get("demonym"));
    })?;
    for_each_row(&data.join("gazetteers/countries.tsv"), |row| {
        lists[country].insert(row.get("name"));
    })?;
    for_each_row(&data.join("gazetteers/cities15000.tsv"), |row| {
        let population: u64 = row.get("population").parse().unwrap_or(0);
        let target = if population >= BIG_CITY {
            big_city
        } else {
            city
        };
        lists[target].insert(row.get("name"));
        if population >= BIG_CITY {
            for alt in row.get("alternate_names").split('|') {
                lists[big_city].insert(alt.to_string());
            }
        }
    })?;
    for_each_row(&data.join("gazetteers/us_states.tsv"), |row| {
        lists[region].insert(row.get("name"));
    })?;
    for_each_row(&data.join("gazetteers/continents.tsv"), |row| {
        lists[continent].insert(row.get("name"));
        for alt in row.get("alternate_names").split('|') {
            lists[continent].insert(alt.to_string());
        }
    })?;
    for (file, target) in [
        ("kb/international_organizations.jsonl", organization),
        ("kb/political_parties.jsonl", party),
    ] {
        let path = data.join(file);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let value: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("parsing a line of {}", path.display()))?;
            if let Some(label) = value["label"].as_str() {
                lists[target].insert(label.to_string());
            }
            for key in ["aliases", "abbreviations"] {
                for alias in value[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a.as_str())
                {
                    lists[target].insert(alias.to_string());
                }
            }
        }
    }
    if let Some(dir) = name_lists {
        for (file, target) in NAME_LISTS {
            let path = dir.join(file);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            lists[category(target)].extend(text.lines().map(str::to_string));
        }
    }
    Ok(lists
        .into_iter()
        .map(|list| {
            let entries: BTreeSet<String> = list
                .iter()
                .filter(|e| usable(e))
                .map(|e| words(e).join(" "))
                .collect();
            entries.into_iter().collect::<Vec<_>>().join("\n")
        })
        .collect())
}

/// Names in Latin script with a capital letter and more than two characters, or all-caps codes
/// of two or more letters (abbreviations such as "UN" stay; "AD" style ISO codes are filtered
/// by requiring they come from name fields, not code columns).
fn usable(entry: &str) -> bool {
    let entry = entry.trim();
    let latin = entry
        .chars()
        .all(|c| (c as u32) < 0x250 || c.is_whitespace() || ('\u{2000}'..='\u{206F}').contains(&c));
    let capital = entry
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    latin && capital && entry.chars().count() >= 2 && words(entry).len() <= 8
}

struct Row<'a> {
    header: &'a [String],
    fields: Vec<&'a str>,
}

impl Row<'_> {
    fn get(&self, column: &str) -> String {
        let i = self.header.iter().position(|h| h == column);
        i.and_then(|i| self.fields.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }
}

/// Calls `visit` with every row of a TSV file with a header line.
fn for_each_row(path: &Path, mut visit: impl FnMut(&Row)) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap_or_default()
        .split('\t')
        .map(str::to_string)
        .collect();
    for line in lines {
        visit(&Row {
            header: &header,
            fields: line.split('\t').collect(),
        });
    }
    Ok(())
}
