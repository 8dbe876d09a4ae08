//! The statistical named-entity tagger: features, model, decoding, training and evaluation.

use crate::doc::{Doc, Mention};

/// `newsgraph ner …` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum NerCommand {}

pub fn run(command: NerCommand) -> anyhow::Result<()> {
    match command {}
}

/// The tagger embedded in the binary, if a model was built into it.
pub fn bundled() -> Option<&'static Tagger> {
    None
}

/// A trained sequence tagger.
pub struct Tagger {}

impl Tagger {
    /// Person, Organization, Place and Misc mentions of a segmented document.
    pub fn tag_doc(&self, _doc: &Doc) -> Vec<Mention> {
        Vec::new()
    }
}
