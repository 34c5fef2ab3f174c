//! # Myelin inference (native)
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
//! The runtime reaches the engine only through the host functions in [`host`], from
//! `offchain_worker`; without the `std` feature this crate is just those functions' runtime side.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod host;

#[cfg(feature = "std")]
mod bert;
#[cfg(feature = "std")]
mod challenge;
#[cfg(feature = "std")]
mod engine;
#[cfg(feature = "std")]
mod ops;
#[cfg(feature = "std")]
pub mod registry;
#[cfg(feature = "std")]
pub mod testing;

#[cfg(feature = "std")]
pub use engine::*;

#[cfg(all(test, feature = "std"))]
mod tests;
