//! `myelin subnet …`: subnets, metagraphs, hyperparameters, registration and serving.

use std::net::IpAddr;

use anyhow::{anyhow, Result};
use clap::Subcommand;
use jsonrpsee::rpc_params;
use myelin_primitives::units::format_myl;
use myelin_runtime::{Balance, RuntimeCall, RuntimeEvent};
use pallet_subnets::Hyperparameter;
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;

use super::{
	wallet::{amount, HotkeyArg, WalletArg},
	Context,
};
use crate::output;

/// `myelin subnet` subcommands.
#[derive(Subcommand)]
pub enum SubnetCommand {
	/// Lists every subnet.
	List,
	/// Shows a subnet's metagraph.
	Show {
		/// The subnet.
		#[arg(long)]
		netuid: u16,
	},
	/// Shows a subnet's hyperparameters.
	Hyperparams {
		/// The subnet.
		#[arg(long)]
		netuid: u16,
	},
	/// Registers a new subnet owned by the wallet's coldkey, with its hotkey as first neuron.
	Create {
		#[command(flatten)]
		wallet: WalletArg,
		#[command(flatten)]
		hotkey: HotkeyArg,
	},
	/// Sets one hyperparameter of a subnet the wallet owns.
	SetHyperparam {
		#[command(flatten)]
		wallet: WalletArg,
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		/// Name, e.g. `weights-set-rate-limit` (see `subnet hyperparams`).
		#[arg(long)]
		param: String,
		/// New value: an integer, `true`/`false`, or MYL for the burns.
		#[arg(long)]
		value: String,
	},
	/// Registers the wallet's hotkey on a subnet, burning at most `--max-burn`.
	Register {
		#[command(flatten)]
		wallet: WalletArg,
		#[command(flatten)]
		hotkey: HotkeyArg,
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		/// Highest burn accepted, in MYL (default: the current price).
		#[arg(long)]
		max_burn: Option<String>,
	},
	/// Advertises the hotkey's endpoint (axon) on a subnet.
	Serve {
		#[command(flatten)]
		wallet: WalletArg,
		#[command(flatten)]
		hotkey: HotkeyArg,
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		/// IPv4 or IPv6 address.
		#[arg(long)]
		ip: IpAddr,
		/// Port.
		#[arg(long)]
		port: u16,
		/// Transport protocol as the subnet defines it.
		#[arg(long, default_value_t = 0)]
		protocol: u8,
		/// Version of the neuron's software.
		#[arg(long, default_value_t = 0)]
		axon_version: u32,
	},
}

/// Parses `--param NAME --value VALUE` into a [`Hyperparameter`].
pub fn hyperparameter(name: &str, value: &str) -> Result<Hyperparameter> {
	fn int<T: std::str::FromStr>(name: &str, value: &str) -> Result<T> {
		value.parse().map_err(|_| anyhow!("{name} takes an integer in range, not {value:?}"))
	}
	let key = name.to_ascii_lowercase().replace('_', "-");
	Ok(match key.as_str() {
		"tempo" => Hyperparameter::Tempo(int(name, value)?),
		"kappa" => Hyperparameter::Kappa(int(name, value)?),
		"max-allowed-uids" => Hyperparameter::MaxAllowedUids(int(name, value)?),
		"max-allowed-validators" => Hyperparameter::MaxAllowedValidators(int(name, value)?),
		"immunity-period" => Hyperparameter::ImmunityPeriod(int(name, value)?),
		"min-allowed-weights" => Hyperparameter::MinAllowedWeights(int(name, value)?),
		"max-weights-limit" => Hyperparameter::MaxWeightsLimit(int(name, value)?),
		"weights-set-rate-limit" => Hyperparameter::WeightsSetRateLimit(int(name, value)?),
		"weights-version-key" => Hyperparameter::WeightsVersionKey(int(name, value)?),
		"activity-cutoff" => Hyperparameter::ActivityCutoff(int(name, value)?),
		"bonds-moving-average" => Hyperparameter::BondsMovingAverage(int(name, value)?),
		"commit-reveal-enabled" => Hyperparameter::CommitRevealEnabled(
			value.parse().map_err(|_| anyhow!("{name} takes true or false"))?,
		),
		"reveal-period" => Hyperparameter::RevealPeriod(int(name, value)?),
		"min-burn" => Hyperparameter::MinBurn(amount(value)?),
		"max-burn" => Hyperparameter::MaxBurn(amount(value)?),
		"burn-half-life" => Hyperparameter::BurnHalfLife(int(name, value)?),
		"burn-increase-mult" => Hyperparameter::BurnIncreaseMult(int(name, value)?),
		"serving-rate-limit" => Hyperparameter::ServingRateLimit(int(name, value)?),
		_ => return Err(anyhow!("unknown hyperparameter {name:?}")),
	})
}

