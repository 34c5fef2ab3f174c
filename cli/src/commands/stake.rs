//! `myelin stake …`: staking on hotkeys and the delegate take.

use anyhow::{bail, Result};
use clap::Subcommand;
use jsonrpsee::rpc_params;
use myelin_primitives::{units::format_myl, NetUid};
use myelin_runtime::{RuntimeCall, RuntimeEvent};
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;
use sp_runtime::Perbill;

use super::{
	hotkey_account,
	wallet::{amount, WalletArg},
	Context,
};
use crate::{output, wallet::parse_account};

/// `myelin stake` subcommands. Stake is per (hotkey, subnet): it counts and earns on one subnet.
#[derive(Subcommand)]
pub enum StakeCommand {
	/// Stakes MYL from the wallet's coldkey on a hotkey on a subnet.
	Add {
		#[command(flatten)]
		wallet: WalletArg,
		/// Hotkey: a name in the wallet, an SS58 address or a dev URI.
		#[arg(long, short = 'k', default_value = "default")]
		hotkey: String,
		/// The subnet the stake counts on (the hotkey must hold a UID there).
		#[arg(long)]
		netuid: NetUid,
		/// Amount in MYL.
		#[arg(long)]
		amount: String,
	},
	/// Unstakes from a hotkey on a subnet: the held principal comes back first, rewards beyond
	/// it are minted.
	Remove {
		#[command(flatten)]
		wallet: WalletArg,
		/// Hotkey: a name in the wallet, an SS58 address or a dev URI.
		#[arg(long, short = 'k', default_value = "default")]
		hotkey: String,
		/// The subnet.
		#[arg(long)]
		netuid: NetUid,
		/// Amount in MYL, or `all`.
		#[arg(long)]
		amount: String,
	},
	/// Moves stake to another hotkey and/or subnet in one transaction.
	Move {
		#[command(flatten)]
		wallet: WalletArg,
		/// The hotkey the stake is on.
		#[arg(long, short = 'k', default_value = "default")]
		hotkey: String,
		/// The subnet the stake is on.
		#[arg(long)]
		netuid: NetUid,
		/// The hotkey to move to (default: the same).
		#[arg(long)]
		to_hotkey: Option<String>,
		/// The subnet to move to (default: the same).
		#[arg(long)]
		to_netuid: Option<NetUid>,
		/// Amount in MYL, or `all`.
		#[arg(long)]
		amount: String,
	},
	/// Gives stake to another coldkey, in the same pool.
	Transfer {
		#[command(flatten)]
		wallet: WalletArg,
		/// The hotkey the stake is on.
		#[arg(long, short = 'k', default_value = "default")]
		hotkey: String,
		/// The subnet the stake is on.
		#[arg(long)]
		netuid: NetUid,
		/// The receiving coldkey (SS58 address or dev URI).
		#[arg(long)]
		to: String,
		/// Amount in MYL, or `all`.
		#[arg(long)]
		amount: String,
	},
	/// Lists a coldkey's stake positions per subnet and, for a hotkey, its stakers.
	List {
		#[command(flatten)]
		wallet: WalletArg,
		/// An address to show instead of the wallet's coldkey.
		#[arg(long)]
		address: Option<String>,
	},
	/// Sets the take a hotkey's owner keeps from nominators' rewards.
	SetTake {
		#[command(flatten)]
		wallet: WalletArg,
		/// Hotkey: a name in the wallet, an SS58 address or a dev URI.
		#[arg(long, short = 'k', default_value = "default")]
		hotkey: String,
		/// The take as a fraction, e.g. `0.18`.
		#[arg(long)]
		take: f64,
	},
}

/// A fraction in [0, 1] as a [`Perbill`].
pub fn fraction(value: f64) -> Result<Perbill> {
	if !(0.0..=1.0).contains(&value) {
		bail!("a take is a fraction between 0 and 1, not {value}");
	}
	let parts = (value * 1e9).round();
	// In [0, 1e9] after the check above, so the conversion is exact.
	Ok(Perbill::from_parts(parts as u32))
}

