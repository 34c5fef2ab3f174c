//! Builds the runtime to WASM (the `wasm32v1-none` target when installed) and exposes it to the
//! native crate as `WASM_BINARY`.

fn main() {
	#[cfg(feature = "std")]
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}
