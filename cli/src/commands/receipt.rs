//! `myelin receipt verify <file>`: checks an answer of the embeddings API without trusting the
//! miner or the gateway.
//!
//! The file is a JSON object with the request's `input` (a string or a list of strings) and the
//! API's `response` body. The command checks, in order:
//! 1. the receipt's signature is its miner hotkey's;
//! 2. it covers these inputs and these vectors (quantized to `i8`);
//! 3. the model it names, which must be held locally (`--model-dir`, found by sha256), re-embeds
//!    the inputs to vectors each within cosine τ of the answer: τ is the threshold of the receipt's
//!    subnet task read from the node (`--threshold` instead, offline). The task must name the
//!    same model, and the signer must be registered on the subnet (both read from the node;
//!    neither is checked offline).
//!
//! Any failure exits non-zero and says which check failed.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Subcommand;
use jsonrpsee::rpc_params;
use myelin_inference_engine::{api, registry::ModelRegistry};
use myelin_primitives::inference::PPM;
use serde_json::{json, Value};

use super::Context;

/// `myelin receipt` subcommands.
#[derive(Subcommand)]
pub enum ReceiptCommand {
	/// Verifies a saved answer: `{"input": ..., "response": <the API's response>}`.
	Verify {
		/// The saved answer.
		file: PathBuf,
		/// Models directory (one subdirectory per model).
		#[arg(long)]
		model_dir: Option<PathBuf>,
		/// The cosine an answer needs (0..=1), instead of reading the subnet's task from the node.
		#[arg(long)]
		threshold: Option<f64>,
	},
}

/// Runs a `myelin receipt` command.
pub async fn run(ctx: &Context, command: ReceiptCommand) -> Result<()> {
	match command {
		ReceiptCommand::Verify { file, model_dir, threshold } => {
			let text = std::fs::read_to_string(&file)
				.with_context(|| format!("cannot read {}", file.display()))?;
			let saved: Value = serde_json::from_str(&text).context("the file is not JSON")?;
			let inputs = inputs_of(&saved["input"])?;
			let response = &saved["response"];
			let vectors = api::decode_vectors(response)
				.ok_or_else(|| anyhow!("the response has no vectors"))?;
			let signed =
				api::receipt_of(response).ok_or_else(|| anyhow!("the response has no receipt"))?;
			let receipt = &signed.receipt;

			// 1 and 2.
			if !signed.signature_valid() {
				bail!("forged receipt: the signature is not {}'s", receipt.miner);
			}
			if vectors.len() != inputs.len() {
				bail!("the response has {} vectors for {} inputs", vectors.len(), inputs.len());
			}
			if vectors.iter().flatten().any(|x| !x.is_finite()) {
				bail!("the response holds a value that is not a finite number");
			}
			let quantized: Vec<Vec<i8>> =
				vectors.iter().map(|v| myelin_inference_engine::quantize(v)).collect();
			signed
				.check(&receipt.model, &inputs, &quantized)
				.map_err(|e| anyhow!("the receipt does not cover this answer: {e:?}"))?;

			// 3.
			let threshold = match threshold {
				Some(t) if (0.0..=1.0).contains(&t) => (t * f64::from(PPM)).round() as u32,
				Some(t) => bail!("--threshold must be between 0 and 1, got {t}"),
				None => {
					let miner = receipt.miner.to_string();
					task_threshold(ctx, receipt.netuid, &receipt.model, &miner).await?
				}
			};
			let dir = model_dir.unwrap_or_else(|| {
				dirs::home_dir().unwrap_or_default().join(".myelin").join("models")
			});
			let registry = ModelRegistry::new(&dir);
			let (references, _) = registry.embed_floats(receipt.model, &inputs).map_err(|e| {
				anyhow!(
					"model {} is not held in {} ({e:?}): cannot re-embed",
					hex::encode(receipt.model),
					dir.display()
				)
			})?;
			let references: Vec<Vec<i8>> =
				references.iter().map(|v| myelin_inference_engine::quantize(v)).collect();
			// The worst input counts: a few wrong vectors in a batch are not averaged away.
			let cosine = quantized
				.iter()
				.zip(&references)
				.map(|(q, r)| pallet_inference::offchain::scoring::cosine_ppm(q, r))
				.min()
				.unwrap_or(0);
			let value = json!({
				"valid": cosine >= i64::from(threshold),
				"miner": receipt.miner.to_string(),
				"netuid": receipt.netuid,
				"block": receipt.block,
				"model": hex::encode(receipt.model),
				"requestId": hex::encode(receipt.request_id),
				"inputs": inputs.len(),
				"minCosine": cosine as f64 / f64::from(PPM),
				"threshold": f64::from(threshold) / f64::from(PPM),
			});
			if cosine < i64::from(threshold) {
				bail!(
					"wrong answer: re-embedding gives a cosine of {:.6} on an input, below τ = \
					 {:.6} (signed by {})",
					cosine as f64 / f64::from(PPM),
					f64::from(threshold) / f64::from(PPM),
					receipt.miner
				);
			}
			ctx.print(&value, || {
				format!(
					"valid: {} input(s) embedded by {} on subnet {} at block {}; every cosine \
					 ≥ {:.6} ≥ τ {:.6}",
					inputs.len(),
					receipt.miner,
					receipt.netuid,
					receipt.block,
					cosine as f64 / f64::from(PPM),
					f64::from(threshold) / f64::from(PPM)
				)
			});
			Ok(())
		}
	}
}

/// The saved request's inputs, as the receipt hashes them.
fn inputs_of(input: &Value) -> Result<Vec<String>> {
	match input {
		Value::String(text) => Ok(vec![text.clone()]),
		Value::Array(items) => items
			.iter()
			.map(|i| i.as_str().map(str::to_string))
			.collect::<Option<Vec<_>>>()
			.ok_or_else(|| anyhow!("`input` must be a string or a list of strings")),
		_ => bail!("the file has no `input` (a string or a list of strings)"),
	}
}

/// τ of `netuid`'s task, which must name `model`, where `miner` must be registered.
async fn task_threshold(ctx: &Context, netuid: u16, model: &[u8; 32], miner: &str) -> Result<u32> {
	let chain = ctx.chain().await.context("reading τ from the node (or give --threshold)")?;
	let value: Value = chain.call("myelin_inferenceTask", rpc_params![netuid]).await?;
	let task = &value["task"];
	let named = task["model"].as_str().unwrap_or_default().trim_start_matches("0x").to_string();
	if named.is_empty() {
		bail!("subnet {netuid} has no inference task");
	}
	if named != hex::encode(model) {
		bail!(
			"swapped model: the receipt names {} but subnet {netuid}'s task is {named}",
			hex::encode(model)
		);
	}
	let graph: Value = chain.call("myelin_metagraph", rpc_params![netuid, vec!["hotkeys"]]).await?;
	let registered = graph["hotkeys"].as_array().is_some_and(|h| h.iter().any(|a| a == miner));
	if !registered {
		bail!("unknown signer: {miner} is not registered on subnet {netuid}");
	}
	let threshold = task["scoreThreshold"].as_f64().ok_or_else(|| anyhow!("no threshold"))?;
	Ok((threshold * f64::from(PPM)).round() as u32)
}
