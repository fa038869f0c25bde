/**
 * TensorFlow.js's full types, for a notebook that wants them: `gaissa/tfjs` in a cell resolves
 * here (kernel/execution/type-resolution.ts), e.g.
 * `const tf = await gaissa.train.tfjs<typeof import('gaissa/tfjs')>()`. Never loaded at run time;
 * the API itself names only the structural types of tfjs-shapes.ts (that file says why).
 */
export * from '@tensorflow/tfjs';
