//! The engine on the tiny model; and on the real model when `scripts/fetch-model.sh` fetched it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::*;

fn tiny() -> (tempfile::TempDir, Embedder) {
	let dir = tempfile::tempdir().unwrap();
	testing::write_tiny_model(dir.path()).unwrap();
	let embedder = Embedder::load(dir.path()).unwrap();
	(dir, embedder)
}

fn texts(items: &[&str]) -> Vec<String> {
	items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn embeddings_have_the_models_width_and_unit_length() {
	let (_dir, embedder) = tiny();
	let out = embedder.embed(&texts(&["the cat sat on the mat", "a dog", "unknownword"])).unwrap();
	assert_eq!(out.len(), 3);
	for v in &out {
		assert_eq!(v.len(), testing::HIDDEN);
		let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
		assert!((norm - 1.0).abs() < 1e-5, "norm {norm}");
	}
	assert!(embedder.embed(&[]).unwrap().is_empty());
}

#[test]
fn embeddings_are_deterministic_and_padding_does_not_change_them() {
	let (dir, embedder) = tiny();
	let alone = embedder.embed(&texts(&["a dog"])).unwrap();
	// In a batch with a longer text, "a dog" is padded; the mask must make that invisible.
	let batched =
		embedder.embed(&texts(&["a dog", "the big red bird sings on the old tree"])).unwrap();
	for (x, y) in alone[0].iter().zip(&batched[0]) {
		assert!((x - y).abs() < 1e-5, "{x} vs {y}");
	}
	// The same files written again give the same id and the same outputs.
	let again = tempfile::tempdir().unwrap();
	testing::write_tiny_model(again.path()).unwrap();
	let reloaded = Embedder::load(again.path()).unwrap();
	assert_eq!(reloaded.id(), embedder.id());
	assert_eq!(reloaded.embed(&texts(&["a dog"])).unwrap(), alone);
	drop(dir);
}

#[test]
fn different_texts_embed_differently() {
	let (_dir, embedder) = tiny();
	let out = embedder.embed_quantized(&texts(&["the cat sat", "green river moon"])).unwrap();
	assert!(cosine_i8(&out[0], &out[1]) < 0.99);
	assert!((cosine_i8(&out[0], &out[0]) - 1.0).abs() < 1e-9);
}

#[test]
fn quantization_is_bounded_and_close() {
	assert_eq!(quantize(&[1.0, -1.0, 0.5, 0.0, 2.0]), vec![127, -127, 64, 0, 127]);
	let (_dir, embedder) = tiny();
	let v = embedder.embed(&texts(&["the sun and the moon"])).unwrap().remove(0);
	let q = quantize(&v);
	let back: Vec<f32> = q.iter().map(|&x| f32::from(x) / 127.0).collect();
	let cos: f32 = v.iter().zip(&back).map(|(a, b)| a * b).sum::<f32>()
		/ back.iter().map(|x| x * x).sum::<f32>().sqrt();
	assert!(cos > 0.999, "quantization keeps direction: {cos}");
	assert_eq!(cosine_i8(&[1, 2], &[1]), 0.0);
	assert_eq!(cosine_i8(&[0, 0], &[1, 1]), 0.0);
}

#[test]
fn challenge_inputs_are_deterministic_and_differ_per_seed() {
	let (_dir, embedder) = tiny();
	let a = embedder.challenge_inputs([1; 32], 4);
	assert_eq!(a.len(), 4);
	assert_eq!(a, embedder.challenge_inputs([1; 32], 4));
	assert_ne!(a, embedder.challenge_inputs([2; 32], 4));
	for input in &a {
		let words: Vec<&str> = input.split(' ').collect();
		assert_eq!(words.len(), challenge::WORDS_PER_INPUT);
		assert!(words.iter().all(|w| testing::TINY_WORDS.contains(w)), "{input}");
	}
	assert!(challenge_inputs(&[], [1; 32], 3).is_empty());
	// Every input embeds.
	assert_eq!(embedder.embed(&a).unwrap().len(), 4);
}

#[test]
fn model_identity_is_checked_and_errors_are_typed() {
	let (dir, embedder) = tiny();
	let id = embedder.id();
	assert!(Embedder::load_expecting(dir.path(), id).is_ok());
	match Embedder::load_expecting(dir.path(), [7; 32]) {
		Err(InferenceError::ModelMismatch { found, .. }) => assert_eq!(found, hex::encode(id)),
		_ => panic!("a different id is a mismatch"),
	}
	let empty = tempfile::tempdir().unwrap();
	assert!(matches!(Embedder::load(empty.path()), Err(InferenceError::Io(..))));
	std::fs::write(dir.path().join("config.json"), "{}").unwrap();
	assert!(matches!(Embedder::load(dir.path()), Err(InferenceError::Format(..))));
}

/// The real all-MiniLM-L6-v2 (`scripts/fetch-model.sh`): its id is the pinned sha256, related
/// sentences embed closer than unrelated ones, and five sentences match the recorded reference
/// within 1e-4 cosine. Skips, saying so, when the model was not fetched.
#[test]
fn real_model_when_fetched() {
	let dir = std::env::var("MYELIN_MODEL_DIR")
		.map(std::path::PathBuf::from)
		.unwrap_or_else(|_| {
			std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default())
				.join(".myelin/models")
		})
		.join("all-minilm-l6-v2");
	if !dir.join("model.safetensors").exists() {
		eprintln!("skipped: no real model in {} (run scripts/fetch-model.sh)", dir.display());
		return;
	}
	let expected: [u8; 32] = hex::decode(ALL_MINILM_L6_V2_SHA256).unwrap().try_into().unwrap();
	let embedder = Embedder::load_expecting(&dir, expected).unwrap();
	assert_eq!(embedder.dimensions(), 384);
	let out = embedder
		.embed_quantized(&texts(&[
			"A man is eating food.",
			"A man is eating a piece of bread.",
			"The new movie is awesome.",
		]))
		.unwrap();
	assert!(cosine_i8(&out[0], &out[1]) > cosine_i8(&out[0], &out[2]) + 0.2);

	// Five sentences against an independent float64 NumPy implementation
	// (scripts/reference-embeddings.py), recorded in the repository.
	let reference: serde_json::Value =
		serde_json::from_str(include_str!("../tests/reference/all-minilm-l6-v2.json")).unwrap();
	let sentences = reference["sentences"].as_array().unwrap();
	assert_eq!(sentences.len(), 5);
	let inputs: Vec<String> =
		sentences.iter().map(|s| s["text"].as_str().unwrap().to_string()).collect();
	let ours = embedder.embed(&inputs).unwrap();
	for (sentence, mine) in sentences.iter().zip(&ours) {
		let theirs: Vec<f64> =
			sentence["embedding"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
		let dot: f64 = mine.iter().zip(&theirs).map(|(a, b)| f64::from(*a) * b).sum();
		let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
		let mine64: Vec<f64> = mine.iter().map(|x| f64::from(*x)).collect();
		let cosine = dot / (norm(&mine64) * norm(&theirs));
		eprintln!("{}: cosine {cosine:.8}", sentence["text"]);
		assert!(cosine > 1.0 - 1e-4, "{:?}: cosine {cosine}", sentence["text"]);
	}
}

#[test]
fn host_functions_answer_from_the_registry_in_offchain_context_only() {
	use myelin_inference::host::{inference, HostError, InferenceExt, InferenceHost};
	use std::sync::Arc;

	let models = tempfile::tempdir().unwrap();
	testing::write_tiny_model(&models.path().join("tiny")).unwrap();
	let embedder = Embedder::load(&models.path().join("tiny")).unwrap();
	let id = embedder.id();
	let registry = Arc::new(registry::ModelRegistry::new(models.path()));
	assert_eq!(registry.models(), vec![id]);
	let texts = vec![b"the cat sat".to_vec(), b"a dog".to_vec()];

	// Without the extension (block execution): unavailable.
	let mut plain = sp_io::TestExternalities::default();
	plain.execute_with(|| {
		assert_eq!(inference::embed(id, texts.clone()), Err(HostError::Unavailable));
	});

	let mut offchain = sp_io::TestExternalities::default();
	let host: Arc<dyn InferenceHost> = registry;
	offchain.register_extension(InferenceExt::from(host));
	offchain.execute_with(|| {
		let out = inference::embed(id, texts.clone()).unwrap();
		assert_eq!(out, embedder.embed_quantized(&texts_of(&texts)).unwrap());
		assert_eq!(inference::embed([9; 32], texts.clone()), Err(HostError::UnknownModel));
		assert_eq!(inference::embed(id, vec![vec![0xff, 0xfe]]), Err(HostError::InvalidInput));
		let inputs = inference::challenge_inputs(id, [3; 32], 2).unwrap();
		let expected: Vec<Vec<u8>> =
			embedder.challenge_inputs([3; 32], 2).into_iter().map(String::into_bytes).collect();
		assert_eq!(inputs, expected);
	});
}

fn texts_of(bytes: &[Vec<u8>]) -> Vec<String> {
	bytes.iter().map(|b| String::from_utf8(b.clone()).unwrap()).collect()
}

#[test]
fn unknown_models_rescan_the_directory_at_most_once_per_interval() {
	use myelin_inference::host::HostError;
	use std::time::Duration;

	let models = tempfile::tempdir().unwrap();
	testing::write_tiny_model(&models.path().join("tiny")).unwrap();
	let registry =
		registry::ModelRegistry::with_rescan_interval(models.path(), Duration::from_secs(3600));
	assert_eq!(registry.scan_counts(), (1, 1));
	let known = registry.models()[0];

	// Asking again and again for a model the node does not have costs no directory reads.
	for _ in 0..100 {
		assert_eq!(registry.embedder([7; 32]).err(), Some(HostError::UnknownModel));
	}
	assert_eq!(registry.scan_counts(), (1, 1));
	assert!(registry.embedder(known).is_ok());

	// With no interval, every unknown id rescans, but unchanged files are not hashed again.
	let eager = registry::ModelRegistry::with_rescan_interval(models.path(), Duration::ZERO);
	for _ in 0..3 {
		assert_eq!(eager.embedder([7; 32]).err(), Some(HostError::UnknownModel));
	}
	assert_eq!(eager.scan_counts(), (4, 1));
}

#[test]
fn a_model_added_later_is_found_by_the_next_due_rescan() {
	use std::time::Duration;

	let models = tempfile::tempdir().unwrap();
	let lazy =
		registry::ModelRegistry::with_rescan_interval(models.path(), Duration::from_secs(3600));
	let eager = registry::ModelRegistry::with_rescan_interval(models.path(), Duration::ZERO);
	assert!(lazy.models().is_empty());
	testing::write_tiny_model(&models.path().join("tiny")).unwrap();
	let id = Embedder::load(&models.path().join("tiny")).unwrap().id();

	// Within the interval the first scan's answer stands; once due, the model is found.
	assert!(lazy.embedder(id).is_err());
	assert_eq!(lazy.scan_counts().0, 1);
	assert_eq!(eager.embedder(id).map(|e| e.id()).ok(), Some(id));
	assert_eq!(eager.models(), vec![id]);
}

#[test]
fn large_requests_embed_in_batches_with_the_same_results() {
	use myelin_inference::host::InferenceHost;

	let models = tempfile::tempdir().unwrap();
	testing::write_tiny_model(&models.path().join("tiny")).unwrap();
	let registry = registry::ModelRegistry::new(models.path());
	let embedder = registry.embedder(registry.models()[0]).unwrap();
	// Three and a bit batches, of texts of different lengths.
	let count = 3 * registry::EMBED_BATCH + 5;
	let inputs: Vec<String> =
		(0..count).map(|i| embedder.challenge_inputs([i as u8; 32], 1 + i % 4).join(" ")).collect();
	let batched = registry.embed(embedder.id(), inputs.clone()).unwrap();
	assert_eq!(batched.len(), count);
	for (i, text) in inputs.iter().enumerate() {
		let alone = embedder.embed_quantized(std::slice::from_ref(text)).unwrap();
		assert!(cosine_i8(&batched[i], &alone[0]) > 0.999, "text {i} differs when batched");
	}
}
