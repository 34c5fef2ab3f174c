//! The node's models: every subdirectory of the model directory holding a
//! `model.safetensors`, indexed by its sha256 and loaded on first use.
//!
//! A model id the index does not know triggers a rescan (a model may have been added since),
//! but at most once per [`RESCAN_INTERVAL`]: anyone can ask the node's RPC for a challenge of any
//! subnet, and a lookup of a model this node does not have must not re-read the directory each
//! time. A rescan hashes only the files that are new or changed since they were last hashed.

use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::{Arc, Mutex, MutexGuard, PoisonError},
	time::{Duration, Instant, SystemTime},
};

use sha2::{Digest, Sha256};

use myelin_inference::host::{HostError, InferenceHost, ModelId};

use crate::Embedder;

/// The shortest time between two rescans of the model directory for unknown model ids.
pub const RESCAN_INTERVAL: Duration = Duration::from_secs(30);

/// Texts embedded in one model batch: a batch's activations grow with its size (attention with
/// the square of its longest input), so a large request runs as batches of this many and the
/// node's memory stays flat however many texts a worker sends.
pub const EMBED_BATCH: usize = 32;

/// What the registry knows about the directory.
#[derive(Default)]
struct Index {
	/// Each model's directory, by id.
	by_id: HashMap<ModelId, PathBuf>,
	/// Each weights file's id, with the size and modification time it was hashed at.
	hashed: HashMap<PathBuf, (u64, Option<SystemTime>, ModelId)>,
	/// When the directory was last scanned.
	scanned_at: Option<Instant>,
	/// Scans so far, and files hashed so far (for monitoring and tests).
	scans: u64,
	files_hashed: u64,
}

/// Models found under one directory.
pub struct ModelRegistry {
	dir: PathBuf,
	rescan_interval: Duration,
	index: Mutex<Index>,
	loaded: Mutex<HashMap<ModelId, Arc<Embedder>>>,
}

impl ModelRegistry {
	/// The models under `dir` (scanned now, and again for an unknown id at most once per
	/// [`RESCAN_INTERVAL`]).
	pub fn new(dir: &Path) -> ModelRegistry {
		ModelRegistry::with_rescan_interval(dir, RESCAN_INTERVAL)
	}

	/// The models under `dir`, rescanned for an unknown id at most once per `interval`.
	pub fn with_rescan_interval(dir: &Path, interval: Duration) -> ModelRegistry {
		let registry = ModelRegistry {
			dir: dir.to_path_buf(),
			rescan_interval: interval,
			index: Mutex::new(Index::default()),
			loaded: Mutex::new(HashMap::new()),
		};
		registry.scan(&mut registry.index());
		registry
	}

	/// The index, also after a panic elsewhere held its lock (it is rebuilt by each scan).
	fn index(&self) -> MutexGuard<'_, Index> {
		self.index.lock().unwrap_or_else(PoisonError::into_inner)
	}

	/// The ids of the models found.
	pub fn models(&self) -> Vec<ModelId> {
		let mut ids: Vec<ModelId> = self.index().by_id.keys().copied().collect();
		ids.sort();
		ids
	}

	/// The models found, each with the name of its directory, sorted by name.
	pub fn named_models(&self) -> Vec<(String, ModelId)> {
		let mut named: Vec<(String, ModelId)> = self
			.index()
			.by_id
			.iter()
			.filter_map(|(id, path)| Some((path.file_name()?.to_str()?.to_string(), *id)))
			.collect();
		named.sort();
		named
	}

	/// Unit-length float embeddings of `texts` with `model`, computed in batches of
	/// [`EMBED_BATCH`], and the tokens read: what the serving API answers.
	pub fn embed_floats(
		&self,
		model: ModelId,
		texts: &[String],
	) -> Result<(Vec<Vec<f32>>, usize), HostError> {
		let embedder = self.embedder(model)?;
		let mut vectors = Vec::with_capacity(texts.len());
		let mut tokens = 0usize;
		for batch in texts.chunks(EMBED_BATCH) {
			let (batch_vectors, batch_tokens) =
				embedder.embed_counted(batch).map_err(|_| HostError::Failed)?;
			vectors.extend(batch_vectors);
			tokens = tokens.saturating_add(batch_tokens);
		}
		Ok((vectors, tokens))
	}

	/// How many times the directory was scanned, and how many weights files were hashed.
	pub fn scan_counts(&self) -> (u64, u64) {
		let index = self.index();
		(index.scans, index.files_hashed)
	}

	/// Rebuilds the index; files unchanged since they were hashed keep their id.
	fn scan(&self, index: &mut Index) {
		let mut by_id = HashMap::new();
		let mut hashed = HashMap::new();
		for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
			let weights = entry.path().join("model.safetensors");
			let Ok(meta) = std::fs::metadata(&weights) else { continue };
			let stamp = (meta.len(), meta.modified().ok());
			let known = index
				.hashed
				.get(&weights)
				.filter(|(len, modified, _)| (*len, *modified) == stamp && modified.is_some());
			let id = match known {
				Some(&(_, _, id)) => id,
				None => {
					let Ok(bytes) = std::fs::read(&weights) else { continue };
					index.files_hashed = index.files_hashed.saturating_add(1);
					Sha256::digest(&bytes).into()
				}
			};
			by_id.insert(id, entry.path());
			hashed.insert(weights, (stamp.0, stamp.1, id));
		}
		index.by_id = by_id;
		index.hashed = hashed;
		index.scanned_at = Some(Instant::now());
		index.scans = index.scans.saturating_add(1);
	}

	/// The directory of model `id`, rescanning first if the id is unknown and the last scan is
	/// older than the interval. Concurrent callers wait for one scan instead of each scanning.
	fn path_of(&self, id: ModelId) -> Result<PathBuf, HostError> {
		let mut index = self.index();
		if let Some(path) = index.by_id.get(&id) {
			return Ok(path.clone());
		}
		let due = index.scanned_at.is_none_or(|at| at.elapsed() >= self.rescan_interval);
		if due {
			self.scan(&mut index);
		}
		index.by_id.get(&id).cloned().ok_or(HostError::UnknownModel)
	}

	/// The loaded model `id`.
	pub fn embedder(&self, id: ModelId) -> Result<Arc<Embedder>, HostError> {
		if let Some(embedder) = self.loaded.lock().ok().and_then(|l| l.get(&id).cloned()) {
			return Ok(embedder);
		}
		let path = self.path_of(id)?;
		let embedder = Arc::new(Embedder::load_expecting(&path, id).map_err(|e| {
			log_failure(&path, &e);
			// The file changed since it was hashed (same size and time): forget both, so the
			// next due scan hashes it again instead of sending every request back here.
			let mut index = self.index();
			index.by_id.remove(&id);
			index.hashed.remove(&path.join("model.safetensors"));
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
		let (vectors, _) = self.embed_floats(model, &texts)?;
		Ok(vectors.iter().map(|v| crate::quantize(v)).collect())
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
