//! The node's models: every subdirectory of the model directory holding a
//! `model.safetensors`, indexed by its sha256 and loaded on first use.

use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
};

use sha2::{Digest, Sha256};

use myelin_inference::host::{HostError, InferenceHost, ModelId};

use crate::Embedder;

/// Models found under one directory.
pub struct ModelRegistry {
	dir: PathBuf,
	index: Mutex<HashMap<ModelId, PathBuf>>,
	loaded: Mutex<HashMap<ModelId, Arc<Embedder>>>,
}

impl ModelRegistry {
	/// The models under `dir` (scanned now, and again when an unknown id is asked for).
	pub fn new(dir: &Path) -> ModelRegistry {
		let registry = ModelRegistry {
			dir: dir.to_path_buf(),
			index: Mutex::new(HashMap::new()),
			loaded: Mutex::new(HashMap::new()),
		};
		registry.scan();
		registry
	}

	/// The ids of the models found.
	pub fn models(&self) -> Vec<ModelId> {
		let mut ids: Vec<ModelId> =
			self.index.lock().map(|index| index.keys().copied().collect()).unwrap_or_default();
		ids.sort();
		ids
	}

	fn scan(&self) {
		let mut found = HashMap::new();
		for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
			let weights = entry.path().join("model.safetensors");
			if let Ok(bytes) = std::fs::read(&weights) {
				let id: ModelId = Sha256::digest(&bytes).into();
				found.insert(id, entry.path());
			}
		}
		if let Ok(mut index) = self.index.lock() {
			*index = found;
		}
	}

	/// The loaded model `id`.
	pub fn embedder(&self, id: ModelId) -> Result<Arc<Embedder>, HostError> {
		if let Some(embedder) = self.loaded.lock().ok().and_then(|l| l.get(&id).cloned()) {
			return Ok(embedder);
		}
		let lookup = || self.index.lock().ok().and_then(|index| index.get(&id).cloned());
		let path = match lookup() {
			Some(path) => path,
			None => {
				self.scan();
				lookup().ok_or(HostError::UnknownModel)?
			}
		};
		let embedder = Arc::new(Embedder::load_expecting(&path, id).map_err(|e| {
			log_failure(&path, &e);
			HostError::Failed
		})?);
		if let Ok(mut loaded) = self.loaded.lock() {
			loaded.insert(id, embedder.clone());
		}
		Ok(embedder)
	}
}

fn log_failure(path: &Path, error: &crate::InferenceError) {
	eprintln!("myelin-inference: cannot load the model in {}: {error}", path.display());
}

impl InferenceHost for ModelRegistry {
	fn embed(&self, model: ModelId, texts: Vec<String>) -> Result<Vec<Vec<i8>>, HostError> {
		self.embedder(model)?.embed_quantized(&texts).map_err(|_| HostError::Failed)
	}

	fn challenge_inputs(
		&self,
		model: ModelId,
		seed: [u8; 32],
		k: u32,
	) -> Result<Vec<String>, HostError> {
		let k = usize::try_from(k).map_err(|_| HostError::InvalidInput)?;
		Ok(self.embedder(model)?.challenge_inputs(seed, k))
	}
}
