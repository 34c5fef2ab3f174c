//! # Myelin inference interface
//!
//! What the runtime knows of inference: the host functions its off-chain workers call
//! ([`host::inference`]) and their types. This crate is `no_std` and small on purpose: the
//! runtime, the pallets and every tool that only needs the chain's types build without the
//! engine.
//!
//! The engine that answers these functions natively (a candle BERT sentence encoder, its
//! tokenizer, the model registry and challenge inputs) is the `myelin-inference-engine` crate,
//! which only the node, the CLI's model commands and the benchmarks depend on. The node
//! registers it for off-chain workers through [`host::InferenceExt`].

#![warn(missing_docs)]
#![cfg_attr(not(test), warn(unused_crate_dependencies))]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod host;

pub use host::{HostError, ModelId};
