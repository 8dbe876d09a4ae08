//! The SPARQL 1.1 Protocol endpoint over a store.

/// Options of `newsgraph serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

pub fn run(_args: ServeArgs) -> anyhow::Result<()> {
    anyhow::bail!("serve is not implemented yet")
}
