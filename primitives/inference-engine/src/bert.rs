//! A BERT encoder on candle (the architecture of all-MiniLM-L6-v2): embeddings, `L` layers of
//! multi-head self-attention and a GELU feed-forward block, each with a residual LayerNorm.
//!
//! Tensor names follow the Hugging Face checkpoints (`embeddings.word_embeddings.weight`,
//! `encoder.layer.{i}.attention.self.query.weight`, …), with or without a `bert.` prefix.

use candle_core::{DType, Module, Result, Tensor, D};
use candle_nn::{embedding, layer_norm, Embedding, LayerNorm, LayerNormConfig, VarBuilder};

use crate::ops::Dense;
use serde::Deserialize;

/// The fields of a Hugging Face `config.json` the encoder needs.
#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct BertConfig {
	/// Tokens in the vocabulary.
	pub vocab_size: usize,
	/// Width of the hidden states (384 for MiniLM-L6).
	pub hidden_size: usize,
	/// Encoder layers.
	pub num_hidden_layers: usize,
	/// Attention heads per layer.
	pub num_attention_heads: usize,
	/// Width of the feed-forward block.
	pub intermediate_size: usize,
	/// Longest sequence the position embeddings cover.
	pub max_position_embeddings: usize,
	/// Token type (segment) vocabulary.
	#[serde(default = "one")]
	pub type_vocab_size: usize,
	/// LayerNorm epsilon.
	#[serde(default = "layer_norm_eps")]
	pub layer_norm_eps: f64,
	/// Activation of the feed-forward block; only `gelu` (erf) is supported.
	#[serde(default = "gelu")]
	pub hidden_act: String,
}

fn one() -> usize {
	1
}
fn layer_norm_eps() -> f64 {
	1e-12
}
fn gelu() -> String {
	"gelu".into()
}

fn norm(size: usize, eps: f64, vb: VarBuilder) -> Result<LayerNorm> {
	layer_norm(size, LayerNormConfig { eps, ..Default::default() }, vb)
}

struct Embeddings {
	words: Embedding,
	positions: Embedding,
	token_types: Embedding,
	norm: LayerNorm,
}

struct Layer {
	/// Query (pre-scaled), key and value projections, fused.
	qkv: Dense,
	attention_out: Dense,
	attention_norm: LayerNorm,
	intermediate: Dense,
	output: Dense,
	output_norm: LayerNorm,
}

/// The encoder.
pub struct Bert {
	embeddings: Embeddings,
	layers: Vec<Layer>,
	heads: usize,
	head_dim: usize,
	/// Its configuration.
	pub config: BertConfig,
}

impl Bert {
	/// Loads the weights under `vb` (a `bert.` prefix is detected).
	pub fn load(vb: VarBuilder, config: &BertConfig) -> Result<Bert> {
		if config.hidden_act != "gelu" {
			candle_core::bail!("unsupported activation {:?}", config.hidden_act);
		}
		if config.num_attention_heads == 0
			|| !config.hidden_size.is_multiple_of(config.num_attention_heads)
		{
			candle_core::bail!("hidden size is not a multiple of the attention heads");
		}
		let vb = if vb.contains_tensor("bert.embeddings.word_embeddings.weight") {
			vb.pp("bert")
		} else {
			vb
		};
		let (h, eps) = (config.hidden_size, config.layer_norm_eps);
		let e = vb.pp("embeddings");
		let embeddings = Embeddings {
			words: embedding(config.vocab_size, h, e.pp("word_embeddings"))?,
			positions: embedding(config.max_position_embeddings, h, e.pp("position_embeddings"))?,
			token_types: embedding(config.type_vocab_size, h, e.pp("token_type_embeddings"))?,
			norm: norm(h, eps, e.pp("LayerNorm"))?,
		};
		let head_dim = h.checked_div(config.num_attention_heads).unwrap_or_default();
		let scale = 1.0 / (head_dim as f64).sqrt();
		let layers = (0..config.num_hidden_layers)
			.map(|i| {
				let l = vb.pp(format!("encoder.layer.{i}"));
				Ok(Layer {
					qkv: Dense::load_qkv(h, scale, l.pp("attention.self"))?,
					attention_out: Dense::load(h, h, l.pp("attention.output.dense"))?,
					attention_norm: norm(h, eps, l.pp("attention.output.LayerNorm"))?,
					intermediate: Dense::load_with_gelu(
						h,
						config.intermediate_size,
						l.pp("intermediate.dense"),
					)?,
					output: Dense::load(config.intermediate_size, h, l.pp("output.dense"))?,
					output_norm: norm(h, eps, l.pp("output.LayerNorm"))?,
				})
			})
			.collect::<Result<Vec<_>>>()?;
		Ok(Bert {
			embeddings,
			layers,
			heads: config.num_attention_heads,
			head_dim,
			config: config.clone(),
		})
	}

	/// Hidden states `[batch, seq, hidden]` of `ids` (`[batch, seq]`, u32) where `mask` (same
	/// shape, f32 1/0) marks real tokens.
	pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
		let (batch, seq) = ids.dims2()?;
		if seq > self.config.max_position_embeddings {
			candle_core::bail!("sequence of {seq} tokens exceeds the position embeddings");
		}
		let positions = Tensor::arange(0u32, seq as u32, ids.device())?.unsqueeze(0)?;
		let types = ids.zeros_like()?;
		let e = &self.embeddings;
		let mut x = e
			.words
			.forward(ids)?
			.broadcast_add(&e.positions.forward(&positions)?)?
			.add(&e.token_types.forward(&types)?)?;
		x = e.norm.forward(&x)?;
		// Padding gets a large negative score, so softmax gives it no attention; a batch without
		// padding needs no mask at all.
		let padded = mask.flatten_all()?.min(0)?.to_scalar::<f32>()? < 1.0;
		let bias =
			if padded { Some(mask.affine(1e4, -1e4)?.reshape((batch, 1, 1, seq))?) } else { None };
		for layer in &self.layers {
			// [batch, seq, 3·hidden] → three [batch, heads, seq, head_dim] (query pre-scaled).
			let qkv = layer
				.qkv
				.forward(&x)?
				.reshape((batch, seq, 3, self.heads, self.head_dim))?
				.permute((2, 0, 3, 1, 4))?;
			let q = qkv.get(0)?.contiguous()?;
			let k = qkv.get(1)?;
			let v = qkv.get(2)?.contiguous()?;
			let mut scores = q.matmul(&k.t()?.contiguous()?)?;
			if let Some(bias) = &bias {
				scores = scores.broadcast_add(bias)?;
			}
			let probs = candle_nn::ops::softmax_last_dim(&scores)?;
			let context = probs.matmul(&v)?.transpose(1, 2)?.reshape((
				batch,
				seq,
				self.config.hidden_size,
			))?;
			let attended =
				layer.attention_norm.forward(&layer.attention_out.forward(&context)?.add(&x)?)?;
			let inner = layer.intermediate.forward(&attended)?;
			x = layer.output_norm.forward(&layer.output.forward(&inner)?.add(&attended)?)?;
		}
		Ok(x)
	}

	/// Sentence embeddings `[batch, hidden]`: the mean of the real tokens' hidden states,
	/// scaled to unit length.
	pub fn embed(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor> {
		let hidden = self.forward(ids, mask)?;
		let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
		let summed = hidden.broadcast_mul(&m)?.sum(1)?;
		let counts = m.sum(1)?.clamp(1e-9, f64::MAX)?;
		let mean = summed.broadcast_div(&counts)?;
		let length = mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
		mean.broadcast_div(&length)
	}
}
