/**
 * Time spent inside model inference in this thread (tfjs and ONNX adapters add to it), so that the
 * pipeline can report inference vs our own pre/post-processing per photo.
 */
let inferenceMs = 0;

export function addInferenceTime(ms: number): void {
  inferenceMs += ms;
}

export function inferenceTime(): number {
  return inferenceMs;
}
