//! `myelin weights …`: a validator's weights, directly or by commit-reveal.
//!
//! `commit` stores the weights, salt, version key and the subnet's epoch index under the wallet's
//! `commits/` directory (0600) so that `reveal` can find them; a successful reveal deletes the
//! file. A commit belongs to the epoch it lands in and can be revealed once the subnet's next
//! epoch has run: `commit` waits out an epoch about to close (so the commit lands in the epoch
//! its hash binds), and `reveal` waits for the reveal window to open unless `--no-wait`.

use std::{fs, os::unix::fs::PermissionsExt, path::PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use jsonrpsee::rpc_params;
use myelin_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;

use super::{
	wallet::{HotkeyArg, WalletArg},
	Context,
};
use crate::{
	chain::{storage_key, twox_64_concat, Chain, Receipt},
	wallet::Wallet,
};

/// The weight vector of `set` and `commit`.
#[derive(Args, Clone)]
pub struct WeightsArg {
	/// The subnet.
	#[arg(long)]
	pub netuid: u16,
	/// UIDs to weight, comma-separated, e.g. `1,4,7`.
	#[arg(long, value_delimiter = ',', required = true)]
	pub uids: Vec<u16>,
	/// Their weights (any non-negative scale; normalized on chain), e.g. `0.5,0.3,0.2`.
	#[arg(long, value_delimiter = ',', required = true)]
	pub weights: Vec<f64>,
	/// Version key the subnet requires (see `weights-version-key` in `subnet hyperparams`).
	#[arg(long, default_value_t = 0)]
	pub version_key: u64,
}

/// `myelin weights` subcommands.
#[derive(Subcommand)]
pub enum WeightsCommand {
	/// Sets the hotkey's weights on a subnet.
	Set {
		#[command(flatten)]
		wallet: WalletArg,
		#[command(flatten)]
		hotkey: HotkeyArg,
		#[command(flatten)]
		weights: WeightsArg,
	},
	/// Commits to weights on a commit-reveal subnet (stores the salt locally for `reveal`).
	Commit {
		#[command(flatten)]
		wallet: WalletArg,
		#[command(flatten)]
		hotkey: HotkeyArg,
		#[command(flatten)]
		weights: WeightsArg,
	},
	/// Reveals the weights committed earlier with `commit`.
	Reveal {
		#[command(flatten)]
		wallet: WalletArg,
		#[command(flatten)]
		hotkey: HotkeyArg,
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		/// Fail instead of waiting when the subnet's next epoch has not run yet.
		#[arg(long)]
		no_wait: bool,
	},
}

/// Scales non-negative weights so the largest becomes `u16::MAX` (what the chain stores).
pub fn to_u16(weights: &[f64]) -> Result<Vec<u16>> {
	if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
		bail!("weights must be finite and non-negative");
	}
	let max = weights.iter().copied().fold(0.0_f64, f64::max);
	if max <= 0.0 {
		bail!("at least one weight must be positive");
	}
	// Each quotient is in [0, 1], so the product is in [0, 65535] and converts exactly.
	Ok(weights.iter().map(|w| ((w / max) * f64::from(u16::MAX)).round() as u16).collect())
}

/// A pending commit, as stored on disk.
#[derive(Serialize, Deserialize)]
struct PendingCommit {
	netuid: u16,
	hotkey: String,
	uids: Vec<u16>,
	values: Vec<u16>,
	salt: Vec<u16>,
	version_key: u64,
	/// The subnet's epoch index the commit belongs to.
	epoch: u64,
	hash: String,
}

/// Blocks before a subnet's epoch in which `commit` waits instead: a commit included after the
/// epoch would belong to the next one, not the one its hash binds.
const CLOSING_BLOCKS: u32 = 3;

/// How often to poll the chain while waiting for an epoch (a block is 6 s).
const POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// How many epochs `netuid` has run (the Yuma pallet's `EpochIndex`).
async fn epoch_index(chain: &Chain, netuid: u16) -> Result<u64> {
	let key = storage_key("Yuma", "EpochIndex", &[twox_64_concat(&netuid)]);
	Ok(chain.storage::<u64>(&key).await?.unwrap_or_default())
}

/// Waits until `netuid`'s epoch index is above `epoch`; returns the new index.
async fn wait_for_epoch_after(chain: &Chain, netuid: u16, epoch: u64) -> Result<u64> {
	loop {
		let now = epoch_index(chain, netuid).await?;
		if now > epoch {
			return Ok(now);
		}
		tokio::time::sleep(POLL).await;
	}
}

/// The epoch a commit sent now lands in: the current one, or, when it is about to close,
/// the next (after waiting for it).
async fn commit_epoch(chain: &Chain, netuid: u16) -> Result<u64> {
	let params: Value = chain.call("myelin_subnetHyperparams", rpc_params![netuid]).await?;
	let tempo = params
		.get("tempo")
		.and_then(Value::as_u64)
		.and_then(|t| u16::try_from(t).ok())
		.ok_or_else(|| anyhow!("subnet {netuid} does not exist"))?;
	let epoch = epoch_index(chain, netuid).await?;
	let next = chain.best_number().await?.saturating_add(1);
	match myelin_primitives::subnets::blocks_until_epoch(netuid, tempo, next) {
		Some(blocks) if blocks >= CLOSING_BLOCKS => Ok(epoch),
		_ => {
			eprintln!("subnet {netuid}'s epoch is about to run; committing after it…");
			wait_for_epoch_after(chain, netuid, epoch).await
		}
	}
}

fn commit_path(wallet: &Wallet, netuid: u16, hotkey: &AccountId) -> PathBuf {
	wallet.commits_dir().join(format!("{netuid}-{}.json", hotkey.to_ss58check()))
}

