//! Builds the runtime to WASM (the `wasm32v1-none` target when installed) and exposes it to the
//! native crate as `WASM_BINARY`.

fn main() {
	#[cfg(feature = "std")]
	{
		// The shared target directory lives outside the workspace (see scripts/env.sh), where
		// the WASM builder cannot find the workspace's Cargo.lock by itself; without it the WASM
		// build would resolve dependency versions afresh. Point it at the workspace root — for
		// this crate only, so other runtimes in the dependency graph keep their own lookup.
		if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
			let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
			std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
		}
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}
