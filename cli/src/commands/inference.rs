//! `myelin inference …`: a subnet's inference task, its rounds, and a miner's challenge inputs.
//!
//! The chain only stores seeds; `challenge` expands a miner's seed into the round's inputs with
//! the model files, exactly as the nodes' off-chain workers do.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use myelin_inference::{registry::ModelRegistry, Embedder};
use myelin_primitives::inference::{RoundIndex, RoundInfo, TaskSpec, PPM};
use myelin_runtime::RuntimeCall;
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;

use super::{hotkey_account, wallet::WalletArg, Context};
use crate::chain::{storage_key, twox_64_concat, Chain};

/// `myelin inference` subcommands.
#[derive(Subcommand)]
pub enum InferenceCommand {
	/// Sets a subnet's inference task (signed by the subnet owner's coldkey).
	SetTask(SetTaskArgs),
	/// Shows a subnet's task and current round.
	Show {
		/// The subnet.
		#[arg(long)]
		netuid: u16,
	},
	/// Shows a miner's challenge inputs in a round, expanded with the model files.
	Challenge {
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		/// The miner's hotkey: an SS58 address, a dev URI, or a hotkey of `--wallet`.
		#[arg(long)]
		hotkey: String,
		#[command(flatten)]
		wallet: WalletArg,
		/// The round (default: the current one).
		#[arg(long)]
		round: Option<RoundIndex>,
		/// Directory of models (one subdirectory per model), as given to the node.
		#[arg(long, default_value_os_t = default_model_dir())]
		model_dir: PathBuf,
	},
	/// Writes the deterministic tiny test model (same architecture, 32-wide) into a directory
	/// and prints its id, for local demos and CI without downloading the real model.
	TinyModel {
		/// Directory to write `model.safetensors`, `config.json` and `tokenizer.json` into.
		#[arg(long)]
		out: PathBuf,
	},
}

/// The task of `set-task`.
#[derive(Args)]
pub struct SetTaskArgs {
	#[command(flatten)]
	wallet: WalletArg,
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// The model's directory: its id (sha256 of `model.safetensors`) and output width are read
	/// from it.
	#[arg(long)]
	model: PathBuf,
	/// Challenge inputs per miner and round.
	#[arg(long, default_value_t = 8)]
	inputs: u8,
	/// Blocks between rounds.
	#[arg(long, default_value_t = 10)]
	interval: u32,
	/// Blocks to commit in, from the round's start.
	#[arg(long, default_value_t = 4)]
	commit_window: u32,
	/// Blocks to reveal in, after the commit window.
	#[arg(long, default_value_t = 3)]
	reveal_window: u32,
	/// Mean cosine similarity an answer needs to pass (0..=1).
	#[arg(long, default_value_t = 0.95)]
	threshold: f64,
	/// Share of the score a commit at the end of the window loses (0..=1).
	#[arg(long, default_value_t = 0.2)]
	speed_weight: f64,
}

/// `~/.myelin/models`, the node's default.
fn default_model_dir() -> PathBuf {
	dirs::home_dir().unwrap_or_default().join(".myelin").join("models")
}

/// A proportion in 0..=1 as ppm.
fn ppm(name: &str, value: f64) -> Result<u32> {
	if !(0.0..=1.0).contains(&value) {
		bail!("{name} must be between 0 and 1, got {value}");
	}
	// In [0, 1e6] after the check, so the conversion is exact up to rounding.
	Ok((value * f64::from(PPM)).round() as u32)
}

fn spec_json(spec: &TaskSpec) -> Value {
	json!({
		"model": format!("0x{}", hex::encode(spec.model)),
		"dimensions": spec.dimensions,
		"inputs_per_round": spec.inputs_per_round,
		"interval": spec.interval,
		"commit_window": spec.commit_window,
		"reveal_window": spec.reveal_window,
		"score_threshold": f64::from(spec.score_threshold) / f64::from(PPM),
		"speed_weight": f64::from(spec.speed_weight) / f64::from(PPM),
	})
}

fn round_json(round: &RoundInfo, spec: Option<&TaskSpec>) -> Value {
	let mut value = json!({
		"round": round.index,
		"start": round.start,
		"seed": format!("0x{}", hex::encode(round.seed)),
	});
	if let (Some(spec), Some(fields)) = (spec, value.as_object_mut()) {
		fields.insert("commit_until".into(), json!(spec.commit_end(round.start)));
		fields.insert("reveal_until".into(), json!(spec.reveal_end(round.start)));
	}
	value
}

async fn task_spec(chain: &Chain, netuid: u16) -> Result<Option<TaskSpec>> {
	chain.storage(&storage_key("Inference", "TaskSpecs", &[twox_64_concat(&netuid)])).await
}

async fn round_info(
	chain: &Chain,
	netuid: u16,
	round: Option<RoundIndex>,
) -> Result<Option<RoundInfo>> {
	match round {
		None => {
			let key = storage_key("Inference", "CurrentRound", &[twox_64_concat(&netuid)]);
			chain.storage(&key).await
		}
		Some(round) => {
			let key = storage_key(
				"Inference",
				"Rounds",
				&[twox_64_concat(&netuid), twox_64_concat(&round)],
			);
			chain.storage(&key).await
		}
	}
}