/// Runs a `myelin subnet` command.
pub async fn run(ctx: &Context, command: SubnetCommand) -> Result<()> {
	match command {
		SubnetCommand::List => {
			let list: Value = ctx.chain().await?.call("myelin_subnets", rpc_params![]).await?;
			ctx.print(&list, || {
				let mut table = output::table(&[
					"netuid",
					"owner",
					"n",
					"max",
					"tempo",
					"burn",
					"stake",
					"pending",
					"last epoch",
				]);
				for s in list["subnets"].as_array().into_iter().flatten() {
					table.add_row(vec![
						output::cell(&s["netuid"]),
						output::short(&s["owner"]),
						output::cell(&s["n"]),
						output::cell(&s["maxAllowedUids"]),
						output::cell(&s["tempo"]),
						output::myl(&s["burn"]),
						output::myl(&s["stake"]),
						output::myl(&s["pendingEmission"]),
						output::cell(&s["lastEpoch"]),
					]);
				}
				format!(
					"{table}\nsubnet lock cost now: {}; limit {} subnets",
					output::myl(&list["networkLockCost"]),
					output::cell(&list["subnetLimit"])
				)
			});
		}
		SubnetCommand::Show { netuid } => {
			let graph: Value =
				ctx.chain().await?.call("myelin_metagraph", rpc_params![netuid]).await?;
			ctx.print(&graph, || metagraph_table(&graph));
		}
		SubnetCommand::Hyperparams { netuid } => {
			let params: Value =
				ctx.chain().await?.call("myelin_subnetHyperparams", rpc_params![netuid]).await?;
			ctx.print(&params, || {
				let mut table = output::table(&["hyperparameter", "value"]);
				for (key, value) in params.as_object().into_iter().flatten() {
					table.add_row(vec![key.clone(), output::cell(value)]);
				}
				table.to_string()
			});
		}
		SubnetCommand::Create { wallet, hotkey } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let hotkey_id = wallet.hotkey_address(&hotkey.hotkey)?;
			let signer = wallet.coldkey()?;
			let chain = ctx.chain().await?;
			ensure_consent(ctx, &chain, &wallet, &signer, &hotkey.hotkey, &hotkey_id).await?;
			let call = pallet_subnets::Call::register_network { hotkey: hotkey_id };
			ctx.transact(&chain, &signer, RuntimeCall::Subnets(call), "create subnet", |r| {
				let netuid = r.find(|e| match e {
					RuntimeEvent::Subnets(pallet_subnets::Event::NetworkRegistered {
						netuid,
						..
					}) => Some(*netuid),
					_ => None,
				});
				(
					format!("created subnet {}", netuid.unwrap_or_default()),
					json!({ "netuid": netuid }),
				)
			})
			.await?;
		}
		SubnetCommand::SetHyperparam { wallet, netuid, param, value } => {
			let param = hyperparameter(&param, &value)?;
			let signer = ctx.wallet(&wallet.wallet).coldkey()?;
			let chain = ctx.chain().await?;
			let shown = format!("{param:?}");
			let call = pallet_subnets::Call::set_hyperparameter { netuid, param };
			ctx.transact(&chain, &signer, RuntimeCall::Subnets(call), "set hyperparameter", |_| {
				(format!("set {shown} on subnet {netuid}"), json!({ "netuid": netuid }))
			})
			.await?;
		}
		SubnetCommand::Register { wallet, hotkey, netuid, max_burn } => {
			let wallet = ctx.wallet(&wallet.wallet);
			let hotkey_id = wallet.hotkey_address(&hotkey.hotkey)?;
			let signer = wallet.coldkey()?;
			let chain = ctx.chain().await?;
			let max_burn: Balance = match max_burn {
				Some(text) => amount(&text)?,
				None => {
					let cost: Value =
						chain.call("myelin_registrationCost", rpc_params![netuid]).await?;
					cost["cost"]
						.as_str()
						.and_then(myelin_primitives::units::parse_myl)
						.ok_or_else(|| anyhow!("the node did not report the registration cost"))?
				}
			};
			ensure_consent(ctx, &chain, &wallet, &signer, &hotkey.hotkey, &hotkey_id).await?;
			let call = pallet_subnets::Call::burned_register {
				netuid,
				hotkey: hotkey_id.clone(),
				max_burn,
			};
			ctx.transact(&chain, &signer, RuntimeCall::Subnets(call), "register", |r| {
				let registered = r.find(|e| match e {
					RuntimeEvent::Subnets(pallet_subnets::Event::NeuronRegistered {
						uid,
						burned,
						..
					}) => Some((*uid, *burned)),
					_ => None,
				});
				let (uid, burned) = registered.unwrap_or_default();
				(
					format!(
						"registered {} as UID {uid} on subnet {netuid}, burning {} MYL",
						hotkey_id.to_ss58check(),
						format_myl(burned)
					),
					json!({ "netuid": netuid, "uid": uid, "burned": format_myl(burned) }),
				)
			})
			.await?;
		}
		SubnetCommand::Serve { wallet, hotkey, netuid, ip, port, protocol, axon_version } => {
			let signer = ctx.wallet(&wallet.wallet).hotkey(&hotkey.hotkey)?;
			let (ip, ip_type) = match ip {
				IpAddr::V4(v4) => (u128::from(u32::from(v4)), 4),
				IpAddr::V6(v6) => (u128::from(v6), 6),
			};
			let chain = ctx.chain().await?;
			let call = pallet_subnets::Call::serve_axon {
				netuid,
				version: axon_version,
				ip,
				port,
				ip_type,
				protocol,
			};
			ctx.transact(&chain, &signer, RuntimeCall::Subnets(call), "serve axon", |_| {
				(format!("axon advertised on subnet {netuid}"), json!({ "netuid": netuid }))
			})
			.await?;
		}
	}
	Ok(())
}

