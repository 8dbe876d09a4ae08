//! The bundled knowledge base: countries, places, international organizations and political
//! parties, with Wikidata and GeoNames ids; alias lookup for recognition and linking.

use crate::doc::EntityKind;
use serde::{Deserialize, Serialize};

/// `newsgraph kb …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum KbCommand {}

pub fn run(command: KbCommand) -> anyhow::Result<()> {
    match command {}
}

/// One knowledge-base entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KbEntry {
    /// Wikidata QID ("Q159"), `geonames:ID` for places without a QID, or a user KB's IRI.
    pub id: String,
    pub kind: EntityKind,
    /// A finer class: "Country", "City", "Continent", "State", "PoliticalParty",
    /// "InternationalOrganization", or a user KB's own.
    pub class: Option<String>,
    pub label: String,
    pub aliases: Vec<String>,
    pub wikidata: Option<String>,
    pub geonames: Option<u32>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub population: Option<u64>,
    /// ISO 3166-1 alpha-2 code of the country the entity belongs to.
    pub country: Option<String>,
}

/// The knowledge base: entries and an index from normalised alias to entries.
#[derive(Debug, Default)]
pub struct Kb {
    entries: Vec<KbEntry>,
}

impl Kb {
    /// The knowledge base compiled into the binary.
    pub fn bundled() -> &'static Kb {
        static KB: std::sync::OnceLock<Kb> = std::sync::OnceLock::new();
        KB.get_or_init(Kb::default)
    }

    /// Entries whose label or alias matches `surface` after normalisation (case, diacritics,
    /// leading "the", punctuation).
    pub fn candidates(&self, _surface: &str) -> Vec<&KbEntry> {
        Vec::new()
    }

    /// The country a demonym or nationality names ("Russian", "Russians", "British").
    pub fn demonym(&self, _word: &str) -> Option<&KbEntry> {
        None
    }

    pub fn entries(&self) -> &[KbEntry] {
        &self.entries
    }
}
