//! Sends article graphs to a remote store (SPARQL 1.1 Graph Store Protocol or Update).

/// Options of `newsgraph push`.
#[derive(Debug, clap::Args)]
pub struct PushArgs {}

pub fn run(_args: PushArgs) -> anyhow::Result<()> {
    anyhow::bail!("push is not implemented yet")
}
