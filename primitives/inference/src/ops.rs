//! Kernels the encoder uses instead of candle's generic ones, where a profile of the batch-32
//! workload showed time going: the erf GELU (candle evaluates a high-precision erf per element
//! on one thread) and dense layers on 3-D inputs (candle runs one matrix product per batch
//! item; one product over all tokens packs the weights once).

use candle_core::{
	backend::BackendStorage, CpuStorage, CustomOp1, Layout, Module, Result, Shape, Tensor,
};
use candle_nn::VarBuilder;
use rayon::prelude::*;

/// erf by Abramowitz–Stegun 7.1.26 (absolute error ≤ 1.5e-7, below f32 rounding of GELU's
/// output), so the GELU below stays within f32 noise of the exact one.
fn erf(x: f32) -> f32 {
	let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
	let poly = ((((1.061_405_4 * t - 1.453_152_1) * t + 1.421_413_8) * t - 0.284_496_74) * t
		+ 0.254_829_6)
		* t;
	(1.0 - poly * (-x * x).exp()).copysign(x)
}

/// GELU with erf, `x · Φ(x)`, as BERT defines it.
fn gelu(x: f32) -> f32 {
	0.5 * x * (1.0 + erf(x * core::f32::consts::FRAC_1_SQRT_2))
}

/// Elements per parallel chunk.
const CHUNK: usize = 16 * 1024;

/// The erf GELU over all threads.
pub struct GeluErf;

impl CustomOp1 for GeluErf {
	fn name(&self) -> &'static str {
		"myelin-gelu-erf"
	}

	fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
		let CpuStorage::F32(data) = storage else {
			candle_core::bail!("gelu: f32 only, got {:?}", storage.dtype())
		};
		let Some((start, end)) = layout.contiguous_offsets() else {
			candle_core::bail!("gelu: contiguous input only")
		};
		let Some(src) = data.get(start..end) else {
			candle_core::bail!("gelu: layout out of range")
		};
		let mut out = vec![0f32; src.len()];
		out.par_chunks_mut(CHUNK).zip(src.par_chunks(CHUNK)).for_each(|(out, src)| {
			for (o, &x) in out.iter_mut().zip(src) {
				*o = gelu(x);
			}
		});
		Ok((CpuStorage::F32(out), layout.shape().clone()))
	}
}

/// A dense layer `x · Wᵀ + b` that flattens its input's leading dimensions into one product.
pub struct Dense {
	weight_t: Tensor,
	bias: Tensor,
	out: usize,
}

impl Dense {
	/// Loads `weight` (`[out, in]`) and `bias` (`[out]`) under `vb`.
	pub fn load(input: usize, out: usize, vb: VarBuilder) -> Result<Dense> {
		let weight = vb.get((out, input), "weight")?;
		let bias = vb.get(out, "bias")?;
		Ok(Dense { weight_t: weight.t()?, bias, out })
	}

	/// The query, key and value projections as one layer (`[q | k | v]` on the output), with
	/// the query pre-multiplied by the attention scale `1/√d`, so attention neither runs three
	/// products nor rescales its scores.
	pub fn load_qkv(hidden: usize, scale: f64, vb: VarBuilder) -> Result<Dense> {
		let part = |name: &str, factor: f64| -> Result<(Tensor, Tensor)> {
			let vb = vb.pp(name);
			let weight = vb.get((hidden, hidden), "weight")?.affine(factor, 0.0)?;
			let bias = vb.get(hidden, "bias")?.affine(factor, 0.0)?;
			Ok((weight, bias))
		};
		let (qw, qb) = part("query", scale)?;
		let (kw, kb) = part("key", 1.0)?;
		let (vw, vb_) = part("value", 1.0)?;
		let weight = Tensor::cat(&[&qw, &kw, &vw], 0)?;
		let bias = Tensor::cat(&[&qb, &kb, &vb_], 0)?;
		let out = hidden.checked_mul(3).unwrap_or_default();
		// Contiguous transposed weight: the product then reads it row by row.
		Ok(Dense { weight_t: weight.t()?.contiguous()?, bias, out })
	}
}

impl Module for Dense {
	fn forward(&self, x: &Tensor) -> Result<Tensor> {
		let dims = x.dims().to_vec();
		let Some((&input, leading)) = dims.split_last() else {
			candle_core::bail!("dense: scalar input")
		};
		let rows: usize = leading.iter().product();
		let y = x.reshape((rows, input))?.matmul(&self.weight_t)?.broadcast_add(&self.bias)?;
		let mut shape = leading.to_vec();
		shape.push(self.out);
		y.reshape(shape)
	}
}

#[cfg(test)]
mod tests {
	#![allow(clippy::unwrap_used)]

	use super::*;
	use candle_core::Device;

	#[test]
	fn gelu_matches_candles_exact_erf_gelu() {
		let xs: Vec<f32> = (-800..=800).map(|i| i as f32 / 100.0).collect();
		let t = Tensor::from_vec(xs.clone(), xs.len(), &Device::Cpu).unwrap();
		let ours = t.apply_op1_no_bwd(&GeluErf).unwrap().to_vec1::<f32>().unwrap();
		let exact = t.gelu_erf().unwrap().to_vec1::<f32>().unwrap();
		for ((x, a), b) in xs.iter().zip(&ours).zip(&exact) {
			assert!((a - b).abs() <= 2e-6 * (1.0 + x.abs()), "gelu({x}): {a} vs {b}");
		}
	}

	#[test]
	fn dense_equals_candles_linear_on_3d_input() {
		let dev = Device::Cpu;
		let w = Tensor::arange(0f32, 12.0, &dev).unwrap().reshape((3, 4)).unwrap();
		let b = Tensor::new(&[0.5f32, -1.0, 2.0], &dev).unwrap();
		let x = Tensor::arange(0f32, 24.0, &dev).unwrap().reshape((2, 3, 4)).unwrap();
		let dense = Dense { weight_t: w.t().unwrap(), bias: b.clone(), out: 3 };
		let reference = candle_nn::Linear::new(w, Some(b));
		let a = dense.forward(&x).unwrap().to_vec3::<f32>().unwrap();
		let r = reference.forward(&x).unwrap().to_vec3::<f32>().unwrap();
		assert_eq!(a, r);
	}
}
