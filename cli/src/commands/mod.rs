//! The command groups, and what they share: connection, wallet root, output mode.

pub mod gov;
pub mod inference;
pub mod receipt;
pub mod stake;
pub mod subnet;
pub mod wallet;
pub mod weights;

use std::path::PathBuf;

use anyhow::Result;
use myelin_runtime::{AccountId, RuntimeCall};
use serde_json::Value;
use sp_core::sr25519;

use crate::{
	chain::{Chain, Receipt, Wait},
	output,
	progress::Progress,
	wallet::{default_root, parse_address, Wallet},
	Cli,
};

/// Global options every command sees.
pub struct Context {
	/// Node endpoint.
	pub url: String,
	/// JSON output.
	pub json: bool,
	/// Wallet root.
	pub root: PathBuf,
	/// How far to follow transactions.
	pub wait: Wait,
}

impl Context {
	/// From the parsed command line.
	pub fn new(cli: &Cli) -> Context {
		Context {
			url: cli.url.clone(),
			json: cli.json,
			root: cli.wallet_path.clone().unwrap_or_else(default_root),
			wait: cli.wait,
		}
	}

	/// Connects to the node.
	pub async fn chain(&self) -> Result<Chain> {
		Chain::connect(&self.url).await
	}

	/// The wallet called `name` (or a dev URI).
	pub fn wallet(&self, name: &str) -> Wallet {
		Wallet::new(&self.root, name)
	}

	/// Prints `value` as JSON, or `human` as text.
	pub fn print(&self, value: &Value, human: impl FnOnce() -> String) {
		if self.json {
			output::json(value);
		} else {
			println!("{}", human());
		}
	}

	/// Submits `call` signed by `signer` with progress on stderr, printing nothing (for commands
	/// that send several transactions and report once).
	pub async fn submit(
		&self,
		chain: &Chain,
		signer: &sr25519::Pair,
		call: RuntimeCall,
		what: &str,
	) -> Result<Receipt> {
		let progress = Progress::start(what);
		let receipt = chain.submit(signer, call, self.wait, &progress).await;
		drop(progress);
		receipt
	}

	/// Submits `call` signed by `signer`, then prints the receipt with `summary` (and `extra`
	/// JSON fields) on success.
	pub async fn transact(
		&self,
		chain: &Chain,
		signer: &sr25519::Pair,
		call: RuntimeCall,
		what: &str,
		summary: impl FnOnce(&Receipt) -> (String, Value),
	) -> Result<Receipt> {
		let receipt = self.submit(chain, signer, call, what).await?;
		let (text, extra) = summary(&receipt);
		let mut json = receipt.to_json();
		if let (Some(fields), Value::Object(extra)) = (json.as_object_mut(), extra) {
			fields.extend(extra);
		}
		let status = if receipt.finalized { "finalized" } else { "in block" };
		self.print(&json, || format!("✓ {text} (block #{}, {status})", receipt.block_number));
		Ok(receipt)
	}
}

/// A hotkey given as a wallet hotkey name, an SS58 address or a dev URI.
pub fn hotkey_account(wallet: &Wallet, hotkey: &str) -> Result<AccountId> {
	if let Ok(address) = parse_address(hotkey) {
		return Ok(address);
	}
	wallet.hotkey_address(hotkey)
}
