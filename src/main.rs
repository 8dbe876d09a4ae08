//! The `newsgraph` command line: argument parsing, progress and exit codes. Extraction logic
//! lives in the library.

use clap::{Parser, Subcommand};
use newsgraph::{kb, ner, push, serve};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "newsgraph", version, about = "Turns news articles into an RDF knowledge graph")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve a store over the SPARQL 1.1 Protocol (read-only unless --allow-update).
    Serve(serve::ServeArgs),
    /// Send every article graph of a store to a remote graph database.
    Push(push::PushArgs),
    /// Build and inspect the knowledge base.
    Kb {
        #[command(subcommand)]
        command: kb::KbCommand,
    },
    /// Train and evaluate the named-entity tagger.
    Ner {
        #[command(subcommand)]
        command: ner::NerCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Push(args) => push::run(args),
        Command::Kb { command } => kb::run(command),
        Command::Ner { command } => ner::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
