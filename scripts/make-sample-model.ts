// Writes assets/sample-model.onnx, the model the app opens on first launch (see buildSampleModel).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSampleModel } from '../test/support/synthetic-models.js';

const path = join(import.meta.dirname, '..', 'assets', 'sample-model.onnx');
const model = buildSampleModel();
writeFileSync(path, model.bytes);
console.log(`wrote ${path}: ${model.bytes.length} bytes, ${model.nodeCount} nodes, ${model.parameterCount} parameters`);
