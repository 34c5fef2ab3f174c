//! The native engine: loading a model, embedding texts, quantizing and comparing outputs.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use sha2::{Digest, Sha256};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

pub use crate::bert::{Bert, BertConfig};
pub use crate::challenge::{challenge_inputs, vocabulary_words};

/// The model id (sha256 of `model.safetensors`) of all-MiniLM-L6-v2 as `scripts/fetch-model.sh`
/// installs it.
pub const ALL_MINILM_L6_V2_SHA256: &str =
	"53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";

/// The longest input, in tokens (special tokens included); longer texts are truncated.
pub const MAX_TOKENS: usize = 128;

/// Why inference failed. Every failure is one of these; nothing panics.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InferenceError {
	/// A model file could not be read.
	#[error("cannot read {0}: {1}")]
	Io(String, String),
	/// The model directory's files are not what the node expects.
	#[error("invalid model: {0}")]
	Format(String),
	/// The model's sha256 is not the one asked for.
	#[error("model {found} is not the expected {expected}")]
	ModelMismatch {
		/// The id asked for (hex).
		expected: String,
		/// The id of the files found (hex).
		found: String,
	},
	/// Tokenization failed.
	#[error("tokenizer: {0}")]
	Tokenizer(String),
	/// The tensor computation failed.
	#[error("inference: {0}")]
	Compute(String),
}

impl From<candle_core::Error> for InferenceError {
	fn from(err: candle_core::Error) -> Self {
		InferenceError::Compute(err.to_string())
	}
}

fn read(path: &Path) -> Result<Vec<u8>, InferenceError> {
	std::fs::read(path).map_err(|e| InferenceError::Io(path.display().to_string(), e.to_string()))
}

/// A loaded model: encoder, tokenizer and identity.
pub struct Embedder {
	model: Bert,
	tokenizer: Tokenizer,
	id: [u8; 32],
	words: Vec<String>,
}

impl Embedder {
	/// Loads the model in `dir`.
	pub fn load(dir: &Path) -> Result<Embedder, InferenceError> {
		let weights = read(&dir.join("model.safetensors"))?;
		let id: [u8; 32] = Sha256::digest(&weights).into();
		let config: BertConfig = serde_json::from_slice(&read(&dir.join("config.json"))?)
			.map_err(|e| InferenceError::Format(format!("config.json: {e}")))?;
		let mut tokenizer = Tokenizer::from_bytes(read(&dir.join("tokenizer.json"))?)
			.map_err(|e| InferenceError::Format(format!("tokenizer.json: {e}")))?;
		// Padding and truncation are set here, whatever the file says: batches pad to their
		// longest input, inputs stop at `MAX_TOKENS`.
		let pad_id = tokenizer.token_to_id("[PAD]").unwrap_or(0);
		tokenizer.with_padding(Some(PaddingParams {
			strategy: PaddingStrategy::BatchLongest,
			pad_id,
			pad_token: "[PAD]".into(),
			..Default::default()
		}));
		tokenizer
			.with_truncation(Some(TruncationParams {
				max_length: MAX_TOKENS.min(config.max_position_embeddings),
				..Default::default()
			}))
			.map_err(|e| InferenceError::Tokenizer(e.to_string()))?;
		let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)?;
		let model = Bert::load(vb, &config).map_err(|e| InferenceError::Format(e.to_string()))?;
		let words = vocabulary_words(&tokenizer);
		if words.is_empty() {
			return Err(InferenceError::Format("the vocabulary has no plain words".into()));
		}
		Ok(Embedder { model, tokenizer, id, words })
	}

	/// Loads the model in `dir` if its id is `expected`.
	pub fn load_expecting(dir: &Path, expected: [u8; 32]) -> Result<Embedder, InferenceError> {
		let embedder = Embedder::load(dir)?;
		if embedder.id != expected {
			return Err(InferenceError::ModelMismatch {
				expected: hex::encode(expected),
				found: hex::encode(embedder.id),
			});
		}
		Ok(embedder)
	}

	/// The model's identity: sha256 of `model.safetensors`.
	pub fn id(&self) -> [u8; 32] {
		self.id
	}

	/// Width of an embedding.
	pub fn dimensions(&self) -> usize {
		self.model.config.hidden_size
	}

	/// The K challenge inputs of `seed` for this model.
	pub fn challenge_inputs(&self, seed: [u8; 32], k: usize) -> Vec<String> {
		challenge_inputs(&self.words, seed, k)
	}

	/// Unit-length embeddings of `texts`, one batch padded to its longest input.
	pub fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, InferenceError> {
		Ok(self.embed_counted(texts)?.0)
	}

	/// [`Embedder::embed`] and the number of tokens the model read (special tokens included,
	/// after truncation to [`MAX_TOKENS`]): what the serving API reports as usage.
	pub fn embed_counted(
		&self,
		texts: &[String],
	) -> Result<(Vec<Vec<f32>>, usize), InferenceError> {
		if texts.is_empty() {
			return Ok((Vec::new(), 0));
		}
		let encodings = self
			.tokenizer
			.encode_batch(texts.to_vec(), true)
			.map_err(|e| InferenceError::Tokenizer(e.to_string()))?;
		let seq = encodings.first().map_or(0, |e| e.get_ids().len());
		let mut ids = Vec::with_capacity(texts.len().saturating_mul(seq));
		let mut mask = Vec::with_capacity(ids.capacity());
		for encoding in &encodings {
			ids.extend_from_slice(encoding.get_ids());
			mask.extend(encoding.get_attention_mask().iter().map(|&m| m as f32));
		}
		let tokens = encodings
			.iter()
			.map(|e| e.get_attention_mask().iter().filter(|&&m| m != 0).count())
			.sum();
		let device = Device::Cpu;
		let ids = Tensor::from_vec(ids, (texts.len(), seq), &device)?;
		let mask = Tensor::from_vec(mask, (texts.len(), seq), &device)?;
		Ok((self.model.embed(&ids, &mask)?.to_vec2::<f32>()?, tokens))
	}

	/// [`Embedder::embed`], quantized for the chain ([`quantize`]).
	pub fn embed_quantized(&self, texts: &[String]) -> Result<Vec<Vec<i8>>, InferenceError> {
		Ok(self.embed(texts)?.iter().map(|v| quantize(v)).collect())
	}
}

/// Quantizes a unit vector to `i8`: each component times 127, rounded, clamped to ±127.
pub fn quantize(vector: &[f32]) -> Vec<i8> {
	vector.iter().map(|x| (x * 127.0).round().clamp(-127.0, 127.0) as i8).collect()
}

/// Cosine similarity of two quantized vectors (0 if either is zero or lengths differ).
pub fn cosine_i8(a: &[i8], b: &[i8]) -> f64 {
	if a.len() != b.len() {
		return 0.0;
	}
	let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
	for (x, y) in a.iter().zip(b) {
		let (x, y) = (f64::from(*x), f64::from(*y));
		dot += x * y;
		na += x * x;
		nb += y * y;
	}
	if na == 0.0 || nb == 0.0 {
		0.0
	} else {
		dot / (na.sqrt() * nb.sqrt())
	}
}