/// Runs a `myelin stake` command.
pub async fn run(ctx: &Context, command: StakeCommand) -> Result<()> {
	match command {
		StakeCommand::Add { wallet, hotkey, netuid, amount: text } => {
			let value = amount(&text)?;
			let wallet = ctx.wallet(&wallet.wallet);
			let hotkey = hotkey_account(&wallet, &hotkey)?;
			let call =
				pallet_stake::Call::add_stake { hotkey: hotkey.clone(), netuid, amount: value };
			let (done, json) = pool_summary("staked", "on", &hotkey, netuid, value);
			submit(ctx, &wallet, call, "add stake", done, json).await
		}
		StakeCommand::Remove { wallet, hotkey, netuid, amount: text } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let hotkey = hotkey_account(&wallet, &hotkey)?;
			let value = stake_amount(ctx, &wallet, &hotkey, netuid, &text).await?;
			let call =
				pallet_stake::Call::remove_stake { hotkey: hotkey.clone(), netuid, amount: value };
			let (done, json) = pool_summary("unstaked", "from", &hotkey, netuid, value);
			submit(ctx, &wallet, call, "remove stake", done, json).await
		}
		StakeCommand::Move { wallet, hotkey, netuid, to_hotkey, to_netuid, amount: text } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let hotkey = hotkey_account(&wallet, &hotkey)?;
			let to_hotkey = match to_hotkey {
				Some(to) => hotkey_account(&wallet, &to)?,
				None => hotkey.clone(),
			};
			let to_netuid = to_netuid.unwrap_or(netuid);
			let value = stake_amount(ctx, &wallet, &hotkey, netuid, &text).await?;
			let call = pallet_stake::Call::move_stake {
				hotkey: hotkey.clone(),
				netuid,
				to_hotkey: to_hotkey.clone(),
				to_netuid,
				amount: value,
			};
			let done = format!(
				"moved {} MYL from {} on subnet {netuid} to {} on subnet {to_netuid}",
				format_myl(value),
				hotkey.to_ss58check(),
				to_hotkey.to_ss58check()
			);
			let json = json!({
				"from": { "hotkey": hotkey.to_ss58check(), "netuid": netuid },
				"to": { "hotkey": to_hotkey.to_ss58check(), "netuid": to_netuid },
				"amount": format_myl(value),
			});
			submit(ctx, &wallet, call, "move stake", done, json).await
		}
		StakeCommand::Transfer { wallet, hotkey, netuid, to, amount: text } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let hotkey = hotkey_account(&wallet, &hotkey)?;
			let to = parse_account(&to)?;
			let value = stake_amount(ctx, &wallet, &hotkey, netuid, &text).await?;
			let call = pallet_stake::Call::transfer_stake {
				to: to.clone(),
				hotkey: hotkey.clone(),
				netuid,
				amount: value,
			};
			let done = format!(
				"gave {} MYL of stake on {} on subnet {netuid} to {}",
				format_myl(value),
				hotkey.to_ss58check(),
				to.to_ss58check()
			);
			let json = json!({
				"hotkey": hotkey.to_ss58check(),
				"netuid": netuid,
				"to": to.to_ss58check(),
				"amount": format_myl(value),
			});
			submit(ctx, &wallet, call, "transfer stake", done, json).await
		}
		StakeCommand::List { wallet, address } => list(ctx, wallet, address).await,
		StakeCommand::SetTake { wallet, hotkey, take } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let hotkey = hotkey_account(&wallet, &hotkey)?;
			let take = fraction(take)?;
			let signer = wallet.coldkey()?;
			let chain = ctx.chain().await?;
			let info: Value =
				chain.call("myelin_stakeInfo", rpc_params![hotkey.to_ss58check()]).await?;
			let current = info["hotkey"]["take"].as_f64().unwrap_or_default();
			let current = fraction(current)?;
			let call = if take < current {
				pallet_stake::Call::decrease_take { hotkey: hotkey.clone(), take }
			} else if take > current {
				pallet_stake::Call::increase_take { hotkey: hotkey.clone(), take }
			} else {
				bail!("the take is {current:?} already");
			};
			ctx.transact(&chain, &signer, RuntimeCall::Stake(call), "set take", |receipt| {
				// An increase is announced and applies later; a decrease applies at once.
				let announced = receipt.events.iter().find_map(|event| match event {
					RuntimeEvent::Stake(pallet_stake::Event::TakeIncreaseAnnounced {
						effective_at,
						..
					}) => Some(*effective_at),
					_ => None,
				});
				let address = hotkey.to_ss58check();
				match announced {
					Some(block) => (
						format!("take of {address} rises to {take:?} at block #{block}"),
						json!({ "hotkey": address, "effectiveAt": block }),
					),
					None => {
						(format!("take of {address} set to {take:?}"), json!({ "hotkey": address }))
					}
				}
			})
			.await?;
			Ok(())
		}
	}
}

