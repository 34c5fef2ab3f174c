//! The host functions through which the runtime's off-chain workers use the node's models.
//!
//! They are meant for `offchain_worker` only: inference is float arithmetic whose last bits
//! differ between machines, so its results must never be computed during block execution (a
//! call or hook), where every node has to reach the same state. The node answers them from its
//! model directory through the [`InferenceExt`] extension, which it registers for off-chain
//! workers only; anywhere else the functions return [`HostError::Unavailable`].

use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_runtime_interface::{
	pass_by::{AllocateAndReturnByCodec, PassFatPointerAndDecode},
	runtime_interface,
};

/// A model's identity on chain: the sha256 of its `model.safetensors`.
pub type ModelId = [u8; 32];

/// Why a host function call failed.
#[derive(Encode, Decode, scale_info::TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum HostError {
	/// No models here: not an off-chain worker, or the node has no model directory.
	Unavailable,
	/// The node has no model with this id.
	UnknownModel,
	/// An input is not valid UTF-8.
	InvalidInput,
	/// The model failed to load or run.
	Failed,
}

/// What the node provides behind the host functions.
#[cfg(feature = "std")]
pub trait InferenceHost: Send + Sync {
	/// Quantized embeddings of `texts` with `model`.
	fn embed(&self, model: ModelId, texts: Vec<String>) -> Result<Vec<Vec<i8>>, HostError>;
	/// The `k` challenge inputs of `seed` for `model`.
	fn challenge_inputs(
		&self,
		model: ModelId,
		seed: [u8; 32],
		k: u32,
	) -> Result<Vec<String>, HostError>;
}

#[cfg(feature = "std")]
sp_externalities::decl_extension! {
	/// The node's models, registered for off-chain workers.
	pub struct InferenceExt(std::sync::Arc<dyn InferenceHost>);
}

/// Inference for off-chain workers.
#[runtime_interface]
pub trait Inference {
	/// Quantized (`i8`) unit-length embeddings of `texts` (UTF-8) with `model`, one per text.
	fn embed(
		&mut self,
		model: PassFatPointerAndDecode<ModelId>,
		texts: PassFatPointerAndDecode<Vec<Vec<u8>>>,
	) -> AllocateAndReturnByCodec<Result<Vec<Vec<i8>>, HostError>> {
		use sp_externalities::ExternalitiesExt;
		let Some(ext) = self.extension::<InferenceExt>() else {
			return Err(HostError::Unavailable);
		};
		let texts = texts
			.into_iter()
			.map(String::from_utf8)
			.collect::<Result<Vec<_>, _>>()
			.map_err(|_| HostError::InvalidInput)?;
		ext.embed(model, texts)
	}

	/// The `k` challenge inputs (UTF-8 sentences) of `seed` for `model`.
	fn challenge_inputs(
		&mut self,
		model: PassFatPointerAndDecode<ModelId>,
		seed: PassFatPointerAndDecode<[u8; 32]>,
		k: u32,
	) -> AllocateAndReturnByCodec<Result<Vec<Vec<u8>>, HostError>> {
		use sp_externalities::ExternalitiesExt;
		let Some(ext) = self.extension::<InferenceExt>() else {
			return Err(HostError::Unavailable);
		};
		Ok(ext.challenge_inputs(model, seed, k)?.into_iter().map(String::into_bytes).collect())
	}
}
