//! `myelin stake …`: staking on hotkeys and the delegate take.

use anyhow::{bail, Result};
use clap::Subcommand;
use jsonrpsee::rpc_params;
use myelin_primitives::units::format_myl;
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

/// `myelin stake` subcommands.
#[derive(Subcommand)]
pub enum StakeCommand {
	/// Stakes MYL from the wallet's coldkey on a hotkey.
	Add {
		#[command(flatten)]
		wallet: WalletArg,
		/// Hotkey: a name in the wallet, an SS58 address or a dev URI.
		#[arg(long, short = 'k', default_value = "default")]
		hotkey: String,
		/// Amount in MYL.
		#[arg(long)]
		amount: String,
	},
	/// Unstakes MYL from a hotkey back to the wallet's coldkey.
	Remove {
		#[command(flatten)]
		wallet: WalletArg,
		/// Hotkey: a name in the wallet, an SS58 address or a dev URI.
		#[arg(long, short = 'k', default_value = "default")]
		hotkey: String,
		/// Amount in MYL.
		#[arg(long)]
		amount: String,
	},
	/// Lists a coldkey's stake positions and, for a hotkey, its stakers.
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
		StakeCommand::Add { wallet, hotkey, amount } => {
			move_stake(ctx, wallet, hotkey, amount, true).await
		}
		StakeCommand::Remove { wallet, hotkey, amount } => {
			move_stake(ctx, wallet, hotkey, amount, false).await
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

async fn move_stake(
	ctx: &Context,
	wallet: WalletArg,
	hotkey: String,
	text: String,
	add: bool,
) -> Result<()> {
	let value = amount(&text)?;
	let wallet = ctx.wallet(&wallet.wallet);
	let hotkey = hotkey_account(&wallet, &hotkey)?;
	let signer = wallet.coldkey()?;
	let chain = ctx.chain().await?;
	let (call, verb) = if add {
		(pallet_stake::Call::add_stake { hotkey: hotkey.clone(), amount: value }, "staked")
	} else {
		(pallet_stake::Call::remove_stake { hotkey: hotkey.clone(), amount: value }, "unstaked")
	};
	let what = if add { "add stake" } else { "remove stake" };
	ctx.transact(&chain, &signer, RuntimeCall::Stake(call), what, |_| {
		(
			format!("{verb} {} MYL on {}", format_myl(value), hotkey.to_ss58check()),
			json!({ "hotkey": hotkey.to_ss58check(), "amount": format_myl(value) }),
		)
	})
	.await?;
	Ok(())
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
		let mut positions = output::table(&["hotkey", "amount"]);
		for p in info["coldkey"]["positions"].as_array().into_iter().flatten() {
			positions.add_row(vec![output::cell(&p["hotkey"]), output::myl(&p["amount"])]);
		}
		text.push_str(&positions.to_string());
		if let Some(stakers) = info["hotkey"]["stakers"].as_array().filter(|s| !s.is_empty()) {
			text.push_str(&format!(
				"\n\nas a hotkey: {} total, take {}\n",
				output::myl(&info["hotkey"]["total"]),
				output::cell(&info["hotkey"]["take"])
			));
			let mut table = output::table(&["coldkey", "amount"]);
			for s in stakers {
				table.add_row(vec![output::cell(&s["coldkey"]), output::myl(&s["amount"])]);
			}
			text.push_str(&table.to_string());
		}
		text
	});
	Ok(())
}