/// What `add` and `remove` report: text and JSON for `value` MYL on (`hotkey`, `netuid`).
fn pool_summary(
	verb: &str,
	preposition: &str,
	hotkey: &myelin_runtime::AccountId,
	netuid: NetUid,
	value: u128,
) -> (String, Value) {
	let address = hotkey.to_ss58check();
	(
		format!("{verb} {} MYL {preposition} {address} on subnet {netuid}", format_myl(value)),
		json!({ "hotkey": address, "netuid": netuid, "amount": format_myl(value) }),
	)
}

/// Signs `call` with the wallet's coldkey and reports `done` once it is in a block.
async fn submit(
	ctx: &Context,
	wallet: &crate::wallet::Wallet,
	call: pallet_stake::Call<myelin_runtime::Runtime>,
	what: &str,
	done: String,
	json: Value,
) -> Result<()> {
	let signer = wallet.coldkey()?;
	let chain = ctx.chain().await?;
	ctx.transact(&chain, &signer, RuntimeCall::Stake(call), what, |_| (done, json)).await?;
	Ok(())
}

/// `text` in MYL, or, for `all`, what the wallet's position on (`hotkey`, `netuid`) is worth.
async fn stake_amount(
	ctx: &Context,
	wallet: &crate::wallet::Wallet,
	hotkey: &myelin_runtime::AccountId,
	netuid: NetUid,
	text: &str,
) -> Result<u128> {
	if text != "all" {
		return amount(text);
	}
	let coldkey = wallet.coldkey_address()?;
	let info: Value =
		ctx.chain().await?.call("myelin_stakeInfo", rpc_params![coldkey.to_ss58check()]).await?;
	let address = hotkey.to_ss58check();
	let position = info["coldkey"]["positions"].as_array().into_iter().flatten().find(|p| {
		p["hotkey"].as_str() == Some(address.as_str())
			&& p["netuid"].as_u64() == Some(netuid.into())
	});
	match position.and_then(|p| p["amount"].as_str()) {
		Some(worth) => amount(worth),
		None => bail!("{} has no stake on {address} on subnet {netuid}", coldkey.to_ss58check()),
	}
}

async fn list(ctx: &Context, wallet: WalletArg, address: Option<String>) -> Result<()> {
	let who = match address {
		Some(address) => parse_account(&address)?,
		None => ctx.wallet(&wallet.wallet).coldkey_address()?,
	};
	let info: Value =
		ctx.chain().await?.call("myelin_stakeInfo", rpc_params![who.to_ss58check()]).await?;
	ctx.print(&info, || {
		let mut text = format!(
			"stake of {} ({} staked)\n",
			who.to_ss58check(),
			output::myl(&info["coldkey"]["total"])
		);
		let mut positions = output::table(&["hotkey", "netuid", "amount", "held"]);
		for p in info["coldkey"]["positions"].as_array().into_iter().flatten() {
			positions.add_row(vec![
				output::cell(&p["hotkey"]),
				output::cell(&p["netuid"]),
				output::myl(&p["amount"]),
				output::myl(&p["principal"]),
			]);
		}
		text.push_str(&positions.to_string());
		if let Some(stakers) = info["hotkey"]["stakers"].as_array().filter(|s| !s.is_empty()) {
			text.push_str(&format!(
				"\n\nas a hotkey: {} total, take {}\n",
				output::myl(&info["hotkey"]["total"]),
				output::cell(&info["hotkey"]["take"])
			));
			let mut table = output::table(&["coldkey", "netuid", "amount"]);
			for s in stakers {
				table.add_row(vec![
					output::cell(&s["coldkey"]),
					output::cell(&s["netuid"]),
					output::myl(&s["amount"]),
				]);
			}
			text.push_str(&table.to_string());
		}
		text
	});
	Ok(())
}