fn vector(weights: &WeightsArg) -> Result<Vec<u16>> {
	if weights.uids.len() != weights.weights.len() {
		bail!("{} uids but {} weights", weights.uids.len(), weights.weights.len());
	}
	to_u16(&weights.weights)
}

/// Runs a `myelin weights` command.
pub async fn run(ctx: &Context, command: WeightsCommand) -> Result<()> {
	match command {
		WeightsCommand::Set { wallet, hotkey, weights } => {
			let values = vector(&weights)?;
			let signer = ctx.wallet(&wallet.wallet).hotkey(&hotkey.hotkey)?;
			let chain = ctx.chain().await?;
			let netuid = weights.netuid;
			let call = pallet_yuma::Call::set_weights {
				netuid,
				uids: weights.uids.clone(),
				values,
				version_key: weights.version_key,
			};
			ctx.transact(&chain, &signer, RuntimeCall::Yuma(call), "set weights", |_| {
				(
					format!("weights set on subnet {netuid} for {} uids", weights.uids.len()),
					json!({ "netuid": netuid }),
				)
			})
			.await?;
		}
		WeightsCommand::Commit { wallet, hotkey, weights } => {
			let values = vector(&weights)?;
			let wallet = ctx.wallet(&wallet.wallet);
			let signer = wallet.hotkey(&hotkey.hotkey)?;
			let hotkey_id: AccountId = sp_core::Pair::public(&signer).into();
			let mut salt = vec![0u16; 8];
			for word in &mut salt {
				*word = (rand::rngs::OsRng.next_u32() & 0xffff) as u16;
			}
			let netuid = weights.netuid;
			let chain = ctx.chain().await?;
			let epoch = commit_epoch(&chain, netuid).await?;
			let hash = pallet_yuma::commit_hash(
				&hotkey_id,
				netuid,
				epoch,
				&weights.uids,
				&values,
				&salt,
				weights.version_key,
			);
			let pending = PendingCommit {
				netuid,
				hotkey: hotkey_id.to_ss58check(),
				uids: weights.uids.clone(),
				values,
				salt,
				version_key: weights.version_key,
				epoch,
				hash: format!("{hash:?}"),
			};
			// Saved before submitting: a commit whose salt is lost can never be revealed.
			let path = commit_path(&wallet, netuid, &hotkey_id);
			if let Some(dir) = path.parent() {
				fs::create_dir_all(dir)?;
				fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
			}
			fs::write(&path, serde_json::to_string_pretty(&pending)?)
				.with_context(|| format!("cannot save the commit to {}", path.display()))?;
			fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
			let call = pallet_yuma::Call::commit_weights { netuid, hash };
			let landed = |receipt: &Receipt| {
				receipt.find(|event| match event {
					RuntimeEvent::Yuma(pallet_yuma::Event::WeightsCommitted { epoch, .. }) => {
						Some(*epoch)
					}
					_ => None,
				})
			};
			let receipt = ctx
				.transact(&chain, &signer, RuntimeCall::Yuma(call), "commit weights", |receipt| {
					(
						format!(
							"committed weights on subnet {netuid} in its epoch {epoch}; reveal after \
							 its next epoch with `myelin weights reveal`"
						),
						json!({
							"netuid": netuid,
							"hash": format!("{hash:?}"),
							"epoch": landed(receipt),
							"saved": path.display().to_string(),
						}),
					)
				})
				.await?;
			if landed(&receipt) != Some(epoch) {
				fs::remove_file(&path)?;
				bail!("the commit landed after subnet {netuid}'s epoch {epoch} closed and can never be revealed: commit again");
			}
		}
		WeightsCommand::Reveal { wallet, hotkey, netuid, no_wait } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let signer = wallet.hotkey(&hotkey.hotkey)?;
			let hotkey_id: AccountId = sp_core::Pair::public(&signer).into();
			let path = commit_path(&wallet, netuid, &hotkey_id);
			let text = fs::read_to_string(&path).map_err(|_| {
				anyhow!("no pending commit for subnet {netuid} at {}", path.display())
			})?;
			let pending: PendingCommit =
				serde_json::from_str(&text).context("the saved commit is corrupt")?;
			let chain = ctx.chain().await?;
			let now = epoch_index(&chain, netuid).await?;
			if now <= pending.epoch {
				if no_wait {
					bail!(
						"the commit belongs to subnet {netuid}'s epoch {}, still running: reveal \
						 after its next epoch",
						pending.epoch
					);
				}
				eprintln!("waiting for subnet {netuid}'s next epoch to reveal…");
				wait_for_epoch_after(&chain, netuid, pending.epoch).await?;
			}
			let salt =
				pending.salt.try_into().map_err(|_| anyhow!("the saved salt is too long"))?;
			let call = pallet_yuma::Call::reveal_weights {
				netuid,
				uids: pending.uids,
				values: pending.values,
				salt,
				version_key: pending.version_key,
			};
			ctx.transact(&chain, &signer, RuntimeCall::Yuma(call), "reveal weights", |_| {
				(format!("revealed weights on subnet {netuid}"), json!({ "netuid": netuid }))
			})
			.await?;
			fs::remove_file(&path)?;
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use super::*;

	#[test]
	fn weights_are_max_upscaled() {
		assert_eq!(to_u16(&[0.5, 0.25, 0.0]).unwrap(), vec![65535, 32768, 0]);
		assert_eq!(to_u16(&[3.0]).unwrap(), vec![65535]);
		assert!(to_u16(&[0.0, 0.0]).is_err());
		assert!(to_u16(&[-1.0, 2.0]).is_err());
		assert!(to_u16(&[f64::NAN]).is_err());
	}
}