fn load_model(dir: &Path) -> Result<Embedder> {
	Embedder::load(dir).map_err(|e| anyhow!("cannot load the model in {}: {e}", dir.display()))
}

/// Runs a `myelin inference` command.
pub async fn run(ctx: &Context, command: InferenceCommand) -> Result<()> {
	match command {
		InferenceCommand::SetTask(args) => {
			let model = load_model(&args.model)?;
			let spec = TaskSpec {
				model: model.id(),
				dimensions: u16::try_from(model.dimensions())
					.context("the model's output is too wide")?,
				inputs_per_round: args.inputs,
				interval: args.interval,
				commit_window: args.commit_window,
				reveal_window: args.reveal_window,
				score_threshold: ppm("--threshold", args.threshold)?,
				speed_weight: ppm("--speed-weight", args.speed_weight)?,
			};
			let signer = ctx.wallet(&args.wallet.wallet).coldkey()?;
			let chain = ctx.chain().await?;
			let netuid = args.netuid;
			let call = pallet_inference::Call::set_task_spec { netuid, spec };
			ctx.transact(&chain, &signer, RuntimeCall::Inference(call), "set task", |_| {
				(
					format!(
						"set the task of subnet {netuid} (model 0x{})",
						hex::encode(spec.model)
					),
					json!({ "netuid": netuid, "task": spec_json(&spec) }),
				)
			})
			.await?;
		}
		InferenceCommand::Show { netuid } => {
			let chain = ctx.chain().await?;
			let spec = task_spec(&chain, netuid).await?;
			let round = round_info(&chain, netuid, None).await?;
			let value = json!({
				"netuid": netuid,
				"task": spec.as_ref().map(spec_json),
				"round": round.as_ref().map(|r| round_json(r, spec.as_ref())),
			});
			ctx.print(&value, || match (&spec, &round) {
				(None, _) => format!("subnet {netuid} has no inference task"),
				(Some(spec), round) => {
					let mut text = format!(
						"subnet {netuid}: model 0x{}, {} inputs of width {} per round, a round \
						 every {} blocks (commit {}, reveal {}), threshold {}, speed weight {}",
						hex::encode(spec.model),
						spec.inputs_per_round,
						spec.dimensions,
						spec.interval,
						spec.commit_window,
						spec.reveal_window,
						f64::from(spec.score_threshold) / f64::from(PPM),
						f64::from(spec.speed_weight) / f64::from(PPM),
					);
					if let Some(round) = round {
						text.push_str(&format!(
							"\nround {} started at block {}: commits until {}, reveals until {}",
							round.index,
							round.start,
							spec.commit_end(round.start),
							spec.reveal_end(round.start),
						));
					}
					text
				}
			});
		}
		InferenceCommand::Challenge { netuid, hotkey, wallet, round, model_dir } => {
			let hotkey = hotkey_account(&ctx.wallet(&wallet.wallet), &hotkey)?;
			let chain = ctx.chain().await?;
			let spec = task_spec(&chain, netuid)
				.await?
				.ok_or_else(|| anyhow!("subnet {netuid} has no inference task"))?;
			let info = round_info(&chain, netuid, round).await?.ok_or_else(|| match round {
				Some(round) => anyhow!("round {round} of subnet {netuid} is unknown or pruned"),
				None => anyhow!("subnet {netuid} has not started a round yet"),
			})?;
			let seed = pallet_inference::challenge_seed(&info.seed, &hotkey);
			let registry = ModelRegistry::new(&model_dir);
			let embedder = registry.embedder(spec.model).map_err(|_| {
				anyhow!(
					"model 0x{} is not in {} (see scripts/fetch-model.sh)",
					hex::encode(spec.model),
					model_dir.display()
				)
			})?;
			let inputs = embedder.challenge_inputs(seed, usize::from(spec.inputs_per_round));
			let value = json!({
				"netuid": netuid,
				"round": info.index,
				"hotkey": hotkey.to_ss58check(),
				"seed": format!("0x{}", hex::encode(seed)),
				"inputs": inputs,
			});
			ctx.print(&value, || {
				let mut text = format!(
					"round {} of subnet {netuid}, hotkey {} (seed 0x{}):",
					info.index,
					hotkey.to_ss58check(),
					hex::encode(seed)
				);
				for (number, input) in (1..).zip(&inputs) {
					text.push_str(&format!("\n{number:>3}. {input}"));
				}
				text
			});
		}
		InferenceCommand::TinyModel { out } => {
			myelin_inference::testing::write_tiny_model(&out)
				.map_err(|e| anyhow!("cannot write the tiny model: {e}"))?;
			let id = load_model(&out)?.id();
			let value = json!({ "model": format!("0x{}", hex::encode(id)), "dir": out });
			ctx.print(&value, || {
				format!("wrote the tiny model 0x{} to {}", hex::encode(id), out.display())
			});
		}
	}
	Ok(())
}
