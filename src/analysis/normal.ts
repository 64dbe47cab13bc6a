/**
 * The standard normal distribution, which the Mann–Kendall statistic follows closely from
 * about ten points on. Hand-written so the analysis needs no numeric library.
 */

/** P(Z ≤ z) for a standard normal Z; absolute error below 1e-7 (Abramowitz–Stegun 7.1.26). */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

// Coefficients of Acklam's rational approximation to the normal quantile (relative error
// about 1e-9), enough for confidence levels.
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269];
const A4 = -30.66479806614716;
const A5 = 2.506628277459239;
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972];
const B4 = -13.28068155288572;
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734];
const C4 = 4.374664141464968;
const C5 = 2.938163982698783;
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** The z with P(Z ≤ z) = p, for 0 < p < 1. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p=${p} is not in (0, 1)`);
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const num = ((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C4) * q + C5;
    const den = (((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1;
    return p < low ? num / den : -num / den;
  }
  const q = p - 0.5;
  const r = q * q;
  const num = (((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A4) * r + A5) * q;
  const den = ((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B4) * r + 1;
  return num / den;
}
