//! # Myelin inference engine
//!
//! The inference engine of Myelin's AI subnets, run by nodes off chain: a BERT sentence encoder
//! on candle with the architecture of all-MiniLM-L6-v2 (mean pooling, L2 normalization) whose
//! outputs are quantized to `i8` for the chain.
//!
//! - A model is a directory with `model.safetensors`, `config.json` and `tokenizer.json`; its
//!   on-chain identity is the sha256 of `model.safetensors` ([`Embedder::id`]), checked when a
//!   node loads it for a subnet ([`Embedder::load_expecting`]).
//! - Challenge inputs are a pure function of the model's vocabulary and a 32-byte challenge seed
//!   ([`challenge_inputs`]), so the runtime only ever handles seeds.
//! - Float results differ slightly between machines: outputs are compared by cosine similarity
//!   ([`cosine_i8`]) with a tolerance, never by hash, and never inside block execution.
//!
//! [`testing`] writes a tiny model of the same architecture from a fixed seed, so tests need no
//! download. `scripts/fetch-model.sh` fetches the real model.
//!
//! The runtime reaches the engine only through the host functions of the `myelin-inference`
//! crate, from `offchain_worker`: [`registry::ModelRegistry`] implements their
//! [`InferenceHost`](myelin_inference::host::InferenceHost) side.

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]

// Enables gemm's AVX-512 kernels for candle's matrix products; not called directly.
use gemm as _;

pub mod api;
mod bert;
mod challenge;
mod engine;
mod ops;
pub mod registry;
pub mod testing;

pub use engine::*;
pub use myelin_inference::{HostError, ModelId};

#[cfg(test)]
mod tests;
