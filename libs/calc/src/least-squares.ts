/**
 * Ordinary least squares for a handful of unknowns, by the normal equations (XᵀX)β = Xᵀy solved
 * with Gaussian elimination. Returns null when the columns are collinear.
 */
export function leastSquares(columns: number[][], y: number[]): { coefficients: number[]; inverse: number[][] } | null {
  const k = columns.length;
  const n = y.length;
  const xtx = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => dot(columns[i], columns[j], n)));
  const xty = columns.map((column) => dot(column, y, n));
  const inverse = invert(xtx);
  if (!inverse) return null;
  return { coefficients: inverse.map((row) => dot(row, xty, k)), inverse };
}

function dot(a: number[], b: number[], length: number): number {
  let total = 0;
  for (let i = 0; i < length; i += 1) total += a[i] * b[i];
  return total;
}

function invert(matrix: number[][]): number[][] | null {
  const k = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < k; col += 1) {
    let pivot = col;
    for (let row = col + 1; row < k; row += 1) if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    if (Math.abs(a[pivot][col]) < 1e-9 * Math.max(1, Math.abs(matrix[col][col]))) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const divisor = a[col][col];
    for (let j = 0; j < 2 * k; j += 1) a[col][j] /= divisor;
    for (let row = 0; row < k; row += 1) {
      if (row === col) continue;
      const factor = a[row][col];
      for (let j = 0; j < 2 * k; j += 1) a[row][j] -= factor * a[col][j];
    }
  }
  return a.map((row) => row.slice(k));
}
