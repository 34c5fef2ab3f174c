//! `myelin inference …`: a subnet's inference task, its rounds, and a miner's challenge inputs.
//!
//! The chain only stores seeds; `challenge` shows a miner's seed and the round's inputs, expanded
//! by the node (`myelin_challenge`) or, when the node lacks the model, here from the model files,
//! exactly as the nodes' off-chain workers do.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context as _, Result};
use clap::{Args, Subcommand};
use jsonrpsee::rpc_params;
use myelin_inference_engine::{registry::ModelRegistry, Embedder};
use myelin_primitives::inference::{RoundIndex, TaskSpec, PPM};
use myelin_runtime::RuntimeCall;
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;

use super::{hotkey_account, wallet::WalletArg, Context};

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
		/// Directory of models (one subdirectory per model) to expand the inputs with when the
		/// node does not have the model.
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
	/// Share of the organic answers a validator's gateway relays that it re-embeds to check
	/// them (0..=1; 0 turns audits off).
	#[arg(long, default_value_t = 0.05)]
	audit_rate: f64,
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
				audit_rate: ppm("--audit-rate", args.audit_rate)?,
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
					json!({ "netuid": netuid, "model": format!("0x{}", hex::encode(spec.model)) }),
				)
			})
			.await?;
		}
		InferenceCommand::Show { netuid } => {
			let value: Value =
				ctx.chain().await?.call("myelin_inferenceTask", rpc_params![netuid]).await?;
			ctx.print(&value, || describe_task(netuid, &value));
		}
		InferenceCommand::Challenge { netuid, hotkey, wallet, round, model_dir } => {
			let hotkey = hotkey_account(&ctx.wallet(&wallet.wallet), &hotkey)?;
			let chain = ctx.chain().await?;
			let mut value: Value = chain
				.call("myelin_challenge", rpc_params![netuid, hotkey.to_ss58check(), round])
				.await?;
			// The node expands the inputs when it has the model; otherwise expand them here.
			if value["inputs"].is_null() {
				let task: Value = chain.call("myelin_inferenceTask", rpc_params![netuid]).await?;
				let inputs = expand_locally(&task, &value, &model_dir)?;
				value["inputs"] = json!(inputs);
			}
			ctx.print(&value, || {
				let mut text = format!(
					"round {} of subnet {netuid}, hotkey {} (seed {}):",
					value["round"],
					hotkey.to_ss58check(),
					value["seed"].as_str().unwrap_or_default()
				);
				let inputs = value["inputs"].as_array().cloned().unwrap_or_default();
				for (number, input) in (1..).zip(&inputs) {
					text.push_str(&format!(
						"\n{number:>3}. {}",
						input.as_str().unwrap_or_default()
					));
				}
				text
			});
		}
		InferenceCommand::TinyModel { out } => {
			myelin_inference_engine::testing::write_tiny_model(&out)
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

/// The human form of `myelin_inferenceTask`.
fn describe_task(netuid: u16, value: &Value) -> String {
	let task = &value["task"];
	if task.is_null() {
		return format!("subnet {netuid} has no inference task");
	}
	let mut text = format!(
		"subnet {netuid}: model {}, {} inputs of width {} per round, a round every {} blocks \
		 (commit {}, reveal {}), threshold {}, speed weight {}",
		task["model"].as_str().unwrap_or_default(),
		task["inputsPerRound"],
		task["dimensions"],
		task["interval"],
		task["commitWindow"],
		task["revealWindow"],
		task["scoreThreshold"],
		task["speedWeight"],
	);
	let round = &value["round"];
	if !round.is_null() {
		text.push_str(&format!(
			"\nround {} started at block {}: commits until {}, reveals until {}",
			round["index"], round["start"], round["commitUntil"], round["revealUntil"]
		));
	}
	text
}

/// Expands a challenge's inputs with the subnet's model from `model_dir`.
fn expand_locally(task: &Value, challenge: &Value, model_dir: &Path) -> Result<Vec<String>> {
	let hex_bytes = |field: &Value, what: &str| -> Result<[u8; 32]> {
		let text = field.as_str().unwrap_or_default().trim_start_matches("0x");
		let bytes = hex::decode(text).with_context(|| format!("the node sent a bad {what}"))?;
		<[u8; 32]>::try_from(bytes).map_err(|_| anyhow!("the node sent a bad {what}"))
	};
	let model = hex_bytes(&task["task"]["model"], "model id")?;
	let seed = hex_bytes(&challenge["seed"], "seed")?;
	let count = task["task"]["inputsPerRound"].as_u64().unwrap_or_default();
	let embedder = ModelRegistry::new(model_dir).embedder(model).map_err(|_| {
		anyhow!(
			"neither the node nor {} has model 0x{} (see scripts/fetch-model.sh)",
			model_dir.display(),
			hex::encode(model)
		)
	})?;
	Ok(embedder.challenge_inputs(seed, usize::try_from(count).unwrap_or_default()))
}
