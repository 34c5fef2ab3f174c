//! A tiny model with the real model's architecture, written from a fixed seed: a WordPiece
//! vocabulary of [`TINY_WORDS`] words, 32-wide hidden states, 2 layers of 4 heads. Tests and CI
//! use it instead of downloading all-MiniLM-L6-v2; the same seed always writes the same files,
//! so its model id is stable.

use std::{collections::HashMap, path::Path};

use candle_core::{Device, Tensor};
use tokenizers::{
	models::wordpiece::WordPiece, normalizers::BertNormalizer,
	pre_tokenizers::bert::BertPreTokenizer, processors::template::TemplateProcessing, Tokenizer,
};

use crate::InferenceError;

/// The plain words of the tiny vocabulary.
pub const TINY_WORDS: [&str; 40] = [
	"the", "a", "cat", "dog", "sat", "on", "mat", "ran", "fast", "slow", "red", "blue", "green",
	"big", "small", "bird", "fish", "tree", "house", "river", "sun", "moon", "star", "sky", "runs",
	"jumps", "sleeps", "eats", "sings", "reads", "book", "song", "light", "dark", "old", "new",
	"chain", "node", "model", "mind",
];

/// Special tokens, ids 0..5.
const SPECIALS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// The tiny model's shape.
pub const HIDDEN: usize = 32;
const LAYERS: usize = 2;
const HEADS: usize = 4;
const INTERMEDIATE: usize = 64;
const MAX_POSITIONS: usize = 64;

/// SplitMix64: a small, fully specified generator, so the weights never depend on a crate's
/// RNG implementation.
struct SplitMix(u64);

impl SplitMix {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// Uniform in [-scale, scale).
	fn weight(&mut self, scale: f32) -> f32 {
		let unit = (self.next() >> 40) as f32 / (1u64 << 24) as f32;
		(unit * 2.0 - 1.0) * scale
	}
}

fn tensor(
	rng: &mut SplitMix,
	shape: &[usize],
	scale: f32,
	offset: f32,
) -> Result<Tensor, InferenceError> {
	let n: usize = shape.iter().product();
	let values: Vec<f32> = (0..n).map(|_| offset + rng.weight(scale)).collect();
	Ok(Tensor::from_vec(values, shape, &Device::Cpu)?)
}

/// Writes `model.safetensors`, `config.json` and `tokenizer.json` of the tiny model into `dir`.
pub fn write_tiny_model(dir: &Path) -> Result<(), InferenceError> {
	write_tiny_model_seeded(dir, 0x4D79_656C_696E) // "Myelin"
}

/// The tiny model's architecture and vocabulary with other weights, drawn from `seed`: another
/// model (another sha256, other outputs), e.g. to test that a swapped model is caught.
pub fn write_tiny_model_seeded(dir: &Path, seed: u64) -> Result<(), InferenceError> {
	std::fs::create_dir_all(dir)
		.map_err(|e| InferenceError::Io(dir.display().to_string(), e.to_string()))?;
	let vocab: Vec<&str> = SPECIALS.iter().chain(TINY_WORDS.iter()).copied().collect();
	let mut rng = SplitMix(seed);
	let mut tensors: Vec<(String, Tensor)> = Vec::new();
	let mut add = |name: &str, t: Tensor| tensors.push((name.to_string(), t));
	let e = "embeddings";
	add(
		&format!("{e}.word_embeddings.weight"),
		tensor(&mut rng, &[vocab.len(), HIDDEN], 0.5, 0.0)?,
	);
	add(
		&format!("{e}.position_embeddings.weight"),
		tensor(&mut rng, &[MAX_POSITIONS, HIDDEN], 0.1, 0.0)?,
	);
	add(&format!("{e}.token_type_embeddings.weight"), tensor(&mut rng, &[1, HIDDEN], 0.1, 0.0)?);
	add(&format!("{e}.LayerNorm.weight"), tensor(&mut rng, &[HIDDEN], 0.1, 1.0)?);
	add(&format!("{e}.LayerNorm.bias"), tensor(&mut rng, &[HIDDEN], 0.1, 0.0)?);
	for i in 0..LAYERS {
		let l = format!("encoder.layer.{i}");
		for (name, out, inp) in [
			("attention.self.query", HIDDEN, HIDDEN),
			("attention.self.key", HIDDEN, HIDDEN),
			("attention.self.value", HIDDEN, HIDDEN),
			("attention.output.dense", HIDDEN, HIDDEN),
			("intermediate.dense", INTERMEDIATE, HIDDEN),
			("output.dense", HIDDEN, INTERMEDIATE),
		] {
			add(&format!("{l}.{name}.weight"), tensor(&mut rng, &[out, inp], 0.3, 0.0)?);
			add(&format!("{l}.{name}.bias"), tensor(&mut rng, &[out], 0.05, 0.0)?);
		}
		for name in ["attention.output.LayerNorm", "output.LayerNorm"] {
			add(&format!("{l}.{name}.weight"), tensor(&mut rng, &[HIDDEN], 0.1, 1.0)?);
			add(&format!("{l}.{name}.bias"), tensor(&mut rng, &[HIDDEN], 0.1, 0.0)?);
		}
	}
	let map: HashMap<String, Tensor> = tensors.into_iter().collect();
	candle_core::safetensors::save(&map, dir.join("model.safetensors"))?;

	let config = serde_json::json!({
		"architectures": ["BertModel"],
		"vocab_size": vocab.len(),
		"hidden_size": HIDDEN,
		"num_hidden_layers": LAYERS,
		"num_attention_heads": HEADS,
		"intermediate_size": INTERMEDIATE,
		"max_position_embeddings": MAX_POSITIONS,
		"type_vocab_size": 1,
		"layer_norm_eps": 1e-12,
		"hidden_act": "gelu",
	});
	std::fs::write(dir.join("config.json"), config.to_string())
		.map_err(|e| InferenceError::Io("config.json".into(), e.to_string()))?;

	// WordPiece reads its vocabulary from a file, one token per line, ids by line number.
	let vocab_path = dir.join("vocab.txt");
	std::fs::write(&vocab_path, vocab.join("\n"))
		.map_err(|e| InferenceError::Io("vocab.txt".into(), e.to_string()))?;
	let tokenizer_error =
		|e: Box<dyn std::error::Error + Send + Sync>| InferenceError::Tokenizer(e.to_string());
	let model = WordPiece::from_file(&vocab_path.to_string_lossy())
		.unk_token("[UNK]".into())
		.build()
		.map_err(tokenizer_error)?;
	let mut tokenizer = Tokenizer::new(model);
	tokenizer.with_normalizer(Some(BertNormalizer::default()));
	tokenizer.with_pre_tokenizer(Some(BertPreTokenizer));
	let template = TemplateProcessing::builder()
		.try_single("[CLS] $A [SEP]")
		.map_err(|e| InferenceError::Tokenizer(e.to_string()))?
		.special_tokens(vec![("[CLS]", 2), ("[SEP]", 3)])
		.build()
		.map_err(|e| InferenceError::Tokenizer(e.to_string()))?;
	tokenizer.with_post_processor(Some(template));
	tokenizer.save(dir.join("tokenizer.json"), false).map_err(tokenizer_error)?;
	Ok(())
}
