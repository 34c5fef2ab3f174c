//! # `myelin`: the Myelin command line
//!
//! Daily flows of miners, validators, stakers and subnet owners over a node's standard JSON-RPC
//! plus Myelin's `myelin_*` views:
//!
//! - `wallet`: create, new-hotkey, regen, list, balance, transfer, sign, verify;
//! - `subnet`: list, show (metagraph), hyperparams, create, set-hyperparam, register, serve;
//! - `stake`: add, remove, list, set-take;
//! - `weights`: set, commit, reveal;
//! - `gov`: propose, deposit, vote, list, show, unlock.
//!
//! Every command takes `--url` and `--json`; transactions show progress on stderr until
//! inclusion or finality (`--wait`), and any failure exits non-zero with a one-line reason on
//! stderr. Read-only commands never ask for a password.

// The CLI reads JSON-RPC answers as `serde_json::Value` and indexes them by key, which yields
// `Null` for anything missing and never panics; slices are not indexed anywhere.
#![allow(clippy::indexing_slicing)]

mod chain;
mod commands;
mod keyfile;
mod output;
mod progress;
mod wallet;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

use crate::chain::Wait;

/// Command line of the Myelin chain.
#[derive(Parser)]
#[command(name = "myelin", version, about, propagate_version = true)]
pub struct Cli {
	/// Node WebSocket endpoint.
	#[arg(long, global = true, env = "MYELIN_URL", default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Print machine-readable JSON on stdout instead of tables.
	#[arg(long, global = true)]
	pub json: bool,
	/// Directory holding the wallets (default `~/.myelin/wallets`).
	#[arg(long, global = true, env = "MYELIN_WALLET_PATH")]
	pub wallet_path: Option<PathBuf>,
	/// How far to follow a transaction before reporting.
	#[arg(long, global = true, value_enum, default_value = "finalized")]
	pub wait: Wait,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Keys and balances.
	#[command(subcommand)]
	Wallet(commands::wallet::WalletCommand),
	/// Subnets, their metagraphs and registration.
	#[command(subcommand)]
	Subnet(commands::subnet::SubnetCommand),
	/// Staking on hotkeys.
	#[command(subcommand)]
	Stake(commands::stake::StakeCommand),
	/// Validator weights.
	#[command(subcommand)]
	Weights(commands::weights::WeightsCommand),
	/// Referenda and votes.
	#[command(subcommand)]
	Gov(commands::gov::GovCommand),
	/// Inference subnets: tasks, rounds and challenges.
	#[command(subcommand)]
	Inference(commands::inference::InferenceCommand),
	/// Receipts of the embeddings API: verify an answer.
	#[command(subcommand)]
	Receipt(commands::receipt::ReceiptCommand),
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let ctx = commands::Context::new(&cli);
	let result = match cli.command {
		Command::Wallet(command) => commands::wallet::run(&ctx, command).await,
		Command::Subnet(command) => commands::subnet::run(&ctx, command).await,
		Command::Stake(command) => commands::stake::run(&ctx, command).await,
		Command::Weights(command) => commands::weights::run(&ctx, command).await,
		Command::Gov(command) => commands::gov::run(&ctx, command).await,
		Command::Inference(command) => commands::inference::run(&ctx, command).await,
		Command::Receipt(command) => commands::receipt::run(&ctx, command).await,
	};
	match result {
		Ok(()) => ExitCode::SUCCESS,
		Err(err) => {
			let reason: Vec<String> = err.chain().map(ToString::to_string).collect();
			eprintln!("error: {}", reason.join(": "));
			ExitCode::FAILURE
		}
	}
}

#[cfg(test)]
mod tests {
	use clap::CommandFactory;

	/// clap's own consistency checks over every subcommand (unique names, valid defaults).
	#[test]
	fn command_line_is_consistent() {
		super::Cli::command().debug_assert();
	}

	#[test]
	fn hyperparameters_parse_by_name() {
		use crate::commands::subnet::hyperparameter;
		use pallet_subnets::Hyperparameter;
		assert_eq!(hyperparameter("tempo", "20").ok(), Some(Hyperparameter::Tempo(20)));
		assert_eq!(
			hyperparameter("commit_reveal_enabled", "true").ok(),
			Some(Hyperparameter::CommitRevealEnabled(true))
		);
		assert_eq!(
			hyperparameter("max-burn", "2.5").ok(),
			Some(Hyperparameter::MaxBurn(2_500_000_000))
		);
		assert!(hyperparameter("tempo", "70000").is_err(), "out of u16 range");
		assert!(hyperparameter("tempo", "-1").is_err());
		assert!(hyperparameter("speed", "1").is_err());
	}
}