fn metagraph_table(graph: &Value) -> String {
	let mut table = output::table(&[
		"uid",
		"hotkey",
		"coldkey",
		"stake",
		"incentive",
		"dividends",
		"consensus",
		"trust",
		"emission",
		"permit",
		"active",
		"updated",
	]);
	let column = |name: &str, i: usize| graph[name].get(i).cloned().unwrap_or(Value::Null);
	for (i, uid) in graph["uids"].as_array().into_iter().flatten().enumerate() {
		table.add_row(vec![
			output::cell(uid),
			output::short(&column("hotkeys", i)),
			output::short(&column("coldkeys", i)),
			output::myl(&column("stake", i)),
			output::cell(&column("incentive", i)),
			output::cell(&column("dividends", i)),
			output::cell(&column("consensus", i)),
			output::cell(&column("validatorTrust", i)),
			output::myl(&column("emission", i)),
			output::cell(&column("validatorPermit", i)),
			output::cell(&column("active", i)),
			output::cell(&column("lastUpdate", i)),
		]);
	}
	format!(
		"subnet {} at block {}: {} neurons, tempo {}, last epoch {}, pending emission {}\n{table}",
		output::cell(&graph["netuid"]),
		output::cell(&graph["block"]),
		output::cell(&graph["n"]),
		output::cell(&graph["tempo"]),
		output::cell(&graph["lastEpoch"]),
		output::myl(&graph["pendingEmission"]),
	)
}

/// A hotkey belongs to a coldkey only with its consent: before a hotkey that no coldkey owns
/// is first used, it signs its consent to the wallet's coldkey (`associate_hotkey`).
async fn ensure_consent(
	ctx: &Context,
	chain: &crate::chain::Chain,
	wallet: &crate::wallet::Wallet,
	coldkey: &sp_core::sr25519::Pair,
	hotkey_name: &str,
	hotkey: &myelin_runtime::AccountId,
) -> Result<()> {
	use sp_core::Pair;
	let coldkey_id: myelin_runtime::AccountId = coldkey.public().into();
	if &coldkey_id == hotkey {
		return Ok(());
	}
	let info: Value = chain.call("myelin_stakeInfo", rpc_params![hotkey.to_ss58check()]).await?;
	if !info["hotkey"]["owner"].is_null() {
		// Owned already: by this coldkey, or the registration fails with the owner's error.
		return Ok(());
	}
	let payload = pallet_subnets::hotkey_consent_payload(&chain.genesis(), &coldkey_id);
	let signature = wallet.hotkey(hotkey_name)?.sign(&payload);
	let call = pallet_subnets::Call::associate_hotkey {
		hotkey: hotkey.clone(),
		signature: signature.into(),
	};
	ctx.submit(chain, coldkey, RuntimeCall::Subnets(call), "associate hotkey").await?;
	Ok(())
}
